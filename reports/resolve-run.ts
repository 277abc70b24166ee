// `<run|latest>` arguments: a run id, or `latest` (the newest run in the database).
import type Database from 'better-sqlite3';
import { InputError } from '../harness/errors.ts';

export function resolveRun(db: Database.Database, spec: string, dbLabel: string): number {
  const text = spec.trim();
  if (text === 'latest') {
    const id = db.prepare<[], number>('SELECT max(id) FROM runs').pluck().get();
    if (id === null || id === undefined) throw new InputError(`${dbLabel}: no runs yet`);
    return id;
  }
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id < 1)
    throw new InputError(`run: expected a run id or "latest", got "${spec}"`);
  const found = db.prepare<[number], number>('SELECT id FROM runs WHERE id = ?').pluck().get(id);
  if (found === undefined) throw new InputError(`${dbLabel}: no run ${id}`);
  return id;
}
