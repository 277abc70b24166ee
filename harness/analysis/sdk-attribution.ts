// SDK attribution of a run's stacks. `overreach ingest` does not give the TraceWriter an
// attributeSdk function, so stacks arrive with sdk_id NULL; attributeRunSdks (re)computes the SDK
// of every stack the run uses with harness/knowledge's attributor (most specific prefix wins)
// and copies it onto the run's events. Idempotent: only rows whose SDK changes are written.
// The store keeps "the app itself" as NULL (docs/schema.md), unknown code as third-party:<pkg>.
import { type Attribution, defaultAttributor, type SdkAttributor } from '../knowledge/sdks.ts';
import { invalidateRollup, rollupStored } from '../store/rollup-read.ts';
import type { Db } from './types.ts';

/** The name stored in `sdks` for an attribution; null for the app itself or no decision. */
export function storedSdkName(a: Attribution): string | null {
  return a.sdk === null || a.sdk === 'app' ? null : a.sdk;
}

/**
 * THE attribution of one stored stack, used while a run is written and by attributeRunSdks, so
 * `run`, `ingest` and `analyze` never disagree. A native stack is Thread.backtrace through
 * DebugSymbol (agent/hooks/native.ts): module!symbol frames, no Java class the app or an SDK
 * owns, so it stays unattributed (null) even where the simulator's frames look like Java.
 */
export function stackSdk(
  frames: readonly string[],
  native: boolean,
  appPackage: string,
  attributor: SdkAttributor = defaultAttributor(),
  cached = true,
): string | null {
  if (native) return null;
  const opts = { appPackage };
  return storedSdkName(cached ? attributor.attribute(frames, opts) : attributor.attributeOnce(frames, opts));
}

/**
 * An `attributeSdk` for TraceWriterOptions: attributes each new stack while it is written (the
 * writer keeps each distinct stack's result, so the attributor's own stack cache is skipped).
 */
export function storeAttributor(
  appPackage: string,
  attributor: SdkAttributor = defaultAttributor(),
): (frames: string[], native?: boolean) => string | null {
  return (frames, native = false) => stackSdk(frames, native, appPackage, attributor, false);
}

export interface AttributionStats {
  /** Distinct stacks the run's events use. */
  stacks: number;
  /** Stacks whose SDK changed. */
  changedStacks: number;
  /** Events whose sdk_id changed. */
  changedEvents: number;
}

/** (Re)attributes the stacks of run `runId` for an app whose own package is `appPackage`. */
export function attributeRunSdks(
  db: Db,
  runId: number,
  appPackage: string,
  attributor: SdkAttributor = defaultAttributor(),
): AttributionStats {
  // IMMEDIATE: reads then writes, possibly beside other writer processes (a farm).
  return db
    .transaction((): AttributionStats => {
      // The run's stacks from its roll-up (thousands of rows) rather than a DISTINCT walk of its events.
      const used = rollupStored(db, runId)
        ? 'SELECT stack_id FROM run_stacks WHERE run_id = ?'
        : 'SELECT DISTINCT stack_id FROM events WHERE run_id = ? AND stack_id IS NOT NULL';
      const stacks = db
        .prepare<[number], { id: number; frames: string; native: number; sdk: string | null }>(
          `SELECT s.id, s.frames, s.native, sd.name AS sdk FROM stacks s LEFT JOIN sdks sd ON sd.id = s.sdk_id
         WHERE s.id IN (${used})`,
        )
        .all(runId);
      const findSdk = db.prepare<[string], number>('SELECT id FROM sdks WHERE name = ?').pluck();
      const addSdk = db.prepare<[string]>('INSERT INTO sdks (name) VALUES (?)');
      const setStack = db.prepare<[number | null, number]>('UPDATE stacks SET sdk_id = ? WHERE id = ?');
      let changedStacks = 0;
      for (const s of stacks) {
        const name = stackSdk(s.frames.split('\n'), s.native === 1, appPackage, attributor);
        if (name === s.sdk) continue;
        let id: number | null = null;
        if (name !== null) id = findSdk.get(name) ?? Number(addSdk.run(name).lastInsertRowid);
        setStack.run(id, s.id);
        changedStacks++;
      }
      const changedEvents =
        changedStacks === 0
          ? 0
          : db
              .prepare<[number]>(
                `UPDATE event_rows SET sdk_id = (SELECT sdk_id FROM stacks WHERE id = event_rows.stack_id)
               WHERE run_id = ? AND stack_id IS NOT NULL
                 AND sdk_id IS NOT (SELECT sdk_id FROM stacks WHERE id = event_rows.stack_id)`,
              )
              .run(runId).changes;
      // The roll-ups group events by SDK: roll the run up again when it is next read.
      if (changedEvents > 0) invalidateRollup(db, runId);
      return { stacks: stacks.length, changedStacks, changedEvents };
    })
    .immediate();
}

/** SDKs active in a run (they appear in event stacks), busiest first. A bundled SDK that never ran is absent. */
export function activeSdks(db: Db, runId: number): { sdk: string; events: number; categories: string[] }[] {
  return db
    .prepare<[number], { sdk: string; events: number; categories: string }>(
      `SELECT sd.name AS sdk, sum(g.n) AS events, group_concat(c.name, ',') AS categories
       FROM (SELECT sdk_id, category_id, count(*) AS n FROM events WHERE run_id = ? AND sdk_id IS NOT NULL
             GROUP BY sdk_id, category_id) g
       JOIN sdks sd ON sd.id = g.sdk_id JOIN categories c ON c.id = g.category_id
       GROUP BY sd.name ORDER BY events DESC, sd.name`,
    )
    .all(runId)
    .map((r) => ({ sdk: r.sdk, events: r.events, categories: r.categories.split(',').sort() }));
}
