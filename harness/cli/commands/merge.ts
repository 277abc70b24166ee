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
    .action((inputs: string[], opts: { out?: string }) => {
      if (!opts.out) throw new InputError('merge: -o <file> is required');
      const out = resolve(deps.cwd, opts.out);
      const result = mergeDatabases(
        out,
        inputs.map((f) => resolve(deps.cwd, f)),
      );
      for (const [i, r] of result.inputs.entries()) {
        const ids = [...r.runIds.entries()].map(([a, b]) => `${a}→${b}`).join(', ');
        deps.stdout(`${inputs[i]}: ${r.runs} runs, ${r.events} events${ids ? ` (runs ${ids})` : ''}\n`);
      }
      deps.stdout(`merged into ${opts.out}\n`);
    });
};
