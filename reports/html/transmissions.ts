// "What left the device": value → host → organisation → SDK → phase, each with the evidence
// chain from the read to the send, then every host the app sent to. Escaped by `html`.
import { html, type SafeHtml } from '../escape.ts';
import { fmtCount, fmtOffset } from '../format.ts';
import type { ReportModel } from '../model-types.ts';

export function transmissionsSectionHtml(m: ReportModel): SafeHtml {
  const t = m.transmissions;
  const start = m.timeline.start;
  const honey = t.honey
    ? html`<p class="muted">This run used honey values: identifier, phone-number, location, advertising-ID and clipboard hooks returned planted values, so every match below is that planted value.</p>`
    : '';
  const rows = t.rows.map(
    (r) => html`<tr>
<td>${r.category ?? '—'}${r.valueHash ? html`<br><span class="muted mono">#${r.valueHash}</span>` : ''}${m.raw && r.raw !== null ? html`<br><b>raw:</b> ${r.raw}` : ''}</td>
<td class="mono">${r.encoding}</td>
<td class="mono">${r.host ?? '—'}${r.port !== null ? `:${r.port}` : ''}<br><span class="muted">${r.scheme ?? ''}</span></td>
<td>${r.organisation ?? '—'}${r.knownEndpoint ? '' : html` <span class="muted">(unknown host)</span>`}</td>
<td>${r.sdk ?? 'app / unattributed'}</td>
<td>${r.phase}</td>
<td class="num">${fmtCount(r.count)}</td>
<td class="mono">${r.read ? html`${fmtOffset(r.read.time, start)} read by ${r.read.api}${r.read.args ? ` (${r.read.args})` : ''} [event ${r.read.event}]<br>` : ''}→ ${fmtOffset(r.send.time, start)} sent by ${r.send.api}${r.send.args ? ` (${r.send.args})` : ''} [event ${r.send.event}]</td>
</tr>`,
  );
  const table =
    t.rows.length === 0
      ? html`<p class="muted">No kept value was found in outgoing traffic.</p>`
      : html`<table><thead><tr><th>value</th><th>encoding</th><th>host</th><th>organisation</th><th>SDK</th><th>phase</th><th class="num">sends</th><th>evidence (read → send)</th></tr></thead><tbody>${rows}</tbody></table>`;
  const dest =
    t.destinations.length === 0
      ? ''
      : html`<h3>Destinations</h3><table><thead><tr><th>host</th><th>organisation</th><th class="num">sends</th><th class="num">carrying a value</th><th class="num">bytes</th></tr></thead><tbody>${t.destinations.map(
          (d) =>
            html`<tr><td class="mono">${d.host}</td><td>${d.organisation ?? '—'}</td><td class="num">${fmtCount(d.sends)}</td><td class="num">${fmtCount(d.carrying)}</td><td class="num">${fmtCount(d.bytes)}</td></tr>`,
        )}</tbody></table>`;
  return html`<section id="transmissions"><h2>What left the device</h2>${honey}${table}${dest}</section>`;
}
