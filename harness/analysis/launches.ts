// Launches of the app within one run: the main process's `app-start` lifecycle times (a
// relaunch step or an app restart starts a new one). Rules that span launches (2.1.1 "at first
// start", 2.1.6 "on the next start") split the run's permission events by these.
import type { AnalysisContext } from './context.ts';

export function launchTimes(ctx: AnalysisContext): number[] {
  return ctx.db
    .prepare<[number, string], number>(
      `SELECT l.time FROM lifecycle l JOIN processes p ON p.id = l.process_id
       WHERE l.run_id = ? AND l.kind = 'app-start' AND p.name = ? ORDER BY l.time`,
    )
    .pluck()
    .all(ctx.run.id, ctx.run.package);
}

/** 0-based launch index of time `t` (0 before the second launch; -1 before the first). */
export function launchOf(launches: readonly number[], t: number): number {
  let i = -1;
  for (const s of launches) if (s <= t) i++;
  return launches.length === 0 ? 0 : i;
}
