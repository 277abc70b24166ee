// The checklist's bookkeeping: 42 scenarios (13 for a person), every rule mapped, every one of
// the 29 automatable scenarios decided by a rule; the pure parts of the UI-based rules.
import { describe, expect, it } from 'vitest';
import {
  FAMILY_SCENARIOS,
  PERSON_EVIDENCE,
  RULE_SCENARIOS,
  rulesDeciding,
  scenariosOf,
  undecidedScenarios,
} from '../harness/analysis/miit/rule-scenarios.ts';
import { MIIT_SCENARIOS } from '../harness/analysis/miit/scenarios.ts';
import { classifyDownloadTap } from '../harness/analysis/rules/deceptive-download.ts';
import { findPeriod } from '../harness/analysis/rules/periodic-collection.ts';
import { RULE_IDS } from '../harness/analysis/types.ts';
import type { UiSnapshot } from '../harness/analysis/ui-snapshots.ts';
import { parsePageSource, targetOf } from '../harness/run/ui-snapshot.ts';

describe('MIIT scenario catalogue and mapping', () => {
  it('has the 42 scenarios of the reference list, 13 of them for a person', () => {
    expect(MIIT_SCENARIOS).toHaveLength(42);
    expect(MIIT_SCENARIOS.filter((s) => s.person).map((s) => s.id)).toEqual([
      '1.2.1',
      '1.2.3',
      '1.3.3',
      '1.4.2',
      '1.4.3',
      '1.4.4',
      '2.1.2',
      '2.1.3',
      '2.1.4',
      '2.1.8',
      '3.1.5',
      '3.1.6',
      '3.1.7',
    ]);
    for (const s of MIIT_SCENARIOS) expect(s.zh.length * s.en.length, s.id).toBeGreaterThan(0);
  });

  it('maps every rule, decides every automatable scenario, and gives a person evidence for the rest', () => {
    expect(Object.keys(RULE_SCENARIOS).sort()).toEqual([...RULE_IDS].sort());
    expect(undecidedScenarios()).toEqual([]);
    const person = MIIT_SCENARIOS.filter((s) => s.person).map((s) => s.id);
    expect(Object.keys(PERSON_EVIDENCE).sort()).toEqual(person.sort());
    // A rule only decides automatable scenarios; person-only ones are supported, never decided.
    for (const [rule, m] of Object.entries({ ...RULE_SCENARIOS, ...FAMILY_SCENARIOS }))
      for (const id of m.decides) expect(person, `${rule} decides ${id}`).not.toContain(id);
    expect(rulesDeciding('1.3.1')).toEqual(['transmission-before-consent']);
    expect(rulesDeciding('1.3.2')).toEqual(['undisclosed-recipient']);
    expect(scenariosOf('transmission-before-consent')).toEqual(['1.3.1']);
    expect(scenariosOf('deceptive-download', ['3.1.3'])).toEqual(['3.1.3']);
    expect(scenariosOf('coverage-gap')).toEqual([]);
  });
});

