// The texts of the notifications, toasts and dialogs the app showed (the agent's popup
// summarisers put them in the events' args: title="…" text="…" message="…" and button labels,
// already redacted on the device). Read back for the evidence of deceptive-download and
// popup-harassment and for the report's "screen at that moment": a download lured by a
// notification shows the notification's words.
import type Database from 'better-sqlite3';

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

/**
 * The run's popups that carry texts, read once in time order: a report asks "what was shown in
 * the 30 s before" once per finding, and a query per finding scanned every popup event each
 * time (thousands of findings × thousands of popups in a large run).
 */
export class PopupIndex {
  private readonly shown: ShownPopup[] = [];

  constructor(db: Database.Database, runId: number) {
    const rows = db
      .prepare<[number], { id: number; time: number; kind: ShownPopup['kind']; args: string | null }>(
        `SELECT e.id, e.time, c.name AS kind, sa.text AS args FROM events e
         JOIN categories c ON c.id = e.category_id JOIN summaries sa ON sa.id = e.args_id
         WHERE e.run_id = ?
           AND e.category_id IN (SELECT id FROM categories WHERE name IN (${POPUP_KINDS.map((k) => `'${k}'`).join(', ')}))
         ORDER BY e.time, e.id`,
      )
      .iterate(runId);
    for (const r of rows) {
      const texts = popupTexts(r.args);
      if (texts) this.shown.push({ id: r.id, time: r.time, kind: r.kind, texts });
    }
  }

  /** Popups with texts shown in [from, to], latest first, at most `limit`. */
  between(from: number, to: number, limit = 4): ShownPopup[] {
    // The first index whose time is after `to` (binary search), then walk back to `from`.
    let lo = 0;
    let hi = this.shown.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.shown[mid] as ShownPopup).time <= to) lo = mid + 1;
      else hi = mid;
    }
    const out: ShownPopup[] = [];
    for (let i = lo - 1; i >= 0 && out.length < limit; i--) {
      const p = this.shown[i] as ShownPopup;
      if (p.time < from) break;
      out.push(p);
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
