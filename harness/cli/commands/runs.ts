// `overreach runs`: the runs in a database — id, app and version, scenario, device, status and
// findings (failed expectations included) — newest first; --json for machines.
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { InputError } from '../../errors.ts';
import { hasEventChunks } from '../../store/event-rows.ts';
import { formatTable } from '../../store/query.ts';
import { openReadOnly } from '../../store/store.ts';
import type { RegisterCommand } from '../registry.ts';

interface RunsOpts {
  db?: string;
  json?: boolean;
  app?: string;
  status?: string;
  limit: string;
}

export interface RunListRow {
  id: number;
  app: string;
  version: string | null;
  scenario: string;
  device: string;
  status: string;
  reason: string | null;
  startedAt: string;
  events: number;
  findings: number;
  failedExpectations: number;
}

export function listRuns(
  db: Database.Database,
  o: { app?: string; status?: string; limit: number },
): RunListRow[] {
  return db
    .prepare<Record<string, unknown>, RunListRow>(
      `SELECT r.id, r.package AS app,
         CASE WHEN a.version_name IS NOT NULL OR a.version_code IS NOT NULL
           THEN trim(coalesce(a.version_name, '') || coalesce(' (' || a.version_code || ')', '')) END AS version,
         r.scenario, r.device, r.status, r.status_reason AS reason,
         strftime('%Y-%m-%dT%H:%M:%SZ', r.started_at / 1000.0, 'unixepoch') AS startedAt,
         ${
           // Counted from the run's chunks (v11), not by reading every event row.
           hasEventChunks(db)
             ? '(SELECT coalesce(sum(k.events), 0) FROM event_chunks k WHERE k.run_id = r.id)'
             : '(SELECT count(*) FROM events e WHERE e.run_id = r.id)'
         } AS events,
         (SELECT count(*) FROM findings f WHERE f.run_id = r.id) AS findings,
         (SELECT count(*) FROM findings f WHERE f.run_id = r.id
            AND f.rule IN ('failed-expectation', 'missing-privacy-switch')) AS failedExpectations
       FROM runs r LEFT JOIN apps a ON a.id = r.app_id
       WHERE (@app IS NULL OR r.package = @app) AND (@status IS NULL OR r.status = @status)
       ORDER BY r.id DESC LIMIT @limit`,
    )
    .all({ app: o.app ?? null, status: o.status ?? null, limit: o.limit });
}

export const registerRuns: RegisterCommand = (program, deps) => {
  program
    .command('runs')
    .description('list the runs in the database: id, app, version, scenario, device, status, findings')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--app <package>', 'only runs of this package')
    .option('--status <status>', 'only runs with this status (completed, failed, interrupted, running)')
    .option('--limit <n>', 'newest n runs', '50')
    .option('--json', 'print an array of JSON objects')
    .action((opts: RunsOpts) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new InputError(`--limit: expected a whole number ≥ 1, got "${opts.limit}"`);
      const file = opts.db ?? deps.defaultDb;
      const db = openReadOnly(file === ':memory:' ? file : resolve(deps.cwd, file), file);
      try {
        const rows = listRuns(db, {
          limit,
          ...(opts.app ? { app: opts.app } : {}),
          ...(opts.status ? { status: opts.status } : {}),
        });
        if (opts.json) {
          deps.stdout(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        const columns = [
          'id',
          'app',
          'version',
          'scenario',
          'device',
          'status',
          'started',
          'events',
          'findings',
        ];
        deps.stdout(
          formatTable({
            columns,
            rows: rows.map((r) => [
              r.id,
              r.app,
              r.version ?? '',
              r.scenario,
              r.device,
              r.reason ? `${r.status}: ${r.reason}` : r.status,
              r.startedAt,
              r.events,
              r.failedExpectations > 0 ? `${r.findings} (${r.failedExpectations} expect)` : r.findings,
            ]),
          }),
        );
      } finally {
        db.close();
      }
    });
};
