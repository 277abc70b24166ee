import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assert, defineScenario, scenario, step } from '../harness/scenario/dsl.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { normalisePermission, RUNTIME_PERMISSIONS } from '../harness/scenario/permissions.ts';
import {
  DEFAULT_CONSENT_LABELS,
  DEFAULT_SETTING_LABELS,
  DEFAULTS,
  type Scenario,
  STEP_KINDS,
  type Step,
} from '../harness/scenario/types.ts';
import { parseDuration, parseTargetShorthand } from '../harness/scenario/values.ts';
import { parseScenarioYaml } from '../harness/scenario/yaml.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}`, import.meta.url));
const yaml = (body: string) => parseScenarioYaml(`name: t\napp: com.example.app\n${body}`, 't.yaml');
const stepsOf = (lines: string) => yaml(`steps:\n${lines}`).steps;
const only = (line: string): Step => {
  const steps = stepsOf(`  - ${line}\n`);
  expect(steps).toHaveLength(1);
  return steps[0]!;
};

describe('YAML and TypeScript forms', () => {
  it('give deep-equal scenarios for the same realistic script', async () => {
    const fromYaml = await loadScenario(fixture('game.yaml'));
    const fromTs = await loadScenario(fixture('game.ts'));
    expect(fromTs).toStrictEqual(fromYaml);
    expect(fromYaml.steps).toHaveLength(24);
    // the fixture exercises every step kind at least once
    expect(new Set(fromYaml.steps.map((s) => s.kind))).toEqual(new Set(STEP_KINDS));
    // relative app paths resolve against the scenario's folder
    expect(fromYaml.app.apk).toBe(`${dirname(dirname(fixture('game.yaml')))}/apks/game.apk`);
    expect(JSON.parse(JSON.stringify(fromYaml))).toStrictEqual(fromYaml);
  });

  it('defineScenario with step helpers equals the fluent builder', () => {
    const head = { name: 'x', app: 'com.example.x', phases: ['menu'] };
    const fluent = scenario(head)
      .launch()
      .consent()
      .setPhase('menu')
      .tap('~ok')
      .expect(assert.settingFound())
      .build();
    const literal = defineScenario({
      ...head,
      steps: [step.launch(), step.consent(), step.setPhase('menu'), step.tap({ accessibilityId: 'ok' })],
      expect: [assert.settingFound()],
    });
    expect(literal).toStrictEqual(fluent);
    expect(fluent.expect).toEqual([{ kind: 'setting-found', labels: [...DEFAULT_SETTING_LABELS] }]);
  });

  it('the TS form of a YAML file round-trips through the same validator', () => {
    const text = readFileSync(fixture('game.yaml'), 'utf8');
    const a = parseScenarioYaml(text, 'game.yaml');
    expect(a.name).toBe('game-first-run');
    expect(a.steps[4]).toEqual({
      kind: 'consent',
      label: 'accept privacy policy',
      onError: 'stop',
      labels: ['同意并继续', '同意', 'Agree'],
      timeoutMs: 20_000,
    });
  });
});

describe('defaults', () => {
  it('fills scenario-level defaults', () => {
    const s: Scenario = yaml('steps: [launch]\n');
    expect(s.onError).toBe('continue');
    expect(s.phases).toEqual(['pre-consent', 'post-consent']);
    expect(s.consentLabels).toEqual([...DEFAULT_CONSENT_LABELS]);
    expect(s.expect).toEqual([]);
    expect(s.app).toEqual({ package: 'com.example.app' });
    expect(s.steps).toEqual([{ kind: 'launch', onError: 'continue', cold: true, clearData: false }]);
  });

  it('fills step defaults and inherits the scenario on-error', () => {
    const s = yaml(
      'on-error: stop\nconsent-labels: [好]\nsteps:\n  - consent\n  - explore\n  - check-setting\n  - wait-for: text=Hi\n  - long-press: id=x\n  - back: { on-error: continue }\n',
    );
    expect(s.steps).toEqual([
      { kind: 'consent', onError: 'stop', labels: ['好'], timeoutMs: DEFAULTS.consentTimeoutMs },
      {
        kind: 'explore',
        onError: 'stop',
        durationMs: DEFAULTS.exploreDurationMs,
        seed: DEFAULTS.exploreSeed,
        strategy: 'random',
        stayInApp: true,
      },
      { kind: 'check-setting', onError: 'stop', labels: [...DEFAULT_SETTING_LABELS], maxDepth: 3 },
      { kind: 'wait-for', onError: 'stop', target: { by: 'text', value: 'Hi' }, timeoutMs: 10_000 },
      {
        kind: 'long-press',
        onError: 'stop',
        target: { by: 'id', value: 'com.example.app:id/x' },
        durationMs: 1_000,
      },
      { kind: 'back', onError: 'continue' },
    ]);
  });

  it('accepts label and on-error beside the step name or under it', () => {
    const [a, b] = stepsOf(
      '  - wait: 2s\n    label: settle\n    on-error: stop\n  - wait: { duration: 2s, label: settle, on-error: stop }\n',
    );
    expect(a).toEqual({ kind: 'wait', label: 'settle', onError: 'stop', durationMs: 2000 });
    expect(b).toEqual(a);
  });
});

