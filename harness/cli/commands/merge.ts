// `overreach merge a.db b.db [...] -o all.db`: one database from several (e.g. one per farm host).
import { resolve } from 'node:path';
import { InputError } from '../../errors.ts';
import { mergeDatabases } from '../../merge/merge.ts';
import type { RegisterCommand } from '../registry.ts';

export const registerMerge: RegisterCommand = (program, deps) => {
  program
    .command('merge')
    .description('merge trace databases into one; run ids are renumbered, lookups re-interned')
    .argument('<inputs...>', 'input databases (same schema version)')
    .option('-o, --out <file>', 'output database (created, or appended to)')
    .option('--json', 'print the result as JSON (inputs, runs, events, run id mapping)')
    .action((inputs: string[], opts: { out?: string; json?: boolean }) => {
      if (!opts.out) throw new InputError('merge: -o <file> is required');
      const out = resolve(deps.cwd, opts.out);
      const result = mergeDatabases(
        out,
        inputs.map((f) => resolve(deps.cwd, f)),
      );
      if (opts.json) {
        const json = {
          out: opts.out,
          inputs: result.inputs.map((r, i) => ({
            file: inputs[i],
            runs: r.runs,
            events: r.events,
            runIds: Object.fromEntries(r.runIds),
          })),
        };
        deps.stdout(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      for (const [i, r] of result.inputs.entries()) {
        const ids = [...r.runIds.entries()].map(([a, b]) => `${a}→${b}`).join(', ');
        deps.stdout(`${inputs[i]}: ${r.runs} runs, ${r.events} events${ids ? ` (runs ${ids})` : ''}\n`);
      }
      deps.stdout(`merged into ${opts.out}\n`);
    });
};
