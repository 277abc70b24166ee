import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import type { Scenario } from '../harness/scenario/types.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

const dir = dirname(fileURLToPath(new URL('./fixtures/scenarios/game.yaml', import.meta.url)));

let deps: CapturedDeps;
beforeEach(() => {
  deps = captureDeps(dir, { defaultDb: 'unused.db' });
});

describe('overreach scenario check', () => {
  it('prints the normalised steps of a valid YAML scenario', async () => {
    const code = await runCli(['scenario', 'check', 'game.yaml'], deps);
    expect(deps.err()).toBe('');
    expect(code).toBe(0);
    const lines = deps.out().trimEnd().split('\n');
    expect(lines[0]).toBe('scenario "game-first-run": app com.example.game, 24 steps, 6 assertions');
    expect(lines[1]).toBe('phases: pre-consent, post-consent, tutorial, shop; on-error: continue');
    expect(lines).toContain(
      '   4. consent  labels=["同意并继续","同意","Agree"]  timeoutMs=20000  [accept privacy policy]  on-error=stop',
    );
    expect(lines).toContain('  11. long-press  target=id="com.example.game:id/board"  durationMs=1500');
    expect(lines.filter((l) => l.startsWith('  expect '))).toHaveLength(6);
  });

  it('--json prints the same scenario for the YAML and TypeScript forms', async () => {
    expect(await runCli(['scenario', 'check', '--json', 'game.yaml'], deps)).toBe(0);
    const fromYaml = JSON.parse(deps.out()) as Scenario;
    deps.reset('out');
    expect(await runCli(['scenario', 'check', '--json', 'game.ts'], deps)).toBe(0);
    expect(JSON.parse(deps.out())).toEqual(fromYaml);
    expect(fromYaml.steps.map((s) => s.kind).slice(0, 3)).toEqual(['install', 'launch', 'wait']);
  });

  it('prints one line per error, names the file as given, and exits 2', async () => {
    const code = await runCli(['scenario', 'check', 'bad-game.yaml'], deps);
    expect(code).toBe(2);
    expect(deps.out()).toBe('');
    const lines = deps.err().trimEnd().split('\n');
    expect(lines).toHaveLength(17);
    expect(lines[0]).toBe('bad-game.yaml:3:1: unknown key "stpes" (did you mean "steps"?)');
    expect(lines[3]).toBe(
      'bad-game.yaml:8:11: steps[2].wait.duration: expected a duration like "30s" or "2m", got "soon"',
    );
    expect(lines[16]).toBe('overreach: bad-game.yaml: 16 problems in scenario');
  });

  it('refuses a missing file with exit 2', async () => {
    const code = await runCli(['scenario', 'check', 'nope.yaml'], deps);
    expect(code).toBe(2);
    expect(deps.err()).toMatch(/^nope\.yaml: cannot read scenario: ENOENT/);
  });
});
