// The texts of the notifications, toasts and dialogs the app showed (the agent's popup
// summarisers put them in the events' args: title="…" text="…" message="…" and button labels,
// already redacted on the device). Read back for the evidence of deceptive-download and
// popup-harassment and for the report's "screen at that moment": a download lured by a
// notification shows the notification's words.
import type Database from 'better-sqlite3';
import { streamEndSql, streamRows, timeBase } from '../store/event-rows.ts';

export const POPUP_KINDS = ['notification', 'dialog', 'toast'] as const;

export interface ShownPopup {
  id: number;
  time: number;
  kind: (typeof POPUP_KINDS)[number];
  /** `title="…" text="…"`: the texts only (no id, channel or class). */
  texts: string;
}

const TEXT_PART = /\b(?:title|text|message|ticker|positive|negative|neutral)="(?:[^"\\]|\\.)*"/g;

/** The text parts of a popup event's args, or '' when it carries none. */
export function popupTexts(args: string | null): string {
  return (args ?? '').match(TEXT_PART)?.join(' ') ?? '';
}

/** "notification title="…" text="…"" */
export function describePopup(p: ShownPopup): string {
  return `${p.kind} ${p.texts}`;
}

/** Width of the time slices PopupIndex reads on demand. */
const SLICE_MS = 10_000;

/**
 * The run's popups that carry texts, in time order, read slice by slice as asked: a report asks
 * "what was shown in the 30 s before" once per finding, and a query per finding scanned every
 * popup event each time (thousands of findings × thousands of popups in a large run); reading
 * them all up front read every popup of a million-event run although findings begin in a few
 * minutes of it. Each 10-s slice is read once (the chunks overlapping it, per category and phase).
 */
export class PopupIndex {
  private readonly slices = new Map<number, ShownPopup[]>();
  private readonly kinds = new Map<number, ShownPopup['kind']>();
  private readonly phases: number[];
  private readonly texts = new Map<number, string>();
  private readonly inSlice: Database.Statement<number[], [number, number, number]>;
  private readonly textOf: Database.Statement<[number], string>;
  /** First and last slice with a popup event (none: first > last). */
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  private readonly base: number;

  constructor(
    db: Database.Database,
    private readonly runId: number,
  ) {
    for (const r of db
      .prepare<[], { id: number; name: ShownPopup['kind'] }>(
        `SELECT id, name FROM categories WHERE name IN (${POPUP_KINDS.map((k) => `'${k}'`).join(', ')})`,
      )
      .all())
      this.kinds.set(r.id, r.name);
    this.phases = db.prepare<[], number>('SELECT id FROM phases').pluck().all();
    // The physical table by offset from the run's time base, through the stream's chunks: a
    // range on the view's computed `time` would read every row of the stream.
    this.base = timeBase(db, runId);
    this.inSlice = db
      .prepare<number[], [number, number, number]>(
        `SELECT e.id, e.offset_ms + ?, e.args_id FROM ${streamRows(db, { category: true, phase: true, range: true })}
         AND e.offset_ms >= ? AND e.offset_ms < ? AND e.args_id IS NOT NULL`,
      )
      .raw(true);
    this.textOf = db.prepare<[number], string>('SELECT text FROM summaries WHERE id = ?').pluck();
    // The slices that can hold a popup at all: a window outside them reads nothing.
    const end = (fn: 'min' | 'max') =>
      db.prepare<[number, number, number], number | null>(streamEndSql(db, fn)).pluck();
    const [lo, hi] = [end('min'), end('max')];
    for (const category of this.kinds.keys())
      for (const ph of this.phases) {
        const a = lo.get(runId, category, ph);
        const b = hi.get(runId, category, ph);
        if (a == null || b == null) continue;
        this.first = Math.min(this.first, Math.floor((a + this.base) / SLICE_MS));
        this.last = Math.max(this.last, Math.floor((b + this.base) / SLICE_MS));
      }
  }

  /** Popups with texts in slice `k` ([k, k + 1) × SLICE_MS), in (time, id) order. */
  private slice(k: number): ShownPopup[] {
    let out = this.slices.get(k);
    if (out) return out;
    out = [];
    for (const [category, kind] of this.kinds)
      for (const ph of this.phases)
        for (const [id, time, argsId] of this.inSlice.all(
          this.base,
          this.runId,
          category,
          ph,
          k * SLICE_MS - this.base,
          (k + 1) * SLICE_MS - this.base,
          k * SLICE_MS - this.base,
          (k + 1) * SLICE_MS - this.base,
        )) {
          // The texts of one summary are parsed once (a run repeats the same few popups).
          let texts = this.texts.get(argsId);
          if (texts === undefined) {
            texts = popupTexts(this.textOf.get(argsId) ?? null);
            this.texts.set(argsId, texts);
          }
          if (texts) out.push({ id, time, kind, texts });
        }
    out.sort((a, b) => a.time - b.time || a.id - b.id);
    this.slices.set(k, out);
    return out;
  }

  /** Popups with texts shown in [from, to], latest first, at most `limit`. */
  between(from: number, to: number, limit = 4): ShownPopup[] {
    const out: ShownPopup[] = [];
    if (!(from <= to) || limit <= 0) return out;
    // Latest slice first; within a slice, the first index whose time is after `to` (binary
    // search), then walk back to `from`.
    // One slice below from's: a quotient rounded up must not skip the slice holding `from`.
    const top = Math.min(Math.floor(to / SLICE_MS), this.last);
    const bottom = Math.max(Math.floor(from / SLICE_MS) - 1, this.first);
    for (let k = top; k >= bottom; k--) {
      const shown = this.slice(k);
      let lo = 0;
      let hi = shown.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((shown[mid] as ShownPopup).time <= to) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo - 1; i >= 0; i--) {
        const p = shown[i] as ShownPopup;
        if (p.time < from) return out;
        out.push(p);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}

/** The distinct texts of the given popup events (by id), in order, at most `limit`. */
export function popupTextsOf(db: Database.Database, ids: readonly number[], limit = 3): string[] {
  const get = db.prepare<[number], { kind: string; args: string | null }>(
    `SELECT c.name AS kind, sa.text AS args FROM events e JOIN categories c ON c.id = e.category_id
     LEFT JOIN summaries sa ON sa.id = e.args_id WHERE e.id = ?`,
  );
  const seen = new Set<string>();
  for (const id of ids) {
    const r = get.get(id);
    const texts = popupTexts(r?.args ?? null);
    if (texts) seen.add(`${r!.kind} ${texts}`);
    if (seen.size >= limit) break;
  }
  return [...seen];
}
