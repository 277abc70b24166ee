// Merges trace databases into one (`overreach merge a.db b.db -o all.db`).
//
// Streaming: each input is ATTACHed and copied with INSERT … SELECT. Lookup tables (threads,
// phases, categories, sdks, summaries, apis, stacks, apps) are re-interned by their natural key
// and joined through small temp mapping tables; row tables (runs, processes, steps, events, …)
// keep their relative ids shifted by the output's current maximum, so the millions of events
// never pass through JavaScript and ids stay unique.
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { InputError } from '../errors.ts';
import { createLog } from '../log.ts';
import { readSaltFile, SALT_ENV, saltId } from '../run/salt.ts';
import { CHUNK_SIZE } from '../store/event-rows.ts';
import { SCHEMA_VERSION } from '../store/schema.ts';
import { openStore } from '../store/store.ts';

const log = createLog('merge');

/** Tables re-interned by a unique text key: table → key column. */
const NAMED = [
  ['threads', 'name'],
  ['phases', 'name'],
  ['categories', 'name'],
  ['sdks', 'name'],
  ['summaries', 'text'],
] as const;

/** Row tables whose integer ids are shifted, in dependency order. */
const SHIFTED = [
  'runs',
  'processes',
  'steps',
  'event_chunks',
  'event_rows',
  'lifecycle',
  'agent_errors',
  'findings',
  'appops',
  'device_logs',
  'transmissions',
  'ui_snapshots',
] as const;
type Shifted = (typeof SHIFTED)[number];

/** How a column is rewritten: shifted by another table's offset or mapped through a temp table. */
type ColumnRule = { shift: Shifted } | { map: string; nullable?: boolean };

const RULES: Record<string, Record<string, ColumnRule>> = {
  runs: { id: { shift: 'runs' }, app_id: { map: 'apps', nullable: true } },
  processes: { id: { shift: 'processes' }, run_id: { shift: 'runs' } },
  steps: { id: { shift: 'steps' }, run_id: { shift: 'runs' } },
  // Chunks keep their id blocks: chunk numbers shift by the output's last chunk and event ids by
  // that many blocks (a multiple of the chunk size), so every row stays in its chunk.
  event_chunks: {
    chunk: { shift: 'event_chunks' },
    run_id: { shift: 'runs' },
    category_id: { map: 'categories' },
    phase_id: { map: 'phases' },
  },
  // event_rows.offset_ms is relative to runs.time_base, which is copied with the run.
  event_rows: {
    id: { shift: 'event_rows' },
    run_id: { shift: 'runs' },
    process_id: { shift: 'processes' },
    step_id: { shift: 'steps' },
    thread_id: { map: 'threads' },
    api_id: { map: 'apis' },
    category_id: { map: 'categories' },
    phase_id: { map: 'phases' },
    stack_id: { map: 'stacks', nullable: true },
    sdk_id: { map: 'sdks', nullable: true },
    args_id: { map: 'summaries', nullable: true },
    result_id: { map: 'summaries', nullable: true },
  },
  hook_status: { run_id: { shift: 'runs' }, process_id: { shift: 'processes' } },
  lifecycle: { id: { shift: 'lifecycle' }, run_id: { shift: 'runs' }, process_id: { shift: 'processes' } },
  agent_errors: {
    id: { shift: 'agent_errors' },
    run_id: { shift: 'runs' },
    process_id: { shift: 'processes' },
  },
  findings: { id: { shift: 'findings' }, run_id: { shift: 'runs' } },
  event_raw: { event_id: { shift: 'event_rows' } },
  finding_events: { finding_id: { shift: 'findings' }, event_id: { shift: 'event_rows' } },
  appops: { id: { shift: 'appops' }, run_id: { shift: 'runs' } },
  device_logs: { id: { shift: 'device_logs' }, run_id: { shift: 'runs' } },
  static_call_sites: { run_id: { shift: 'runs' } },
  sends: { event_id: { shift: 'event_rows' }, run_id: { shift: 'runs' } },
  // read_event_id may be NULL: NULL + offset stays NULL.
  transmissions: {
    id: { shift: 'transmissions' },
    run_id: { shift: 'runs' },
    send_event_id: { shift: 'event_rows' },
    read_event_id: { shift: 'event_rows' },
  },
  ui_snapshots: { id: { shift: 'ui_snapshots' }, run_id: { shift: 'runs' }, step_id: { shift: 'steps' } },
};

/** Copy order: every table after the ones it references. */
const COPY_ORDER = [
  'runs',
  'processes',
  'steps',
  'event_chunks',
  'event_rows',
  'event_raw',
  'sends',
  'transmissions',
  'hook_status',
  'lifecycle',
  'agent_errors',
  'findings',
  'finding_events',
  'appops',
  'device_logs',
  'static_call_sites',
  'ui_snapshots',
] as const;

