// Findings with severity badges, evidence tables and expandable stacks (<details>, no script).
import { html, type SafeHtml } from '../escape.ts';
import { fmtCount, fmtOffset, fmtTime, plural } from '../format.ts';
import { RULE_TITLES_ZH, t } from '../i18n.ts';
import type { EvidenceEvent, FindingInfo, ReportModel, StackInfo } from '../model-types.ts';
import { ruleDescription } from '../rules.ts';

export function badge(kind: string, value: string): SafeHtml {
  return html`<span class="badge ${kind}-${value}">${value}</span>`;
}

function stackBlock(stack: StackInfo | undefined): SafeHtml | string {
  if (!stack) return '';
  const who = stack.sdk ? ` · ${stack.sdk}` : '';
  return html`<details class="stack"><summary>stack #${String(stack.id)} (${plural(stack.frames.length, 'frame')}${stack.native ? ', native' : ''}${who})</summary><pre>${stack.frames.join('\n')}</pre></details>`;
}

function evidenceRow(e: EvidenceEvent, m: ReportModel, seen: Set<number>): SafeHtml {
  // Each stack is printed once per report, later rows name it (keeps big reports mailable).
  const repeat = e.stackId !== null && seen.has(e.stackId);
  if (e.stackId !== null) seen.add(e.stackId);
  const stack = e.stackId === null || repeat ? undefined : m.stacks[String(e.stackId)];
  const step = e.step === null ? '—' : `${e.step}. ${e.stepLabel ?? ''}`;
  return html`<tr>
<td class="mono nowrap" title="${fmtTime(e.time)}">${fmtOffset(e.time, m.origin)}</td>
<td>${e.phase}${e.foreground ? '' : html` <span class="chip">background</span>`}<br><span class="muted">${step}</span></td>
<td class="mono">${e.api}<br><span class="muted">${e.hook} · ${e.thread} · ${e.process}</span>${repeat ? html`<br><span class="muted">same stack #${String(e.stackId)} as above</span>` : stackBlock(stack)}</td>
<td class="mono">${e.args ?? ''}</td>
<td class="mono">${e.result ?? ''}${e.valueHash ? html`<br><span class="muted">#${e.valueHash}</span>` : ''}${m.raw && e.raw !== null ? html`<br><b>raw:</b> ${e.raw}` : ''}</td>
</tr>`;
}

function findingBlock(f: FindingInfo, m: ReportModel, open: boolean, seen: Set<number>): SafeHtml {
  const scope = [f.category, f.sdk].filter((x): x is string => x !== null).join(' · ');
  const rows = f.evidence.map((e) => evidenceRow(e, m, seen));
  const shown = f.evidence.length < f.count ? ` (the first of ${fmtCount(f.count)})` : '';
  const basis = f.scenarios.length
    ? html` · ${t(m.lang, 'legal basis')} ${f.scenarios.map((s) => html`<b>${s}</b> `)}`
    : '';
  const ui = f.ui
    ? html`<div class="ui-moment"><b>${t(m.lang, 'screen at that moment')}</b> (${fmtOffset(f.ui.time, m.timeline.start)}${f.ui.target ? html`, tapped ${JSON.stringify(f.ui.target)}` : ''}): ${f.ui.texts.map((x) => html`<span class="chip">${x}</span> `)}</div>`
    : '';
  const shot = f.screenshot
    ? html`<div class="ui-moment"><b>screenshot</b> ${f.screenshot.file} (${fmtOffset(f.screenshot.time, m.timeline.start)})</div>`
    : '';
  return html`<details class="finding sev-b-${f.severity}" id="f-${String(f.id)}" data-rule="${f.rule}"${open ? html` open` : ''}>
<summary>${badge('sev', f.severity)} <span class="mono">#${String(f.id)}</span> ${f.title}<span class="meta">${f.rule}${scope ? ` · ${scope}` : ''} · ${plural(f.count, 'event')}${basis}</span></summary>
<div class="detail">${f.detail}</div>${ui}${shot}
${
  f.evidence.length === 0
    ? html`<p class="muted">No evidence events recorded.</p>`
    : html`<details class="evidence"${f.evidence.length <= 5 ? html` open` : ''}><summary>Evidence: ${plural(f.evidence.length, 'event')}${shown}</summary><table><thead><tr><th>time</th><th>phase / step</th><th>API, hook, thread, process, stack</th><th>arguments</th><th>result / value hash</th></tr></thead><tbody>${rows}</tbody></table></details>`
}
</details>`;
}

export function findingsSection(m: ReportModel): SafeHtml {
  if (m.findings.length === 0) {
    return html`<section id="findings"><h2>Findings</h2><p class="muted">No findings for this run (run <code>overreach report --analyze</code> or <code>overreach analyze</code> first if the run was never analysed).</p></section>`;
  }
  const seen = new Set<number>();
  const rules = new Map<string, number>();
  for (const f of m.findings) rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
  const summary = [...rules].map(
    ([r, n]) =>
      html`<tr><td><code>${r}</code></td><td>${m.lang === 'zh' ? (RULE_TITLES_ZH[r] ?? ruleDescription(r)) : ruleDescription(r)}</td><td class="num">${n}</td></tr>`,
  );
  return html`<section id="findings"><h2>Findings (${m.findings.length})</h2>
<table><thead><tr><th>rule</th><th>what it checks</th><th class="num">findings</th></tr></thead><tbody>${summary}</tbody></table>
${m.findings.map((f) => findingBlock(f, m, true, seen))}</section>`;
}
