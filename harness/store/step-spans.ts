// A run's scenario steps as time spans, for the trace writer: an event belongs to the innermost
// step whose [started_at, ended_at) contains its time. Steps are few and mostly sequential, so
// a sorted array with a binary search is enough.
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';

export const STEP_OUTCOMES = ['ok', 'failed', 'skipped', 'running'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

export interface StepInput {
  kind: string;
  label: string;
  phase?: string | null;
  /** ms since the epoch; default now (pass agent-clock time when known). */
  time?: number;
}

interface StepSpan {
  id: number;
  start: number;
  end: number;
}

export class StepSpans {
  private readonly spans: StepSpan[] = [];
  private readonly add: Database.Statement<unknown[]>;
  private readonly close: Database.Statement<unknown[]>;

  constructor(
    db: Database.Database,
    private readonly runId: number,
  ) {
    this.add = db.prepare(
      "INSERT INTO steps (run_id, idx, kind, label, phase, started_at, outcome) VALUES (?, (SELECT coalesce(max(idx), 0) + 1 FROM steps WHERE run_id = ?), ?, ?, ?, ?, 'running')",
    );
    this.close = db.prepare(
      'UPDATE steps SET ended_at = ?, outcome = ?, detail = coalesce(?, detail) WHERE id = ? AND run_id = ?',
    );
    // Appending to an existing run: its steps still own their time ranges.
    const old = db
      .prepare<[number], { id: number; started_at: number; ended_at: number | null }>(
        'SELECT id, started_at, ended_at FROM steps WHERE run_id = ? ORDER BY started_at, id',
      )
      .all(runId);
    for (const s of old) this.spans.push({ id: s.id, start: s.started_at, end: s.ended_at ?? Infinity });
  }

  get empty(): boolean {
    return this.spans.length === 0;
  }

  /** The innermost step containing `time` (nested ones are checked backwards). */
  at(time: number): number | null {
    const steps = this.spans;
    let lo = 0;
    let hi = steps.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (steps[mid]!.start <= time) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && i > last - 8; i--) {
      const s = steps[i]!;
      if (time < s.end) return s.id;
    }
    return null;
  }

  begin(step: StepInput): number {
    const start = step.time ?? Date.now();
    const r = this.add.run(this.runId, this.runId, step.kind, step.label, step.phase ?? null, start);
    const id = Number(r.lastInsertRowid);
    let i = this.spans.length;
    while (i > 0 && this.spans[i - 1]!.start > start) i--;
    this.spans.splice(i, 0, { id, start, end: Infinity });
    return id;
  }

  end(id: number, outcome: Exclude<StepOutcome, 'running'>, detail: string | undefined, time: number): void {
    const r = this.close.run(time, outcome, detail ?? null, id, this.runId);
    if (r.changes === 0) throw new StoreError(`run ${this.runId}: no step ${id}`);
    const span = this.spans.find((s) => s.id === id);
    if (span) span.end = time;
  }
}
