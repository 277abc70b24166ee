// Rows the TraceWriter has no method for: AppOps snapshots and device logs (crashes, ANRs,
// detaches). Written straight into the store's tables (docs/schema.md, migration 2).
import type { AppOpRecord, CrashEvent, DetachReason, ProcessInfo } from '../device/types.ts';
import type { Store } from '../store/store.ts';

export function writeAppOps(store: Store, runId: number, when: 'before' | 'after', ops: AppOpRecord[]): void {
  const ins = store.db.prepare(
    'INSERT INTO appops (run_id, "when", op, mode, last_access, raw_line) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const tx = store.db.transaction(() => {
    for (const op of ops) {
      const last = op.lastAccessTime === undefined ? null : new Date(op.lastAccessTime).toISOString();
      // No printed line exists for a structured record: keep the record itself.
      ins.run(runId, when, op.op, op.mode, last, JSON.stringify(op));
    }
  });
  tx.immediate();
}

export function writeCrash(store: Store, runId: number, e: CrashEvent): void {
  const kind = e.kind === 'anr' ? 'anr' : 'crash';
  const detail = e.kind === 'native-crash' ? `native crash: ${e.detail}` : e.detail;
  store.db
    .prepare('INSERT INTO device_logs (run_id, time, kind, process, detail) VALUES (?, ?, ?, ?, ?)')
    .run(runId, e.time, kind, e.process, detail);
}

export function writeDetach(
  store: Store,
  runId: number,
  time: number,
  reason: DetachReason,
  process: ProcessInfo,
): void {
  store.db
    .prepare("INSERT INTO device_logs (run_id, time, kind, process, detail) VALUES (?, ?, 'detach', ?, ?)")
    .run(runId, time, process.name, `${reason} (pid ${process.pid})`);
}
