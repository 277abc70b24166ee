// Interning of repeated strings into small lookup tables (threads, phases, summaries …).
// A Map caches name → id; the cache is bounded (cleared when full) and misses fall back to the
// table's UNIQUE index, so memory stays bounded however many distinct strings a run has.
import type Database from 'better-sqlite3';

export const INTERN_CACHE_LIMIT = 100_000;

export class Interner {
  private readonly cache = new Map<string, number>();
  private readonly select: Database.Statement<[string], number>;
  private readonly insert: Database.Statement<[string]>;

  constructor(db: Database.Database, table: string, column = 'name') {
    this.select = db.prepare<[string], number>(`SELECT id FROM ${table} WHERE ${column} = ?`).pluck();
    this.insert = db.prepare<[string]>(`INSERT INTO ${table} (${column}) VALUES (?)`);
  }

  /** Id for `key`, inserting it if new. Call inside the writer's transaction. */
  id(key: string): number {
    const hit = this.cache.get(key);
    return hit !== undefined ? hit : this.miss(key);
  }

  private miss(key: string): number {
    const found = this.select.get(key);
    const id = found !== undefined ? found : Number(this.insert.run(key).lastInsertRowid);
    if (this.cache.size >= INTERN_CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, id);
    return id;
  }

  /** Forget cached ids (after a rolled-back transaction they may not exist). */
  reset(): void {
    this.cache.clear();
  }
}

/** Interns (hook, api signature) pairs into `apis`; nested maps avoid building a key per event. */
export class ApiInterner {
  private readonly cache = new Map<string, Map<string, number>>();
  private size = 0;
  private readonly select: Database.Statement<[string, string], number>;
  private readonly insert: Database.Statement<[string, number, string]>;

  constructor(db: Database.Database) {
    this.select = db
      .prepare<[string, string], number>('SELECT id FROM apis WHERE hook = ? AND signature = ?')
      .pluck();
    this.insert = db.prepare<[string, number, string]>(
      'INSERT INTO apis (hook, category_id, signature) VALUES (?, ?, ?)',
    );
  }

  id(hook: string, signature: string, categoryId: number): number {
    let bySig = this.cache.get(hook);
    if (bySig !== undefined) {
      const hit = bySig.get(signature);
      if (hit !== undefined) return hit;
    } else {
      bySig = new Map();
      this.cache.set(hook, bySig);
    }
    const found = this.select.get(hook, signature);
    const id =
      found !== undefined ? found : Number(this.insert.run(hook, categoryId, signature).lastInsertRowid);
    if (this.size >= INTERN_CACHE_LIMIT) {
      this.cache.clear();
      this.size = 0;
      this.cache.set(hook, bySig);
    }
    bySig.set(signature, id);
    this.size++;
    return id;
  }

  reset(): void {
    this.cache.clear();
    this.size = 0;
  }
}
