// `overreach diff <runA> <runB>`: what changed between two runs (APIs, categories, SDKs,
// SDK × category pairs, findings), with counts before and after.
import { resolve } from 'node:path';
import { buildDiff, renderDiffText } from '../../../reports/diff.ts';
import { resolveRun } from '../../../reports/resolve-run.ts';
import { openReadOnly } from '../../store/store.ts';
import type { RegisterCommand } from '../registry.ts';

interface DiffOpts {
  db?: string;
  json?: boolean;
}

export const registerDiff: RegisterCommand = (program, deps) => {
  program
    .command('diff')
    .description('compare two runs: added/removed APIs, categories, SDKs, SDK × category pairs, findings')
    .argument('<runA>', 'the earlier run id (or "latest")')
    .argument('<runB>', 'the later run id (or "latest")')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--json', 'print the diff as JSON')
    .action((a: string, b: string, opts: DiffOpts) => {
      const file = opts.db ?? deps.defaultDb;
      const db = openReadOnly(file === ':memory:' ? file : resolve(deps.cwd, file), file);
      try {
        const d = buildDiff(db, resolveRun(db, a, file), resolveRun(db, b, file));
        deps.stdout(opts.json ? `${JSON.stringify(d, null, 2)}\n` : renderDiffText(d));
      } finally {
        db.close();
      }
    });
};
