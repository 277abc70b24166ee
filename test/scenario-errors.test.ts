import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import { scenario } from '../harness/scenario/dsl.ts';
import { ScenarioInputError } from '../harness/scenario/issues.ts';
import { loadScenario, validateScenarioFile } from '../harness/scenario/load.ts';
import { parseScenarioYaml } from '../harness/scenario/yaml.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}`, import.meta.url));

/** Every error line for a YAML text (fails the test if it parses). */
function errorsOf(text: string, file = 'game.yaml'): string[] {
  try {
    parseScenarioYaml(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioInputError);
    expect(err).toBeInstanceOf(InputError);
    const e = err as ScenarioInputError;
    expect(e.message).toBe(e.errors[0]);
    expect(e.exitCode).toBe(2);
    return e.errors;
  }
  throw new Error('expected the scenario to be rejected');
}

const HEAD = 'name: t\napp: com.example.app\n'; // lines 1–2; steps: is line 3

describe('malformed YAML scenarios', () => {
  it('unknown step, with a suggestion, pointing at the step name', () => {
    expect(errorsOf(`${HEAD}steps:\n  - launch\n  - tapp: text=OK\n`)).toEqual([
      'game.yaml:5:5: steps[1]: unknown step "tapp" (did you mean "tap"?)',
    ]);
    expect(errorsOf(`${HEAD}steps:\n  - bakc\n`)).toEqual([
      'game.yaml:4:5: steps[0]: unknown step "bakc" (did you mean "back"?)',
    ]);
  });

  it('wrong type', () => {
    expect(errorsOf(`${HEAD}steps:\n  - set-location: { lat: "31.2", lon: 121 }\n`)).toEqual([
      'game.yaml:4:26: steps[0].set-location.lat: expected number, got string',
    ]);
    expect(errorsOf(`${HEAD}steps:\n  - launch:\n      cold: yes\n`)).toEqual([
      'game.yaml:5:13: steps[0].launch.cold: expected true or false, got "yes"',
    ]);
    expect(errorsOf(`name: t\napp: [com.example.app]\nsteps: [launch]\n`)).toEqual([
      'game.yaml:2:6: app: expected a package name or a mapping with package, got list',
    ]);
  });

  it('bad duration, in shorthand and in a mapping', () => {
    expect(
      errorsOf(`${HEAD}steps:\n  - launch\n  - wait: soon\n  - explore: { duration: 2 minutes }\n`),
    ).toEqual([
      'game.yaml:5:11: steps[1].wait.duration: expected a duration like "30s" or "2m", got "soon"',
      'game.yaml:6:26: steps[2].explore.duration: expected a duration like "30s" or "2m", got "2 minutes"',
    ]);
    expect(errorsOf(`${HEAD}steps:\n  - background: 0s\n`)).toEqual([
      'game.yaml:4:17: steps[0].background.duration: expected a duration greater than zero, got "0s"',
    ]);
  });

  it('missing target', () => {
    expect(errorsOf(`${HEAD}steps:\n  - tap:\n  - tap: { label: ok }\n`)).toEqual([
      'game.yaml:4:5: steps[0].tap: missing target (text, id, accessibility-id or xpath)',
      'game.yaml:5:10: steps[1].tap: missing target (text, id, accessibility-id or xpath)',
    ]);
    expect(errorsOf(`${HEAD}steps:\n  - tap: { text: A, id: b }\n`)).toEqual([
      'game.yaml:4:25: steps[0].tap.id: give one target, got text and id',
    ]);
  });

  it('bad coordinates', () => {
    expect(errorsOf(`${HEAD}steps:\n  - set-location:\n      lat: 91\n      lon: -180.5\n`)).toEqual([
      'game.yaml:5:12: steps[0].set-location.lat: expected a latitude between -90 and 90, got 91',
      'game.yaml:6:12: steps[0].set-location.lon: expected a longitude between -180 and 180, got -180.5',
    ]);
    expect(errorsOf(`${HEAD}steps:\n  - set-location: { lat: 10 }\n`)).toEqual([
      'game.yaml:4:19: steps[0].set-location: missing lon',
    ]);
  });

  it('unknown keys, at top level, in a step and beside a step', () => {
    expect(
      errorsOf(
        `${HEAD}stpes: []\nsteps:\n  - launch: { cold: true, clear_data: true }\n  - tap:\n    text: OK\n`,
      ),
    ).toEqual([
      'game.yaml:3:1: unknown key "stpes" (did you mean "steps"?)',
      'game.yaml:5:27: steps[0].launch: unknown key "clear_data" (did you mean "clear-data"?)',
      'game.yaml:7:5: steps[1]: unknown key "text" beside step "tap" (indent the step\'s options under "tap:")',
    ]);
  });

  it('YAML syntax errors carry their position', () => {
    expect(errorsOf(`${HEAD}steps:\n  - tap: [text=OK\n`)).toEqual([
      'game.yaml:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (BAD_INDENT)',
    ]);
    expect(errorsOf(`${HEAD}name: again\nsteps: [launch]\n`)).toEqual([
      'game.yaml:3:1: YAML syntax error: Map keys must be unique (DUPLICATE_KEY)',
    ]);
  });

  it('bad enum values, phases, categories and step shapes', () => {
    const errors = errorsOf(
      [
        'name: t',
        'app: com.example.app',
        'phases: [menu, pre-consent]',
        'steps:',
        '  - permission-dialog: allow-always',
        '  - set-phase: manu',
        '  - tap: text=A',
        '    wait: 1s',
        '  - back: now',
        '  - 42',
        'expect:',
        '  - no-access: { category: locaton, phase: menu }',
        '  - max-count: { category: sms, count: -1 }',
        '  - never-access: sms',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([
      'game.yaml:3:16: phases[1]: phase "pre-consent" is implicit, do not declare it',
      'game.yaml:5:24: steps[0].permission-dialog.action: expected one of "allow", "deny", got "allow-always"',
      'game.yaml:6:16: steps[1].set-phase.name: unknown phase "manu" (did you mean "menu"?); declare it under "phases"',
      'game.yaml:8:5: steps[2]: one step per list item, got "tap" and "wait"',
      'game.yaml:9:11: steps[3].back: expected a mapping of label or on-error, got "now"',
      'game.yaml:10:5: steps[4]: expected a step (a name like "back" or a mapping like "tap: text=OK"), got number',
      'game.yaml:12:28: expect[0].no-access.category: unknown data category "locaton" (did you mean "location"?)',
      'game.yaml:13:40: expect[1].max-count.count: expected integer ≥ 0, got -1',
      'game.yaml:14:5: expect[2]: unknown assertion "never-access" (did you mean "no-access"?)',
    ]);
  });

  it('on-error values and label/on-error given twice', () => {
    expect(
      errorsOf(
        `${HEAD}on-error: halt\nsteps:\n  - back: { on-error: stop }\n    on-error: continue\n  - home:\n    on_error: stop\n`,
      ),
    ).toEqual([
      'game.yaml:3:11: on-error: expected one of "continue", "stop", got "halt"',
      'game.yaml:6:5: steps[0].back: "on-error" is given twice (beside and under "back")',
      'game.yaml:8:5: steps[1]: unknown key "on_error" beside step "home" (did you mean "on-error"?)',
    ]);
  });

  it('install without any apk, empty and non-mapping files', () => {
    expect(errorsOf(`${HEAD}steps: [install]\n`)).toEqual([
      'game.yaml:3:9: steps[0].install: missing apk (give one here or app.apk)',
    ]);
    expect(errorsOf('')).toEqual([
      'game.yaml:1:1: expected a scenario mapping with name, app and steps, got nothing',
    ]);
    expect(errorsOf('- launch\n')).toEqual([
      'game.yaml:1:1: expected a scenario mapping with name, app and steps, got list',
    ]);
    expect(errorsOf('name: t\n')).toEqual([
      'game.yaml:1:1: missing app (its package name, or a mapping with package)',
      'game.yaml:1:1: missing steps (a list)',
    ]);
  });

  it('collects every error of a file, sorted by position', async () => {
    const result = await validateScenarioFile(fixture('bad-game.yaml'));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(16);
    const positions = errors.map((e) => /bad-game\.yaml:(\d+):(\d+):/.exec(e)!.slice(1).map(Number));
    const sorted = [...positions].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(positions).toEqual(sorted);
    await expect(loadScenario(fixture('bad-game.yaml'))).rejects.toThrow(errors[0]!);
  });
});

describe('malformed TypeScript scenarios', () => {
  it('build() runs the same validation and names the scenario', () => {
    const b = scenario({ name: 'ts', app: 'com.example.app' })
      .launch({ clearData: true })
      .wait('soon')
      .setLocation(0, 200);
    let caught: unknown;
    try {
      b.build();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScenarioInputError);
    expect((caught as ScenarioInputError).errors).toEqual([
      'scenario "ts": steps[1].wait.duration: expected a duration like "30s" or "2m", got "soon"',
      'scenario "ts": steps[2].set-location.lon: expected a longitude between -180 and 180, got 200',
    ]);
  });

  it('a module that throws at build() is reported with its file name', async () => {
    const file = fixture('dsl-bad.ts');
    const result = await validateScenarioFile(file);
    expect(result).toEqual({
      ok: false,
      errors: [
        `${file}: scenario "bad-dsl": steps[1].wait.duration: expected a duration like "30s" or "2m", got "soon"`,
        `${file}: scenario "bad-dsl": steps[2].tap.target: empty text target`,
      ],
    });
  });

  it('a default-exported builder is built with the file as its source', async () => {
    const file = fixture('dsl-builder.ts');
    expect(await validateScenarioFile(file)).toEqual({
      ok: false,
      errors: [`${file}: steps[2].set-location.lat: expected a latitude between -90 and 90, got 100`],
    });
  });

  it('a module without a scenario default export is refused', async () => {
    const file = fixture('dsl-no-default.ts');
    await expect(loadScenario(file)).rejects.toThrow(`${file}: expected the default export to be a scenario`);
    await expect(loadScenario(fixture('game.json'))).rejects.toThrow(
      /expected a scenario file ending in \.yaml/,
    );
  });
});
