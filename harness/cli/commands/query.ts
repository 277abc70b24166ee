// `overreach query "<sql>"`: one read-only SQL statement over the trace store.
import { resolve } from 'node:path';
import { InputError } from '../../errors.ts';
import { formatResult, type QueryFormat, runQuery } from '../../store/query.ts';
import { openReadOnly, storeFailure } from '../../store/store.ts';
import type { RegisterCommand } from '../registry.ts';

interface QueryOpts {
  db?: string;
  json?: boolean;
  csv?: boolean;
}

export const registerQuery: RegisterCommand = (program, deps) => {
  program
    .command('query')
    .description('run one read-only SQL statement over the trace database (see docs/schema.md)')
    .argument('<sql>', 'SQL statement, e.g. "SELECT * FROM v_category_phase"')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--json', 'print an array of JSON objects')
    .option('--csv', 'print RFC 4180 CSV')
    .action((sql: string, opts: QueryOpts) => {
      if (opts.json && opts.csv) throw new InputError('query: choose one of --json and --csv');
      const format: QueryFormat = opts.json ? 'json' : opts.csv ? 'csv' : 'table';
      const file = opts.db ?? deps.defaultDb;
      const db = openReadOnly(file === ':memory:' ? file : resolve(deps.cwd, file), file);
      try {
        deps.stdout(formatResult(runQuery(db, sql), format));
      } catch (err) {
        throw storeFailure(file, err);
      } finally {
        db.close();
      }
    });
};
