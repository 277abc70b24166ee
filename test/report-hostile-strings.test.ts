// Strings from the app in reports: bidi overrides and control characters shown visibly in HTML,
// no autolinks in Markdown, and caps on what a report shows per value and per finding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../harness/store/store.ts';
import { escapeHtml, escapeMd, html } from '../reports/escape.ts';
import { renderReport } from '../reports/index.ts';
import { REPORT_LIMITS } from '../reports/limits.ts';
import { buildReportModel } from '../reports/model.ts';
import { createDemoRun } from './fixtures/reports/demo-run.ts';

describe('HTML: invisible reordering and control characters are shown, not obeyed', () => {
  const hidden = [
    ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069],
    ...[0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f, 0x7f],
  ];
  it.each(hidden.map((c) => [c.toString(16).toUpperCase().padStart(4, '0'), c]))(
    'U+%s becomes a visible escape',
    (hex, c) => {
      const out = escapeHtml(`a${String.fromCharCode(c)}b`);
      expect(out).toBe(`a&lt;U+${hex}&gt;b`);
    },
  );

  it('\\u202Egnp.exe cannot display as exe.png', () => {
    const page = html`<td>${'invoice\u202Egnp.exe'}</td><td title="${'x\u2066y'}">z</td>`.html;
    expect(page).toBe('<td>invoice&lt;U+202E&gt;gnp.exe</td><td title="x&lt;U+2066&gt;y">z</td>');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the check
    expect(page).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps line breaks and tabs (stack frames in <pre>)', () => {
    expect(escapeHtml('a\n\tb')).toBe('a\n\tb');
  });
});

/** GitHub-flavoured Markdown's extended autolinks (spec 0.29-gfm, section 6.9). */
const GFM_AUTOLINK = [
  /(^|[\s*_~(])www\./i,
  /(^|[\s*_~(])https?:\/\//i,
  /[A-Za-z0-9._+-]+@[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]*[A-Za-z0-9]/,
  /(mailto|xmpp):[A-Za-z0-9._+-]+@/i,
];

describe('Markdown: a value cannot add a link', () => {
  it.each([
    'http://evil.example/login',
    'see https://evil.example/x?y=1',
    'www.evil.example',
    '(www.evil.example)',
    'phish@evil.example',
    'mailto:phish@evil.example',
    'HTTPS://EVIL.EXAMPLE',
    '*http://evil.example*',
  ])('%s does not autolink', (value) => {
    const md = escapeMd(value);
    for (const re of GFM_AUTOLINK) expect(md, `${md} matches ${re}`).not.toMatch(re);
  });

  it('shows bidi overrides visibly', () => {
    expect(escapeMd('a\u202Eb')).toBe('a&lt;U+202E&gt;b');
  });
});

describe('caps on long values', () => {
  let dir: string;
  let store: Store;
  let runId: number;
  const HUGE = 300_000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'overreach-report-caps-'));
    store = openStore(join(dir, 'overreach.db'));
    runId = await createDemoRun(store, { tracePath: join(dir, 'a.jsonl') });
    // Every event of the run carries a 300 KB argument summary, distinct per event.
    const add = store.db.prepare('INSERT INTO summaries (text) VALUES (?)');
    const set = store.db.prepare('UPDATE event_rows SET args_id = ?, result_id = ? WHERE id = ?');
    const ids = store.db.prepare('SELECT id FROM events WHERE run_id = ?').pluck().all(runId) as number[];
    store.db.transaction(() => {
      for (const id of ids) {
        const big = `${id}:${'x'.repeat(HUGE)}`;
        const a = Number(add.run(`args ${big}`).lastInsertRowid);
        const r = Number(add.run(`result ${big}`).lastInsertRowid);
        set.run(a, r, id);
      }
    })();
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows at most valueChars per value and findingChars per finding, the full value stays stored', () => {
    const model = buildReportModel(store.db, runId, { now: 0 });
    expect(model.findings.length).toBeGreaterThan(1);
    let cut = 0;
    for (const f of model.findings) {
      let total = 0;
      let values = 0;
      for (const ev of f.evidence) {
        for (const v of [ev.args, ev.result]) {
          if (v === null) continue;
          values++;
          expect(v.length).toBeLessThanOrEqual(REPORT_LIMITS.valueChars + REPORT_LIMITS.markerChars);
          total += v.length;
          if (v.includes('not shown; full value in the database')) cut++;
        }
      }
      // once the budget is spent, each further value is only its marker
      expect(total).toBeLessThanOrEqual(REPORT_LIMITS.findingChars + values * REPORT_LIMITS.markerChars);
    }
    expect(cut).toBeGreaterThan(0);
    const ev = model.findings.find((f) => f.evidence.length > 0)!.evidence[0]!;
    expect(ev.args).toMatch(
      new RegExp(
        `^args ${ev.id}:x+…\\[\\d[\\d,]* more characters not shown; full value in the database, event ${ev.id}\\]$`,
      ),
    );
    const stored = store.db
      .prepare('SELECT length(args) FROM v_events WHERE id = ?')
      .pluck()
      .get(ev.id) as number;
    expect(stored).toBe(`args ${ev.id}:`.length + HUGE);
  });

  it('caps agent errors and device logs the same way', () => {
    const pid = store.db
      .prepare('SELECT id FROM processes WHERE run_id = ? LIMIT 1')
      .pluck()
      .get(runId) as number;
    store.db
      .prepare('INSERT INTO agent_errors (run_id, process_id, time, hook, message) VALUES (?, ?, ?, ?, ?)')
      .run(runId, pid, 1, 'x.hook', 'E'.repeat(HUGE));
    const model = buildReportModel(store.db, runId, { now: 0 });
    const line = model.problems.lines.find((l) => l.what === 'x.hook')!;
    expect(line.detail.length).toBeLessThanOrEqual(REPORT_LIMITS.valueChars + REPORT_LIMITS.markerChars);
    expect(line.detail).toMatch(/not shown; full value in the database, agent_errors\]$/);
  });

  it('keeps every report format small', () => {
    const model = buildReportModel(store.db, runId, { now: 0 });
    const evidence = model.findings.reduce((n, f) => n + f.evidence.length, 0);
    expect(evidence).toBeGreaterThan(10); // ~ 3 GB of values without the caps
    for (const format of ['html', 'md', 'json', 'sarif', 'junit'] as const) {
      const bytes = Buffer.byteLength(renderReport(model, format));
      expect(bytes, format).toBeLessThan(2_000_000);
    }
  });
});
