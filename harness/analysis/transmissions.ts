// What left the device in one run (v_transmissions), grouped the way the transmission rules and
// the report's "what left the device" section need it.
import { type AnalysisContext, isPersonal } from './context.ts';
import type { Db } from './types.ts';

export interface TransmissionRow {
  id: number;
  sendEvent: number;
  readEvent: number | null;
  category: string | null;
  readSdk: string | null;
  readPhase: string | null;
  encoding: string;
  host: string | null;
  port: number | null;
  scheme: string | null;
  /** The organisation behind the host, or the host itself when the map does not know it. */
  organisation: string | null;
  /** True when the endpoint map knows the host (a named third party). */
  known: boolean;
  endpointSdk: string | null;
  sdk: string | null;
  phase: string;
  sentMs: number;
  sendHook: string;
}

/** Every transmission of a personal value in run `runId`, in time order. */
export function loadTransmissions(db: Db, runId: number): TransmissionRow[] {
  type Row = Omit<TransmissionRow, 'known'> & { known: number };
  const rows = db
    .prepare<[number], Row>(
      `SELECT v.id, v.send_event AS sendEvent, v.read_event AS readEvent, v.category, v.read_sdk AS readSdk,
         v.read_phase AS readPhase, v.encoding, v.host, v.port, v.scheme, v.organisation,
         (s.organisation IS NOT NULL) AS known, v.endpoint_sdk AS endpointSdk, v.sdk, v.phase,
         v.sent_ms AS sentMs, v.send_hook AS sendHook
       FROM v_transmissions v LEFT JOIN sends s ON s.event_id = v.send_event
       WHERE v.run = ? ORDER BY v.sent_ms, v.id`,
    )
    .all(runId);
  return rows
    .filter((r) => r.category === null || isPersonal(r.category))
    .map((r) => ({ ...r, known: r.known === 1 }));
}

const perAnalysis = new WeakMap<AnalysisContext, readonly TransmissionRow[]>();

/** The analysed run's transmissions, read once per analysis (three rules use them). */
export function runTransmissions(ctx: AnalysisContext): readonly TransmissionRow[] {
  let rows = perAnalysis.get(ctx);
  if (!rows) {
    rows = loadTransmissions(ctx.db, ctx.run.id);
    perAnalysis.set(ctx, rows);
  }
  return rows;
}

/** Groups rows by a key, keeping first-seen order. */
export function groupBy<T>(rows: readonly T[], key: (r: T) => string): T[][] {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return [...out.values()];
}

/** Send and read event ids of a group, sends first, bounded. */
export function transmissionEvidence(rows: readonly TransmissionRow[], limit: number): number[] {
  const ids = new Set<number>();
  for (const r of rows) {
    if (ids.size >= limit) break;
    if (r.readEvent !== null) ids.add(r.readEvent);
    ids.add(r.sendEvent);
  }
  return [...ids].slice(0, limit);
}

export function destination(r: TransmissionRow): string {
  const org = r.known && r.organisation ? `${r.organisation} (${r.host})` : (r.host ?? 'an unknown host');
  return org;
}
