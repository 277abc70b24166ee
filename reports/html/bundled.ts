// The "Bundled vs ran" section of the HTML report: per SDK, the sensitive APIs its code
// references and whether each ran in this run. Every interpolation is escaped by `html`.
import { html, type SafeHtml } from '../escape.ts';
import { fmtCount } from '../format.ts';
import type { ReportModel } from '../model-types.ts';

export function bundledSection(m: ReportModel): SafeHtml {
  const b = m.bundledVsRan;
  if (!b) return html``;
  const rows = b.sdks.flatMap((s) =>
    s.apis.map(
      (a, i) =>
        html`<tr>${i === 0 ? html`<td rowspan="${String(s.apis.length)}"><b>${s.sdk}</b><br><span class="${s.ran ? 'muted' : 'bad'}">${s.ran ? 'ran' : 'bundled, not ran'}</span></td>` : ''}<td class="mono">${a.api}</td><td>${a.category}</td><td class="num">${fmtCount(a.callSites)}</td><td>${a.ran ? 'yes' : 'no'}</td></tr>`,
    ),
  );
  return html`<section id="bundled"><h2>Bundled vs ran</h2><p>Sensitive call sites in the app's code: <b>${fmtCount(b.callSites)}</b>; this run reached <b>${fmtCount(b.ranCallSites)}</b> (${String(b.coveragePercent ?? 0)}%). Source: <span class="mono">${b.source}</span>.</p><table><thead><tr><th>SDK</th><th>API</th><th>category</th><th class="num">call sites</th><th>ran</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
