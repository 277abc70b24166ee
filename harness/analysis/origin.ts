// The origin of every "+12.3 s" of a run: its earliest recorded time (agent hello, lifecycle,
// event or scenario step). The analysis's finding texts and every report format use this one
// origin, so a time in a finding's detail and in its evidence table agree.
import type { Db } from './types.ts';

/**
 * ms since the epoch; the run's start when nothing was recorded. A caller that already knows the
 * run's first event time passes it (`firstEvent`, null = no events) to spare a scan of the events.
 */
export function runOrigin(db: Db, runId: number, firstEvent?: number | null): number {
  const eventsPart =
    firstEvent === undefined ? 'UNION ALL SELECT min(time) FROM events WHERE run_id = @run' : '';
  const t = db
    .prepare<[{ run: number }], number | null>(
      `SELECT min(t) FROM (
         SELECT min(hello_at) AS t FROM processes WHERE run_id = @run
         UNION ALL SELECT min(time) FROM lifecycle WHERE run_id = @run
         ${eventsPart}
         UNION ALL SELECT min(started_at) FROM steps WHERE run_id = @run)`,
    )
    .pluck()
    .get({ run: runId });
  const min = [t, firstEvent].filter((x): x is number => typeof x === 'number');
  if (min.length > 0) return Math.min(...min);
  return db.prepare<[number], number>('SELECT started_at FROM runs WHERE id = ?').pluck().get(runId) ?? 0;
}
