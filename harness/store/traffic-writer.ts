// The network side of a run's events, written next to each event row by the TraceWriter: the
// events.id of each kept read (EventRecord.ref, per pid), a `sends` row per network-send with
// its destination and the organisation behind the host, and a `transmissions` row per kept value
// the send carried, linked to the read that returned it. See docs/schema.md.
import type Database from 'better-sqlite3';
import type { EventRecord } from '../../agent/protocol/messages.ts';
import { defaultEndpoints, type EndpointMap } from '../knowledge/endpoints.ts';

/** Read refs remembered per pid; the agent names only its most recent reads. */
const MAX_REFS = 65_536;

export class TrafficWriter {
  private readonly refs = new Map<number, Map<number, number>>();
  private readonly send: Database.Statement<unknown[]>;
  private readonly transmission: Database.Statement<unknown[]>;

  constructor(
    db: Database.Database,
    private readonly runId: number,
    private readonly endpoints: EndpointMap = defaultEndpoints(),
  ) {
    this.send = db.prepare(
      'INSERT INTO sends (event_id, run_id, host, port, scheme, sni, bytes, organisation, endpoint_sdk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.transmission = db.prepare(
      'INSERT INTO transmissions (run_id, send_event_id, read_event_id, encoding) VALUES (?, ?, ?, ?)',
    );
  }

  /** Whether `e` has anything for this writer (checked per event on the hot path). */
  static wants(e: EventRecord): boolean {
    return e.ref !== undefined || e.net !== undefined;
  }

  /** Called once event `e` of `pid` is stored as events row `id`. */
  record(pid: number, e: EventRecord, id: number): void {
    let refs = this.refs.get(pid);
    if (!refs) {
      refs = new Map();
      this.refs.set(pid, refs);
    }
    if (e.ref !== undefined) {
      refs.delete(e.ref);
      refs.set(e.ref, id);
      if (refs.size > MAX_REFS) refs.delete(refs.keys().next().value as number);
    }
    const n = e.net;
    if (n === undefined || e.category !== 'network-send') return;
    const endpoint = this.endpoints.lookup(n.host);
    this.send.run(
      id,
      this.runId,
      n.host ?? null,
      n.port ?? null,
      n.scheme ?? null,
      n.sni ?? null,
      n.bytes ?? null,
      endpoint?.organisation ?? null,
      endpoint?.sdk ?? null,
    );
    for (const c of e.carried ?? [])
      this.transmission.run(this.runId, id, refs.get(c.ref) ?? null, c.encoding);
  }
}
