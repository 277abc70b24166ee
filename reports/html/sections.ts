// Tables of the HTML report: run metadata, steps, phases, declared vs used, SDKs, APIs, hooks,
// AppOps, agent errors. Every interpolation is escaped by `html`.
import { html, type SafeHtml } from '../escape.ts';
import { fmtContext, fmtCount, fmtDuration, fmtOffset, fmtTime, topCounts } from '../format.ts';
import type { ReportModel } from '../model-types.ts';
import { badge } from './findings.ts';

function chips(rec: Readonly<Record<string, number>>, limit = Infinity): SafeHtml {
  const list = topCounts(rec, limit);
  const rest = Object.keys(rec).length - list.length;
  return html`${list.map(([k, n]) => html`<span class="chip">${k} <b>${fmtCount(n)}</b></span>`)}${rest > 0 ? html`<span class="muted">+${rest} more</span>` : ''}`;
}

export function metaSection(m: ReportModel): SafeHtml {
  const r = m.run;
  const version = r.versionName ?? (r.versionCode === null ? null : String(r.versionCode));
  const rows: [string, SafeHtml | string][] = [
    ['package', html`<code>${r.package}</code>`],
    [
      'app',
      `${r.appLabel ?? '—'}${version ? ` · version ${version}` : ''}${r.versionCode !== null && r.versionName ? ` (${r.versionCode})` : ''}`,
    ],
    ['device', r.device],
    ['scenario', r.scenario],
    ['analysed with', fmtContext(m.context)],
    ['status', html`${badge('st', r.status)} ${r.statusReason ?? ''}`],
    ['started / ended', `${fmtTime(r.startedAt)} → ${fmtTime(r.endedAt)}`],
    ['events span', `${fmtTime(m.totals.firstEventAt)} → ${fmtTime(m.totals.lastEventAt)}`],
    [
      'processes',
      r.processes
        .map((p) => `${p.name} (pid ${p.pid}${p.apiLevel ? `, API ${p.apiLevel}` : ''})`)
        .join(', ') || '—',
    ],
    ['overreach / agent', `${r.toolVersion} / ${r.agentVersion ?? '—'}`],
    [
      'dropped',
      `${fmtCount(r.eventsDropped)} events dropped by the agent, ${fmtCount(r.batchesLost)} batches lost`,
    ],
  ];
  return html`<section id="run"><h2>Run ${r.id}</h2><table class="meta"><tbody>${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</tbody></table></section>`;
}

export function stepsSection(m: ReportModel): SafeHtml {
  if (m.steps.length === 0)
    return html`<section id="steps"><h2>Steps</h2><p class="muted">No scenario steps recorded (an ingested trace).</p></section>`;
  const start = m.origin;
  return html`<section id="steps"><h2>Steps</h2><table><thead><tr><th class="num">#</th><th>step</th><th>phase</th><th>outcome</th><th>start</th><th class="num">duration</th><th class="num">accesses</th><th>categories</th></tr></thead><tbody>${m.steps.map(
    (s) =>
      html`<tr><td class="num">${s.idx}</td><td><b>${s.kind}</b> ${s.label}${s.detail ? html`<br><span class="muted">${s.detail}</span>` : ''}</td><td>${s.phase ?? '—'}</td><td>${badge('oc', s.outcome)}</td><td class="mono">${fmtOffset(s.startedAt, start)}</td><td class="num">${fmtDuration(s.endedAt === null ? null : s.endedAt - s.startedAt)}</td><td class="num">${fmtCount(s.events)}</td><td>${chips(s.categories, 6)}</td></tr>`,
  )}</tbody></table></section>`;
}

export function phasesSection(m: ReportModel): SafeHtml {
  if (m.phases.length === 0) return html``;
  return html`<section id="phases"><h2>Accesses per phase</h2><table><thead><tr><th>phase</th><th>span</th><th class="num">accesses</th><th>categories</th></tr></thead><tbody>${m.phases.map(
    (p) =>
      html`<tr><td><b>${p.phase}</b></td><td class="mono">${fmtOffset(p.firstAt, m.origin)} – ${fmtOffset(p.lastAt, m.origin)}</td><td class="num">${fmtCount(p.events)}</td><td>${chips(p.categories)}</td></tr>`,
  )}</tbody></table></section>`;
}

const VERDICT_TEXT: Readonly<Record<string, string>> = {
  'used-declared': 'used, declared',
  'used-undeclared': 'used, NOT declared',
  'used-no-permission': 'used, no permission needed',
  'declared-unused': 'declared, not used',
  unknown: 'used (declarations unknown)',
};

