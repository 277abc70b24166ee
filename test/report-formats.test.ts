// Markdown, JSON, JUnit and SARIF: structure and escaping, on the demo run and a hostile one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitStoredDetail } from '../harness/analysis/stored-detail.ts';
import { openStore, type Store } from '../harness/store/store.ts';
import { escapeHtml, escapeMd, escapeXml, html } from '../reports/escape.ts';
import { REPORT_FORMATS, renderReport } from '../reports/index.ts';
import { buildReportModel } from '../reports/model.ts';
import type { ReportModel } from '../reports/model-types.ts';
import { createDemoRun, DEMO_RAW_IMEI, HOSTILE } from './fixtures/reports/demo-run.ts';

let dir: string;
let store: Store;
let plain: ReportModel;
let hostile: ReportModel;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-report-formats-'));
  store = openStore(join(dir, 'overreach.db'));
  const a = await createDemoRun(store, { tracePath: join(dir, 'a.jsonl') });
  const b = await createDemoRun(store, { tracePath: join(dir, 'b.jsonl'), hostile: true });
  plain = buildReportModel(store.db, a, { now: 0 });
  hostile = buildReportModel(store.db, b, { now: 0 });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const decode = (s: string) =>
  s.replace(ENTITY, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '?');

/** A minimal well-formedness check and parser (elements, attributes, text; no DTD). */
function parseXml(xml: string): XmlNode {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const re = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    m = re.exec(body);
    if (!m) throw new Error(`not well-formed at ${pos}: ${body.slice(pos, pos + 40)}`);
    pos = re.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(m[5]))
        throw new Error(`bare & in text: ${m[5]}`);
      top.text += decode(m[5]);
      continue;
    }
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = decode(a[2]!);
    }
    const node: XmlNode = { name: name!, attrs, children: [], text: '' };
    top.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

describe('escaping helpers', () => {
  it('html`` escapes interpolations and keeps nested safe fragments', () => {
    const evil = '<b onclick="x">&\'`</b>';
    expect(html`<p title="${evil}">${evil}</p>`.html).toBe(
      '<p title="&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;&#96;&lt;/b&gt;">&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;&#96;&lt;/b&gt;</p>',
    );
    expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.html).toBe(
      '<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>',
    );
    expect(escapeHtml('a & b')).toBe('a &amp; b');
  });

  it('escapeMd neutralises tables, code, links and HTML; escapeXml strips control characters', () => {
    const md = escapeMd('a|b `code` [x](javascript:alert(1)) <img src=x>\n# h');
    expect(md).toBe('a\\|b \\`code\\` \\[x\\](javascript:alert(1)) &lt;img src=x&gt; \\# h');
    expect(escapeXml('a\u0000b\u001bc<"&\'>\ud800')).toBe('abc&lt;&quot;&amp;&apos;&gt;');
  });
});

describe('stored finding details', () => {
  it('splits the analysis format "title, detail, evidence line" and keeps other details whole', () => {
    expect(
      splitStoredDetail(
        'IMEI read before consent\nUmeng read it 3 times\nat launch\nevidence: 3 of 41 events',
      ),
    ).toEqual({
      title: 'IMEI read before consent',
      detail: 'Umeng read it 3 times\nat launch',
      count: 41,
    });
    expect(splitStoredDetail('one line only')).toEqual({ detail: 'one line only' });
  });
});

describe('Markdown', () => {
  it('has the sections and every table row keeps its column count on a hostile run', () => {
    const md = renderReport(hostile, 'md');
    for (const h of [
      '## Findings (5)',
      '## Declared vs. used',
      '## SDK breakdown',
      '## Steps',
      '## Hook coverage',
    ])
      expect(md).toContain(h);
    expect(md).not.toMatch(/<(script|img|svg|iframe|\/style)/i);
    expect(md).toContain('&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;');
    // A row's cell count is the header's: no value could add a `|` column separator.
    const lines = md.split('\n');
    let width = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = 0;
        continue;
      }
      const cells = line.split(/(?<!\\)\|/).length;
      if (width === 0) width = cells;
      else expect(cells, line).toBe(width);
    }
  });
});

