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

/** Popups with texts shown in [from, to], latest first, at most `limit`. */
export function popupsBetween(
  db: Database.Database,
  runId: number,
  from: number,
  to: number,
  limit = 4,
): ShownPopup[] {
  const rows = db
    .prepare<
      [number, number, number],
      { id: number; time: number; kind: ShownPopup['kind']; args: string | null }
    >(
      `SELECT e.id, e.time, c.name AS kind, sa.text AS args FROM events e
       JOIN categories c ON c.id = e.category_id JOIN summaries sa ON sa.id = e.args_id
       WHERE e.run_id = ?
         AND e.category_id IN (SELECT id FROM categories WHERE name IN (${POPUP_KINDS.map((k) => `'${k}'`).join(', ')}))
         AND e.time >= ? AND e.time <= ? ORDER BY e.time DESC, e.id DESC`,
    )
    .all(runId, from, to);
  const out: ShownPopup[] = [];
  for (const r of rows) {
    const texts = popupTexts(r.args);
    if (texts) out.push({ id: r.id, time: r.time, kind: r.kind, texts });
    if (out.length >= limit) break;
  }
  return out;
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