export interface MergeInputResult {
  file: string;
  runs: number;
  events: number;
  /** Input run id → merged run id. */
  runIds: Map<number, number>;
}

export interface MergeResult {
  out: string;
  inputs: MergeInputResult[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function columns(db: BetterSqlite3.Database, schema: string, table: string): string[] {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as {
    name: string;
  }[];
  return rows.map((r) => r.name);
}

function maxId(db: BetterSqlite3.Database, table: string): number {
  if (table === 'event_chunks') return 0; // set from max(chunk) in mergeOne
  const row = db.prepare(`SELECT coalesce(max(id), 0) AS m FROM main.${q(table)}`).get() as { m: number };
  return row.m;
}

function count(db: BetterSqlite3.Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

function buildMaps(db: BetterSqlite3.Database): void {
  for (const [table, key] of NAMED) {
    db.exec(`INSERT OR IGNORE INTO main.${table} (${key}) SELECT ${key} FROM src.${table} ORDER BY id`);
    db.exec(`DROP TABLE IF EXISTS temp.map_${table}`);
    db.exec(
      `CREATE TEMP TABLE map_${table} (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
       INSERT INTO temp.map_${table} SELECT s.id, m.id FROM src.${table} s JOIN main.${table} m ON m.${key} = s.${key};`,
    );
  }
  // apis: keyed by (hook, signature); their category goes through the category map.
  db.exec(`INSERT OR IGNORE INTO main.apis (hook, category_id, signature)
    SELECT a.hook, c.new, a.signature FROM src.apis a JOIN temp.map_categories c ON c.old = a.category_id ORDER BY a.id`);
  db.exec(`DROP TABLE IF EXISTS temp.map_apis;
    CREATE TEMP TABLE map_apis (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
    INSERT INTO temp.map_apis SELECT s.id, m.id FROM src.apis s JOIN main.apis m ON m.hook = s.hook AND m.signature = s.signature;`);
  // stacks: keyed by content hash.
  db.exec(`INSERT OR IGNORE INTO main.stacks (hash, frames, frame_count, native, sdk_id)
    SELECT k.hash, k.frames, k.frame_count, k.native, d.new FROM src.stacks k LEFT JOIN temp.map_sdks d ON d.old = k.sdk_id ORDER BY k.id`);
  db.exec(`DROP TABLE IF EXISTS temp.map_stacks;
    CREATE TEMP TABLE map_stacks (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
    INSERT INTO temp.map_stacks SELECT s.id, m.id FROM src.stacks s JOIN main.stacks m ON m.hash = s.hash;`);
  // apps: deduplicated like Store.upsertApp, by (package, version_code, version_name, apk_sha256).
  db.exec(`INSERT INTO main.apps (package, label, version_code, version_name, min_sdk, target_sdk, apk_sha256)
    SELECT s.package, s.label, s.version_code, s.version_name, s.min_sdk, s.target_sdk, s.apk_sha256 FROM src.apps s
    WHERE NOT EXISTS (SELECT 1 FROM main.apps m WHERE m.package = s.package AND m.version_code IS s.version_code
      AND m.version_name IS s.version_name AND m.apk_sha256 IS s.apk_sha256)
    ORDER BY s.id`);
  db.exec(`DROP TABLE IF EXISTS temp.map_apps;
    CREATE TEMP TABLE map_apps (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
    INSERT INTO temp.map_apps SELECT s.id, (SELECT min(m.id) FROM main.apps m WHERE m.package = s.package
      AND m.version_code IS s.version_code AND m.version_name IS s.version_name AND m.apk_sha256 IS s.apk_sha256) FROM src.apps s;
    INSERT OR IGNORE INTO main.app_permissions (app_id, name, max_sdk)
      SELECT a.new, p.name, p.max_sdk FROM src.app_permissions p JOIN temp.map_apps a ON a.old = p.app_id;`);
}

function copyTable(db: BetterSqlite3.Database, table: string, offsets: Record<Shifted, number>): void {
  const rules = RULES[table] ?? {};
  const outCols = new Set(columns(db, 'main', table));
  const cols = columns(db, 'src', table).filter((c) => outCols.has(c));
  const joins: string[] = [];
  const exprs = cols.map((c) => {
    const rule = rules[c];
    if (!rule) return `s.${q(c)}`;
    if ('shift' in rule) return `s.${q(c)} + ${offsets[rule.shift]}`;
    const alias = `m_${c}`;
    joins.push(
      `${rule.nullable ? 'LEFT JOIN' : 'JOIN'} temp.map_${rule.map} ${alias} ON ${alias}.old = s.${q(c)}`,
    );
    return `${alias}.new`;
  });
  const list = cols.map(q).join(', ');
  db.exec(
    `INSERT INTO main.${q(table)} (${list}) SELECT ${exprs.join(', ')} FROM src.${q(table)} s ${joins.join(' ')}`,
  );
}

/** The salt ids the database's runs recorded (runs.config.saltId), and its `<db>.salt` file's. */
function saltIds(file: string, db: BetterSqlite3.Database): Set<string> {
  const ids = new Set(
    db
      .prepare("SELECT DISTINCT json_extract(config, '$.saltId') FROM runs WHERE json_valid(config)")
      .pluck()
      .all()
      .filter((v): v is string => typeof v === 'string'),
  );
  const side = readSaltFile(file);
  if (side) ids.add(saltId(side));
  return ids;
}

function checkInput(file: string): Set<string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let version: number;
  let salts: Set<string>;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    salts = version >= 1 ? saltIds(file, db) : new Set();
  } finally {
    db.close();
  }
  if (version !== SCHEMA_VERSION) {
    throw new InputError(
      `${file}: schema version ${version}, expected ${SCHEMA_VERSION}; open it with a matching overreach (e.g. \`overreach query "SELECT 1" --db ${file}\` migrates an older one) before merging`,
    );
  }
  return salts;
}

/**
 * Values hashed with different salts cannot be compared (one Android ID, two hashes), so a merge
 * of databases with different salts is refused; a lab-wide salt avoids it.
 */
function checkSalts(out: string, inputs: readonly string[], perInput: readonly Set<string>[]): void {
  const owners = new Map<string, string>();
  if (existsSync(out)) {
    const db = new Database(out, { readonly: true, fileMustExist: true });
    try {
      for (const id of saltIds(out, db)) owners.set(id, out);
    } finally {
      db.close();
    }
  }
  inputs.forEach((file, i) => {
    for (const id of perInput[i] ?? []) if (!owners.has(id)) owners.set(id, file);
  });
  if (owners.size > 1) {
    const files = [...new Set(owners.values())];
    throw new InputError(
      `merge: ${files.join(' and ')} hash personal values with different salts, so the same value would have different hashes in the merged database; use one lab-wide salt (${SALT_ENV}) on every host, or merge only databases made with the same salt`,
    );
  }
}

function mergeOne(db: BetterSqlite3.Database, file: string): MergeInputResult {
  db.prepare('ATTACH DATABASE ? AS src').run(file);
  try {
    // Immediate: it reads max ids before writing, so it holds the write lock from the start.
    const tx = db.transaction(() => {
      const offsets = Object.fromEntries(SHIFTED.map((t) => [t, maxId(db, t)])) as Record<Shifted, number>;
      offsets.event_chunks = db
        .prepare<[], number>('SELECT coalesce(max(chunk), 0) FROM main.event_chunks')
        .pluck()
        .get()!;
      offsets.event_rows = offsets.event_chunks * CHUNK_SIZE;
      buildMaps(db);
      for (const table of COPY_ORDER) copyTable(db, table, offsets);
      const ids = db.prepare('SELECT id FROM src.runs ORDER BY id').all() as { id: number }[];
      return {
        file,
        runs: ids.length,
        events: count(db, 'SELECT count(*) AS n FROM src.event_rows'),
        runIds: new Map(ids.map(({ id }) => [id, id + offsets.runs])),
      };
    });
    return tx.immediate();
  } finally {
    db.exec(NAMED.map(([t]) => `DROP TABLE IF EXISTS temp.map_${t};`).join(''));
    db.exec(['apis', 'stacks', 'apps'].map((t) => `DROP TABLE IF EXISTS temp.map_${t};`).join(''));
    db.exec('DETACH DATABASE src');
  }
}

/** Merges `inputs` into `out` (created or appended to). Throws InputError on a bad input. */
export function mergeDatabases(out: string, inputs: readonly string[]): MergeResult {
  if (inputs.length === 0) throw new InputError('merge: give at least one input database');
  const outReal = existsSync(out) ? realpathSync(out) : resolve(out);
  for (const file of inputs) {
    if (!existsSync(file)) throw new InputError(`${file}: no such database`);
    if (realpathSync(file) === outReal)
      throw new InputError(`${file}: is also the output (-o); choose another file`);
  }
  // Every input is checked before anything is written, so a refused merge leaves no half output.
  const salts = inputs.map((file) => checkInput(file));
  checkSalts(out, inputs, salts);
  const store = openStore(out);
  // The merged database keeps the inputs' salt, so runs added to it later hash the same way.
  const salt = inputs.map((f) => readSaltFile(f)).find((s) => s !== undefined);
  if (salt && !readSaltFile(out)) writeFileSync(`${out}.salt`, `${salt}\n`, { mode: 0o600 });
  try {
    const results: MergeInputResult[] = [];
    for (const file of inputs) {
      const r = mergeOne(store.db, file);
      log.info(`${file}: ${r.runs} runs, ${r.events} events merged`);
      results.push(r);
    }
    return { out, inputs: results };
  } finally {
    store.close();
  }
}