export function declaredSection(m: ReportModel): SafeHtml {
  const d = m.declaredVsUsed;
  const mark = (v: boolean | null) =>
    v === null
      ? html`<span class="muted">?</span>`
      : v
        ? html`<span class="ok">✔</span>`
        : html`<span class="bad">✘</span>`;
  const rows = d.rows.map((r) => {
    const perms =
      r.permissions.length === 0
        ? html`<span class="muted">none</span>`
        : r.permissions.map((p) => {
            const short = p.replace(/^android\.permission\./, '');
            const have = r.declaredPermissions?.includes(p) ?? false;
            return have
              ? html`<span class="chip"><b>${short}</b></span>`
              : html`<span class="muted mono">${short} </span>`;
          });
    const manifest =
      r.declaredPermissions === null
        ? null
        : r.permissions.length === 0
          ? null
          : r.declaredPermissions.length > 0;
    return html`<tr><td class="nowrap"><b>${r.category}</b></td><td>${perms}</td><td>${mark(manifest)}</td><td>${mark(r.inPolicy)}</td><td class="num">${fmtCount(r.accesses)}</td><td><span class="badge v-${r.verdict}">${VERDICT_TEXT[r.verdict] ?? r.verdict}</span></td></tr>`;
  });
  const notes = [
    d.manifestKnown ? '' : 'manifest permissions unknown (no inspected APK for this run)',
    d.policyKnown ? '' : 'privacy policy unknown (pass --profile)',
  ].filter((x) => x !== '');
  return html`<section id="declared"><h2>Declared vs. used</h2>${notes.length ? html`<p class="muted">${notes.join('; ')}.</p>` : ''}
<table><thead><tr><th>category</th><th>guarding permissions (declared in bold)</th><th>manifest</th><th>privacy policy</th><th class="num">accesses</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>
${d.otherPermissions.length ? html`<p class="muted">Other declared permissions: ${d.otherPermissions.join(', ')}</p>` : ''}</section>`;
}

export function sdkSection(m: ReportModel): SafeHtml {
  if (m.sdks.length === 0) return html``;
  return html`<section id="sdks"><h2>SDK breakdown</h2><table><thead><tr><th>SDK</th><th>vendor / kind</th><th class="num">accesses</th><th>categories</th></tr></thead><tbody>${m.sdks.map(
    (s) =>
      html`<tr><td><b>${s.name}</b>${s.sdk && s.sdk !== s.name && s.sdk !== 'app' ? html`<br><span class="muted mono">${s.sdk}</span>` : ''}</td><td>${[s.vendor, s.kind].filter((x) => x).join(' · ') || '—'}</td><td class="num">${fmtCount(s.total)}</td><td>${chips(s.categories)}</td></tr>`,
  )}</tbody></table></section>`;
}

export function apisSection(m: ReportModel, limit = 40): SafeHtml {
  if (m.apis.length === 0) return html``;
  const shown = m.apis.slice(0, limit);
  return html`<section id="apis"><h2>Busiest APIs</h2><table><thead><tr><th>hook</th><th>API</th><th>category</th><th class="num">accesses</th></tr></thead><tbody>${shown.map(
    (a) =>
      html`<tr><td class="mono">${a.hook}</td><td class="mono">${a.api}</td><td>${a.category}</td><td class="num">${fmtCount(a.accesses)}</td></tr>`,
  )}</tbody></table>${m.apis.length > limit ? html`<p class="muted">${m.apis.length - limit} more APIs in the JSON report.</p>` : ''}</section>`;
}

export function hooksSection(m: ReportModel): SafeHtml {
  const h = m.hooks;
  const counts = Object.entries(h.counts);
  if (counts.length === 0)
    return html`<section id="hooks"><h2>Hook coverage</h2><p class="muted">No hook status reported.</p></section>`;
  return html`<section id="hooks"><h2>Hook coverage</h2><p>${counts.map(([s, n]) => html`<span class="chip">${s} <b>${fmtCount(n)}</b></span>`)}</p>
${h.problems.length === 0 ? html`<p class="ok">Every hook installed.</p>` : html`<table><thead><tr><th>hook</th><th>process</th><th>state</th><th>detail</th></tr></thead><tbody>${h.problems.map((p) => html`<tr><td class="mono">${p.hook}</td><td>${p.process}</td><td>${p.state}</td><td>${p.detail ?? ''}</td></tr>`)}</tbody></table>${h.problemsTotal > h.problems.length ? html`<p class="muted">${h.problemsTotal - h.problems.length} more not listed.</p>` : ''}`}</section>`;
}

export function appopsSection(m: ReportModel): SafeHtml {
  if (m.appops.length === 0) return html``;
  const cell = (v: { mode: string | null; lastAccess: string | null } | null) =>
    v ? `${v.mode ?? '—'}${v.lastAccess ? ` · ${v.lastAccess}` : ''}` : '—';
  return html`<section id="appops"><h2>AppOps before / after</h2><table><thead><tr><th>op</th><th>before</th><th>after</th><th>changed</th></tr></thead><tbody>${m.appops.map(
    (a) =>
      html`<tr><td class="mono">${a.op}</td><td>${cell(a.before)}</td><td>${cell(a.after)}</td><td>${a.changed ? html`<b class="bad">yes</b>` : 'no'}</td></tr>`,
  )}</tbody></table></section>`;
}

export function problemsSection(m: ReportModel): SafeHtml {
  const p = m.problems;
  if (p.lines.length === 0 && m.run.eventsDropped === 0 && m.run.batchesLost === 0) return html``;
  return html`<section id="problems"><h2>Agent errors, device logs, dropped events</h2><p>${fmtCount(p.agentErrors)} agent errors · ${fmtCount(p.deviceLogs)} device log entries · ${fmtCount(m.run.eventsDropped)} events dropped · ${fmtCount(m.run.batchesLost)} batches lost</p>
${p.lines.length ? html`<table><thead><tr><th>time</th><th>source</th><th>what</th><th>detail</th></tr></thead><tbody>${p.lines.map((l) => html`<tr><td class="mono">${fmtOffset(l.time, m.origin)}</td><td>${l.source}</td><td class="mono">${l.what}</td><td>${l.detail}</td></tr>`)}</tbody></table>` : ''}</section>`;
}