describe('JSON', () => {
  it('is the model with sorted keys, identical across renders, raw values only when asked for', () => {
    const text = renderReport(plain, 'json');
    expect(renderReport(buildReportModel(store.db, plain.run.id, { now: 0 }), 'json')).toBe(text);
    const doc = JSON.parse(text) as Record<string, unknown> & {
      findings: { evidence: { raw: unknown }[] }[];
    };
    expect(Object.keys(doc)).toEqual([...Object.keys(doc)].sort());
    expect(doc['schema']).toBe('overreach-report/1');
    expect(doc.findings).toHaveLength(5);
    expect(text).not.toContain(DEMO_RAW_IMEI);
    const raw = renderReport(buildReportModel(store.db, plain.run.id, { now: 0, raw: true }), 'json');
    expect(raw).toContain(DEMO_RAW_IMEI);
    expect(renderReport(buildReportModel(store.db, plain.run.id, { raw: true }), 'html')).toContain(
      DEMO_RAW_IMEI,
    );
    expect(renderReport(plain, 'html')).not.toContain(DEMO_RAW_IMEI);
  });
});

describe('JUnit', () => {
  it('parses as XML: one suite, a test case per rule, failures at or above the threshold', () => {
    const suites = parseXml(renderReport(hostile, 'junit', { failOn: 'medium' }));
    expect(suites.name).toBe('testsuites');
    const suite = suites.children.find((c) => c.name === 'testsuite')!;
    expect(suites.children.filter((c) => c.name === 'testsuite')).toHaveLength(1);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    expect(cases.length).toBe(Number(suite.attrs['tests']));
    const failing = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    // high: access-before-consent, background-access; medium: undeclared-collection (the low one passes).
    expect(failing.map((c) => c.attrs['name']!.split(':')[0]).sort()).toEqual([
      'access-before-consent',
      'background-access',
      'undeclared-collection',
    ]);
    expect(Number(suite.attrs['failures'])).toBe(3);
    const unused = cases.find((c) => c.attrs['name']!.startsWith('unused-dangerous-permission'))!;
    expect(unused.children.map((c) => c.name)).toEqual(['system-out']);
    expect(suite.attrs['hostname']).toBe(`emulator-5554${HOSTILE[2]}`);
    const failureText = failing.map((c) => c.children[0]!.text).join('\n');
    expect(failureText).toContain(HOSTILE[0]);
    const critical = parseXml(renderReport(hostile, 'junit', { failOn: 'critical' }));
    expect(critical.children[0]!.attrs['failures']).toBe('0');
  });
});

describe('SARIF 2.1.0', () => {
  it('has the schema, version, rules and results with ruleId, level, message and locations', () => {
    const doc = JSON.parse(renderReport(hostile, 'sarif')) as {
      $schema: string;
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { logicalLocations: { fullyQualifiedName: string; kind: string }[] }[];
        }[];
      }[];
    };
    expect(doc.version).toBe('2.1.0');
    expect(doc.$schema).toMatch(/sarif-2\.1\.0/);
    expect(doc.runs).toHaveLength(1);
    const run = doc.runs[0]!;
    expect(run.tool.driver.name).toBe('overreach');
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual([...new Set(hostile.findings.map((f) => f.rule))].sort());
    for (const r of run.tool.driver.rules) expect(r.shortDescription.text.length).toBeGreaterThan(10);
    expect(run.results).toHaveLength(5);
    for (const r of run.results) {
      expect(ids[r.ruleIndex]).toBe(r.ruleId);
      expect(['error', 'warning', 'note', 'none']).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(r.locations[0]!.logicalLocations[0]!.fullyQualifiedName.length).toBeGreaterThan(0);
    }
    const levels = run.results.map((r) => `${r.ruleId}:${r.level}`);
    expect(levels).toContain('background-access:error');
    expect(levels).toContain('unused-dangerous-permission:note');
    const imei = run.results.find((r) => r.ruleId === 'access-before-consent' && r.level === 'error')!;
    const names = imei.locations[0]!.logicalLocations.map((l) => l.fullyQualifiedName);
    expect(names[0]).toBe('android.telephony.TelephonyManager.getImei(int)');
    expect(names).toContain('com.umeng.commonsdk.UMConfigure.init');
  });
});

describe('an empty run', () => {
  it('renders every format without events, steps or findings', () => {
    const id = store.createRun({
      package: 'com.example.empty',
      device: 'd',
      scenario: 's',
      toolVersion: '0.1.0',
    });
    store.endRun(id, 'failed', 'app crashed at start');
    const m = buildReportModel(store.db, id);
    expect(m.totals.events).toBe(0);
    expect(m.timeline.categories).toEqual([]);
    for (const f of REPORT_FORMATS) expect(renderReport(m, f).length).toBeGreaterThan(100);
    expect(renderReport(m, 'html')).toContain('app crashed at start');
    expect(parseXml(renderReport(m, 'junit')).children[0]!.attrs['failures']).toBe('0');
  });
});