describe('UI snapshots from the UiAutomator2 page source', () => {
  const xml = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<hierarchy index="0" class="hierarchy" rotation="0" width="1080" height="2400">
  <android.widget.FrameLayout index="0" package="p" class="android.widget.FrameLayout" text="" clickable="false" bounds="[0,0][1080,2400]">
    <android.widget.TextView index="0" package="p" class="android.widget.TextView" text="下载即领 &lt;b&gt;888&lt;/b&gt; 元宝&#10;限时" resource-id="p:id/msg" content-desc="" checkable="false" checked="false" clickable="false" bounds="[0,0][1080,200]" />
    <android.widget.CheckBox index="1" package="p" class="android.widget.CheckBox" text="我已阅读并同意" resource-id="p:id/cb" content-desc="" checkable="true" checked="true" clickable="true" bounds="[0,200][1080,300]" />
    <android.widget.EditText index="2" package="p" class="android.widget.EditText" text="13812345678" resource-id="p:id/phone" checkable="false" checked="false" clickable="true" bounds="[0,300][1080,400]" />
    <android.widget.Button index="3" package="p" class="android.widget.Button" text="立即下载" resource-id="p:id/dl" content-desc="" checkable="false" checked="false" clickable="true" bounds="[0,400][540,500]" />
  </android.widget.FrameLayout>
</hierarchy>`;

  it('keeps app strings (unescaped), checkbox states and buttons, never what was typed', () => {
    const nodes = parsePageSource(xml);
    expect(nodes.map((n) => [n.cls, n.text, n.checked])).toEqual([
      ['TextView', '下载即领 <b>888</b> 元宝\n限时', false],
      ['CheckBox', '我已阅读并同意', true],
      ['EditText', '', false],
      ['Button', '立即下载', false],
    ]);
    expect(JSON.stringify(nodes)).not.toContain('13812345678');
    expect(targetOf({ x: 10, y: 450 }, nodes)?.text).toBe('立即下载');
    expect(targetOf({ by: 'id', value: 'dl' }, nodes)?.text).toBe('立即下载');
  });

  it('redacts phone, ID-card and e-mail values on screen unless raw values are asked for', () => {
    const screen = `<hierarchy><a class="x.TextView" text="手机号 138 1234 5678，身份证 11010519491231002X" /><a class="x.TextView" text="联系 a.b@example.com" /><a class="x.Button" text="领取 888 元宝" clickable="true" /></hierarchy>`;
    expect(parsePageSource(screen).map((n) => n.text)).toEqual([
      '手机号 [redacted]，身份证 [redacted]',
      '联系 [redacted]',
      '领取 888 元宝',
    ]);
    expect(parsePageSource(screen, { raw: true })[0]!.text).toContain('138 1234 5678');
  });

  it('bounds what a hostile screen can store', () => {
    const many = Array.from(
      { length: 500 },
      (_, i) => `<a class="x.T" text="${'字'.repeat(1000)}${i}" />`,
    ).join('');
    const nodes = parsePageSource(`<hierarchy>${many}</hierarchy>`);
    expect(nodes).toHaveLength(80);
    expect(nodes[0]!.text.length).toBe(200);
  });
});

describe('deceptive-download wording', () => {
  const snap = (target: string, screen: string[], clickable: string[] = []): UiSnapshot => ({
    id: 1,
    time: 0,
    kind: 'tap',
    step: null,
    target: { text: target, id: '', desc: '', cls: 'Button' },
    nodes: [
      ...screen.map((t) => ({
        cls: 'TextView',
        text: t,
        id: '',
        desc: '',
        clickable: false,
        checkable: false,
        checked: false,
        bounds: [0, 0, 0, 0] as [number, number, number, number],
      })),
      ...[target, ...clickable].map((t) => ({
        cls: 'Button',
        text: t,
        id: '',
        desc: '',
        clickable: true,
        checkable: false,
        checked: false,
        bounds: [0, 0, 0, 0] as [number, number, number, number],
      })),
    ],
  });
  it('classifies the tap by the element and the screen', () => {
    expect(classifyDownloadTap(snap('立即下载', ['新游推荐']))).toEqual([]);
    expect(classifyDownloadTap(snap('立即下载', ['下载即领 888 元宝']))).toEqual(['3.1.3']);
    expect(classifyDownloadTap(snap('是否立即开始游戏', []))).toEqual(['3.1.2', '3.1.1']);
    expect(classifyDownloadTap(snap('领取红包', []))).toEqual(['3.1.3', '3.1.1']);
    expect(classifyDownloadTap(snap('广告', [], ['下载']))).toEqual(['3.1.4']);
  });
});

describe('periodic-collection period finder', () => {
  const opts = { minRepeats: 5, tolerance: 0.2, minPeriodMs: 500 };
  it('finds a regular period inside noise and merges bursts', () => {
    const times = [100, 1_300, 5_000, 5_010, 35_000, 65_100, 94_900, 125_000, 155_050, 160_000];
    const p = findPeriod(times, opts)!;
    expect(Math.round(p.periodMs / 1000)).toBe(30);
    expect([p.from, p.to]).toEqual([2, 8]);
  });
  it('finds none in irregular reads or too few repeats', () => {
    expect(findPeriod([0, 1_000, 5_000, 7_000, 16_000, 19_000, 25_000, 26_000], opts)).toBeNull();
    expect(findPeriod([0, 2_000, 4_000, 6_000, 8_000], opts)).toBeNull();
    expect(findPeriod([0, 2_000, 4_000, 6_000, 8_000, 10_000], opts)?.periodMs).toBe(2_000);
  });
});

describe('docs/findings.md', () => {
  it('holds the generated scenario → rule → evidence table verbatim', async () => {
    const { readFileSync } = await import('node:fs');
    const { mappingMarkdown } = await import('../harness/analysis/miit/mapping-table.ts');
    const doc = readFileSync(new URL('../docs/findings.md', import.meta.url), 'utf8');
    expect(doc).toContain(mappingMarkdown());
  });
});
