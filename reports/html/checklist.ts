// The MIIT 164 checklist section: the 42 scenarios, each with its status for this run and the
// findings behind it (links to #f-<id>), in the report's language; plus the heading localiser.
import { MIIT_GROUPS } from '../../harness/analysis/miit/scenarios.ts';
import { html, type SafeHtml } from '../escape.ts';
import { type Lang, t } from '../i18n.ts';
import type { ChecklistRow, ReportModel } from '../model-types.ts';

const STATUS_WORD: Record<ChecklistRow['status'], string> = {
  violated: 'violated',
  'not-observed': 'not observed',
  'not-tested': 'not tested',
  person: 'needs a person',
};

export function checklistSection(m: ReportModel): SafeHtml {
  const lang: Lang = m.lang;
  const byId = new Map(m.findings.map((f) => [f.id, f]));
  const counts = { violated: 0, 'not-observed': 0, 'not-tested': 0, person: 0 };
  for (const r of m.checklist) counts[r.status]++;
  let group = '';
  const rows: SafeHtml[] = [];
  for (const r of m.checklist) {
    const g = r.id.slice(0, 3);
    if (g !== group) {
      group = g;
      const head = MIIT_GROUPS[g];
      rows.push(html`<tr class="group"><th colspan="4">${g} ${head ? head[lang] : ''}</th></tr>`);
    }
    const links = r.findings
      .map((id) => byId.get(id))
      .filter((f) => f !== undefined)
      // Plain references, no links: the report carries no href at all (test/report-html.test.ts).
      .map((f) => html`<span class="mono">#${String(f.id)}</span> ${f.title}`);
    rows.push(html`<tr class="cl-${r.status}" id="miit-${r.id}">
<td class="mono nowrap">${r.id}</td>
<td>${lang === 'zh' ? r.zh : r.en}${lang === 'zh' ? '' : html`<br><span class="muted">${r.zh}</span>`}</td>
<td class="nowrap"><span class="badge cl-${r.status}">${t(lang, STATUS_WORD[r.status])}</span></td>
<td>${links.length ? html`<ul class="cl-links">${links.map((l) => html`<li>${l}</li>`)}</ul>` : ''}${r.note ? html`<span class="muted">${r.note}</span>` : ''}${r.rules.length ? html`<br><span class="muted">${r.rules.join(', ')}</span>` : ''}</td>
</tr>`);
  }
  const summary = (['violated', 'not-observed', 'not-tested', 'person'] as const).map(
    (s) => html`<span class="chip">${t(lang, STATUS_WORD[s])} <b>${String(counts[s])}</b></span> `,
  );
  return html`<section id="checklist"><h2>MIIT 164 checklist</h2><p>${summary}</p>
<table class="checklist"><thead><tr><th>id</th><th>${t(lang, 'scenario')}</th><th>${t(lang, 'status')}</th><th>${t(lang, 'evidence')}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/**
 * Translates the report's own section headings (`<h2>Steps</h2>`, `<h2>Findings (3)</h2>`) and
 * the card labels. Safe on a rendered page: every app string is escaped, so a heading tag in
 * the text can only come from our templates.
 */
export function localizeHtml(page: string, lang: Lang): string {
  if (lang === 'en') return page;
  return page
    .replace('<html lang="en">', '<html lang="zh-CN">')
    .replace(
      /<h2>([^<(]+?)(\s\(\d+\))?<\/h2>/g,
      (_, head: string, n: string | undefined) => `<h2>${t(lang, head.trim())}${n ?? ''}</h2>`,
    )
    .replace(/<div class="l">([^<]+)<\/div>/g, (_, l: string) => `<div class="l">${t(lang, l)}</div>`);
}