describe('targets', () => {
  it.each([
    ['text=Agree', { by: 'text', value: 'Agree' }],
    ['id=com.foo:id/ok', { by: 'id', value: 'com.foo:id/ok' }],
    ['~login button', { by: 'accessibility-id', value: 'login button' }],
    ["//android.widget.Button[@text='OK']", { by: 'xpath', value: "//android.widget.Button[@text='OK']" }],
    ['(//android.widget.Button)[2]', { by: 'xpath', value: '(//android.widget.Button)[2]' }],
    ['xpath=//a', { by: 'xpath', value: '//a' }],
    ['accessibility-id=menu', { by: 'accessibility-id', value: 'menu' }],
    ['同意并继续', { by: 'text', value: '同意并继续' }],
    ['a=b', { by: 'text', value: 'a=b' }],
  ])('shorthand %s', (input, target) => {
    expect(parseTargetShorthand(input)).toEqual({ ok: target });
  });

  it('rejects a misspelt shorthand kind and an empty one', () => {
    expect(parseTargetShorthand('txt=Agree')).toEqual({
      error: 'unknown target kind "txt" (did you mean "text"?)',
    });
    expect(parseTargetShorthand('~')).toEqual({ error: 'empty accessibility-id target' });
  });

  it('mapping, shorthand and target: forms agree; short ids are qualified with the app package', () => {
    const forms = ['tap: { id: ok }', 'tap: id=ok', 'tap: { target: id=ok }', 'tap: { target: { id: ok } }'];
    for (const f of forms)
      expect(only(f)).toEqual({
        kind: 'tap',
        onError: 'continue',
        target: { by: 'id', value: 'com.example.app:id/ok' },
      });
    expect(only('tap: id=android:id/button1')).toMatchObject({
      target: { by: 'id', value: 'android:id/button1' },
    });
  });
});

describe('values', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    [45, 45_000],
    [0.25, 250],
  ])('duration %s', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['soon', '', '30', '30 s', '30s1m', '1m1m', '-5s', 'ms', true])('rejects duration %s', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('normalises permissions to full names', () => {
    expect(normalisePermission('CAMERA')).toEqual({ ok: 'android.permission.CAMERA' });
    expect(normalisePermission('camera')).toEqual({ ok: 'android.permission.CAMERA' });
    expect(normalisePermission('android.permission.ACCESS_FINE_LOCATION')).toEqual({
      ok: 'android.permission.ACCESS_FINE_LOCATION',
    });
    expect(normalisePermission('com.example.permission.C2D')).toEqual({ ok: 'com.example.permission.C2D' });
    expect(normalisePermission('FINE_LOCATION')).toEqual({
      error: 'unknown runtime permission "FINE_LOCATION" (did you mean "ACCESS_FINE_LOCATION"?)',
    });
    expect(only('grant: read_contacts')).toMatchObject({ permission: 'android.permission.READ_CONTACTS' });
    expect(only('permission-dialog: { action: allow, permission: RECORD_AUDIO }')).toMatchObject({
      permission: 'android.permission.RECORD_AUDIO',
    });
  });

  it('every listed runtime permission exists in the Android SDK declarations', () => {
    const dts = readFileSync(
      fileURLToPath(
        new URL(
          '../node_modules/@nativescript/types-android/lib/android/android-platform-37.d.ts',
          import.meta.url,
        ),
      ),
      'utf8',
    );
    const missing = RUNTIME_PERMISSIONS.filter((p) => !dts.includes(`"android.permission.${p}"`));
    expect(missing).toEqual([]);
  });

  it('swipe forms', () => {
    expect(only('swipe: down')).toEqual({ kind: 'swipe', onError: 'continue', direction: 'down' });
    expect(only('swipe: { direction: up, until: text=Privacy }')).toEqual({
      kind: 'swipe',
      onError: 'continue',
      direction: 'up',
      until: { by: 'text', value: 'Privacy' },
      maxSwipes: DEFAULTS.maxSwipes,
    });
    expect(only('swipe: { from: [100, 1500], to: [100, 300] }')).toMatchObject({
      from: { x: 100, y: 1500, unit: 'px' },
      to: { x: 100, y: 300, unit: 'px' },
    });
  });

  it('expectation shorthands', () => {
    const s = yaml(
      'steps: [launch]\nexpect:\n  - no-access: contacts\n  - no-finding:\n  - setting-found: 个性化推荐\n',
    );
    expect(s.expect).toEqual([
      { kind: 'no-access', category: 'contacts' },
      { kind: 'no-finding' },
      { kind: 'setting-found', labels: ['个性化推荐'] },
    ]);
  });
});

describe('docs/scenarios.md', () => {
  it('its YAML and TypeScript examples are valid and describe the same scenario', async () => {
    const doc = readFileSync(fileURLToPath(new URL('../docs/scenarios.md', import.meta.url)), 'utf8');
    const block = (title: string, lang: string) => {
      const at = doc.indexOf(`## ${title}`);
      expect(at).toBeGreaterThan(0);
      const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(doc.slice(at));
      return m![1]!;
    };
    const fromYaml = parseScenarioYaml(block('Example: YAML', 'yaml'), 'docs.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'overreach-docs-'));
    try {
      const dsl = fileURLToPath(new URL('../harness/scenario/dsl.ts', import.meta.url));
      const ts = block('Example: TypeScript', 'ts').replace('../harness/scenario/dsl.ts', dsl);
      writeFileSync(join(dir, 'example.ts'), ts);
      const mod = (await import(join(dir, 'example.ts'))) as { default: Scenario };
      expect(mod.default).toStrictEqual(fromYaml);
      expect(fromYaml.steps).toHaveLength(17);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
