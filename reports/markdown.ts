// Markdown report (GitHub-flavoured tables). Every trace string goes through escapeMd: HTML
// becomes entities, `|`, backticks and link/emphasis punctuation are backslash-escaped.

import { escapeMd as e } from './escape.ts';
import { fmtContext, fmtCount, fmtDuration, fmtOffset, fmtTime, topCounts } from './format.ts';
import { t } from './i18n.ts';
import { transmissionsMarkdown } from './markdown-transmissions.ts';
import type { ReportModel } from './model-types.ts';
import { ruleDescription } from './rules.ts';

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '_none_\n';
  return `| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`;
}

const counts = (rec: Readonly<Record<string, number>>, limit = 8) =>
  topCounts(rec, limit)
    .map(([k, n]) => `${e(k)} ${fmtCount(n)}`)
    .join(', ');

export function renderMarkdown(m: ReportModel): string {
  const r = m.run;
  const start = m.origin;
  const out: string[] = [];
  out.push(`# Overreach report: ${e(r.appLabel ?? r.package)} (run ${r.id})\n`);
  out.push(
    table(
      ['', ''],
      [
        ['package', e(r.package)],
        ['version', e(r.versionName ?? (r.versionCode === null ? '—' : String(r.versionCode)))],
        ['device', e(r.device)],
        ['scenario', e(r.scenario)],
        ['analysed with', e(fmtContext(m.context))],
        ['status', `${e(r.status)}${r.statusReason ? ` — ${e(r.statusReason)}` : ''}`],
        ['started / ended', `${fmtTime(r.startedAt)} → ${fmtTime(r.endedAt)}`],
        ['duration', fmtDuration(r.endedAt === null ? null : r.endedAt - r.startedAt)],
        ['overreach / agent', `${e(r.toolVersion)} / ${e(r.agentVersion ?? '—')}`],
        ['accesses', `${fmtCount(m.totals.events)} in ${m.totals.categories} categories`],
        ['dropped', `${fmtCount(r.eventsDropped)} events, ${fmtCount(r.batchesLost)} batches lost`],
        [
          'findings',
          `${m.findings.length}${
            m.findings.length
              ? ` (${Object.entries(m.totals.bySeverity)
                  .filter(([, n]) => n > 0)
                  .map(([s, n]) => `${s} ${n}`)
                  .join(', ')})`
              : ''
          }`,
        ],
      ],
    ),
  );
  out.push(`## Findings (${m.findings.length})\n`);
  if (m.findings.length === 0) out.push('_none_\n');
  for (const f of m.findings) {
    const scope = [f.category, f.sdk]
      .filter((x): x is string => x !== null)
      .map(e)
      .join(' · ');
    out.push(`### [${e(f.severity.toUpperCase())}] ${e(f.title)}\n`);
    out.push(
      `Rule \`${e(f.rule)}\` (${e(ruleDescription(f.rule))})${scope ? ` · ${scope}` : ''} · ${fmtCount(f.count)} events\n`,
    );
    out.push(`${e(f.detail)}\n`);
    if (f.scenarios.length) out.push(`${t(m.lang, 'legal basis')}: MIIT 164 ${f.scenarios.join(', ')}\n`);
    if (f.screenshot) out.push(`screenshot: ${e(f.screenshot.file)}\n`);
    if (f.ui)
      out.push(`${t(m.lang, 'screen at that moment')}: ${f.ui.texts.map((x) => `«${e(x)}»`).join(' ')}\n`);
    out.push(
      table(
        ['time', 'phase', 'step', 'API', 'thread', 'args', 'result', 'value hash', 'top frame'],
        f.evidence.map((ev) => {
          const stack = ev.stackId === null ? undefined : m.stacks[String(ev.stackId)];
          return [
            fmtOffset(ev.time, start),
            e(ev.phase),
            ev.step === null ? '—' : `${ev.step}. ${e(ev.stepLabel ?? '')}`,
            e(ev.api),
            e(ev.thread),
            e(ev.args ?? ''),
            e(ev.result ?? '') + (m.raw && ev.raw !== null ? ` (raw: ${e(ev.raw)})` : ''),
            e(ev.valueHash ?? ''),
            e(stack?.frames[0] ?? ''),
          ];
        }),
      ),
    );
  }
  out.push(transmissionsMarkdown(m, table));
  out.push(`## ${t(m.lang, 'MIIT 164 checklist')}\n`);
  out.push(
    table(
      ['id', t(m.lang, 'scenario'), t(m.lang, 'status'), t(m.lang, 'evidence')],
      m.checklist.map((r) => [
        r.id,
        e(m.lang === 'zh' ? r.zh : r.en),
        t(
          m.lang,
          {
            violated: 'violated',
            'not-observed': 'not observed',
            'not-tested': 'not tested',
            person: 'needs a person',
          }[r.status],
        ),
        e(
          [...r.findings.map((id) => m.findings.find((f) => f.id === id)?.title ?? `finding ${id}`), r.note]
            .filter(Boolean)
            .join('; '),
        ),
      ]),
    ),
  );
  out.push('## Declared vs. used\n');
  out.push(
    table(
      ['category', 'declared permissions', 'privacy policy', 'accesses', 'verdict'],
      m.declaredVsUsed.rows.map((x) => [
        e(x.category),
        x.declaredPermissions === null
          ? '?'
          : e(x.declaredPermissions.join(', ') || (x.permissions.length ? 'none' : 'n/a')),
        x.inPolicy === null ? '?' : x.inPolicy ? 'yes' : 'no',
        fmtCount(x.accesses),
        e(x.verdict),
      ]),
    ),
  );
  out.push('## SDK breakdown\n');
  out.push(
    table(
      ['SDK', 'accesses', 'categories'],
      m.sdks.map((s) => [e(s.name), fmtCount(s.total), counts(s.categories)]),
    ),
  );
  if (m.bundledVsRan) {
    const b = m.bundledVsRan;
    out.push('## Bundled vs ran\n');
    out.push(
      `Sensitive call sites in the app's code: ${fmtCount(b.callSites)}; this run reached ${fmtCount(b.ranCallSites)} (${b.coveragePercent ?? 0}%).\n`,
    );
    out.push(
      table(
        ['SDK', 'status', 'API', 'category', 'call sites', 'ran'],
        b.sdks.flatMap((s) =>
          s.apis.map((a, i) => [
            i === 0 ? e(s.sdk) : '',
            i === 0 ? (s.ran ? 'ran' : 'bundled, not ran') : '',
            e(a.api),
            e(a.category),
            fmtCount(a.callSites),
            a.ran ? 'yes' : 'no',
          ]),
        ),
      ),
    );
  }
  out.push('## Steps\n');
  out.push(
    table(
      ['#', 'step', 'phase', 'outcome', 'start', 'accesses', 'categories'],
      m.steps.map((s) => [
        String(s.idx),
        `${e(s.kind)} ${e(s.label)}`,
        e(s.phase ?? '—'),
        e(s.outcome) + (s.detail ? ` (${e(s.detail)})` : ''),
        fmtOffset(s.startedAt, start),
        fmtCount(s.events),
        counts(s.categories),
      ]),
    ),
  );
  out.push('## Accesses per phase\n');
  out.push(
    table(
      ['phase', 'accesses', 'categories'],
      m.phases.map((p) => [e(p.phase), fmtCount(p.events), counts(p.categories)]),
    ),
  );
  out.push('## Hook coverage\n');
  out.push(
    `${
      Object.entries(m.hooks.counts)
        .map(([s, n]) => `${e(s)}: ${fmtCount(n)}`)
        .join(', ') || '_no hook status_'
    }\n`,
  );
  if (m.hooks.problems.length)
    out.push(
      table(
        ['hook', 'process', 'state', 'detail'],
        m.hooks.problems.map((p) => [e(p.hook), e(p.process), e(p.state), e(p.detail ?? '')]),
      ),
    );
  if (m.appops.length) {
    out.push('## AppOps before / after\n');
    const cell = (v: { mode: string | null; lastAccess: string | null } | null) =>
      v ? e(`${v.mode ?? '—'} ${v.lastAccess ?? ''}`.trim()) : '—';
    out.push(
      table(
        ['op', 'before', 'after', 'changed'],
        m.appops.map((a) => [e(a.op), cell(a.before), cell(a.after), a.changed ? 'yes' : 'no']),
      ),
    );
  }
  if (m.problems.lines.length) {
    out.push('## Agent errors and device logs\n');
    out.push(
      table(
        ['time', 'source', 'what', 'detail'],
        m.problems.lines.map((l) => [fmtOffset(l.time, start), e(l.source), e(l.what), e(l.detail)]),
      ),
    );
  }
  out.push(`\n_Generated by overreach ${e(r.toolVersion)} at ${fmtTime(m.generatedAt)}._\n`);
  const text = out.join('\n');
  // Our own section headings in the report's language (app strings never start a line with ##).
  return m.lang === 'en'
    ? text
    : text.replace(
        /^## ([^\n(]+?)( \(\d+\))?$/gm,
        (_, h: string, n: string | undefined) => `## ${t(m.lang, h)}${n ?? ''}`,
      );
}
