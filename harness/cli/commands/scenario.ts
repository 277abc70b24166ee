// `overreach scenario check <file>`: validate a scenario (YAML or TypeScript) and print its
// normalised steps, or every problem on its own line (exit 2).
import { InputError } from '../../errors.ts';
import { validateScenarioFile } from '../../scenario/load.ts';
import type { Scenario, Step } from '../../scenario/types.ts';
import type { RegisterCommand } from '../registry.ts';

/** One line per step: `  3. tap text="Start"  [label]  on-error=stop`. */
export function describeStep(s: Step): string {
  const { kind, label, onError, ...rest } = s;
  const parts = Object.entries(rest).map(([k, v]) => {
    if (v && typeof v === 'object' && 'by' in v && 'value' in v)
      return `${k}=${v.by}=${JSON.stringify(v.value)}`;
    return `${k}=${JSON.stringify(v)}`;
  });
  const extra = [label === undefined ? '' : `[${label}]`, onError === 'stop' ? 'on-error=stop' : ''].filter(
    Boolean,
  );
  return [kind, ...parts, ...extra].join('  ');
}

export function describeScenario(s: Scenario): string {
  const lines = [
    `scenario ${JSON.stringify(s.name)}: app ${s.app.package}, ${s.steps.length} steps, ${s.expect.length} assertions`,
    `phases: ${s.phases.join(', ')}; on-error: ${s.onError}`,
    ...s.steps.map((st, i) => `${String(i).padStart(4)}. ${describeStep(st)}`),
    ...s.expect.map((e) => {
      const { kind, ...rest } = e;
      return `  expect ${kind} ${JSON.stringify(rest)}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

export const registerScenario: RegisterCommand = (program, deps) => {
  const cmd = program
    .command('scenario')
    .description('Scenario scripts (YAML or TypeScript): see docs/scenarios.md');
  cmd
    .command('check')
    .description('Validate a scenario file and print its normalised steps')
    .argument('<file>', 'scenario file (.yaml, .yml or .ts)')
    .option('--json', 'print the normalised scenario as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { resolve } = await import('node:path');
      const result = await validateScenarioFile(resolve(deps.cwd, file));
      if (!result.ok) {
        for (const line of result.errors) deps.stderr(`${line.split(resolve(deps.cwd, file)).join(file)}\n`);
        const n = result.errors.length;
        throw new InputError(`${file}: ${n} problem${n === 1 ? '' : 's'} in scenario`);
      }
      deps.stdout(
        opts.json ? `${JSON.stringify(result.scenario, null, 2)}\n` : describeScenario(result.scenario),
      );
    });
};
