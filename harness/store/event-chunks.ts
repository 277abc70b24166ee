// The writer's side of event chunks (schema v11, schema-event-chunks.ts): event ids are assigned
// here, not by SQLite. Each stream (category, phase) of the run has an open chunk with its next
// free id; a full or missing one is replaced by chunk max(chunk) + 1, read and reserved (its
// event_chunks row inserted) inside the caller's IMMEDIATE transaction, so writers of other
// processes on the same file never take the same chunk. A new writer starts new chunks: at most
// CHUNK_MASK ids per stream are left unused (ids cost no bytes).
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import { CHUNK_MASK } from './event-rows.ts';

interface OpenChunk {
  chunk: number;
  /** Next free id and the chunk's last id. */
  next: number;
  end: number;
  first: number;
  last: number;
  events: number;
  dirty: boolean;
}

/** Phase ids below this share one numeric stream key with their category (exact in a double). */
const PHASE_KEYS = 2 ** 21;

export class EventChunks {
  private readonly open = new Map<number, OpenChunk>();
  private dirty: OpenChunk[] = [];
  private readonly maxChunk: Database.Statement<[], number>;
  private readonly reserve: Database.Statement<unknown[]>;
  private readonly update: Database.Statement<unknown[]>;

  constructor(
    db: Database.Database,
    private readonly runId: number,
  ) {
    this.maxChunk = db.prepare<[], number>('SELECT coalesce(max(chunk), 0) FROM event_chunks').pluck();
    this.reserve = db.prepare(
      'INSERT INTO event_chunks (chunk, run_id, category_id, phase_id, first_ms, last_ms, events) VALUES (?, ?, ?, ?, ?, ?, 0)',
    );
    this.update = db.prepare('UPDATE event_chunks SET first_ms = ?, last_ms = ?, events = ? WHERE chunk = ?');
  }

  /** The id of the stream's next event at `offset` (ms from the run's time base). In a write transaction. */
  next(categoryId: number, phaseId: number, offset: number): number {
    if (phaseId >= PHASE_KEYS) throw new StoreError(`run ${this.runId}: phase id ${phaseId} out of range`);
    const key = categoryId * PHASE_KEYS + phaseId;
    let c = this.open.get(key);
    if (c === undefined || c.next > c.end) c = this.allocate(key, categoryId, phaseId, offset, c);
    if (offset < c.first) c.first = offset;
    else if (offset > c.last) c.last = offset;
    c.events++;
    if (!c.dirty) {
      c.dirty = true;
      this.dirty.push(c);
    }
    return c.next++;
  }

  private allocate(
    key: number,
    categoryId: number,
    phaseId: number,
    offset: number,
    full?: OpenChunk,
  ): OpenChunk {
    if (full?.dirty) this.store(full);
    const chunk = this.maxChunk.get()! + 1;
    this.reserve.run(chunk, this.runId, categoryId, phaseId, offset, offset);
    const start = chunk * (CHUNK_MASK + 1);
    const c: OpenChunk = {
      chunk,
      next: start,
      end: start + CHUNK_MASK,
      first: offset,
      last: offset,
      events: 0,
      dirty: false,
    };
    this.open.set(key, c);
    return c;
  }

  private store(c: OpenChunk): void {
    this.update.run(c.first, c.last, c.events, c.chunk);
    c.dirty = false;
  }

  /** Stores the changed chunks' first/last offsets and counts (once per batch, in its transaction). */
  write(): void {
    for (const c of this.dirty) if (c.dirty) this.store(c);
    this.dirty = [];
  }

  /** Forgets the open chunks (after a rolled-back batch: their rows may not exist). */
  reset(): void {
    this.open.clear();
    this.dirty = [];
  }
}
