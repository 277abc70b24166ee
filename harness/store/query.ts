// Read-only SQL over the trace store (`overreach query`) and its output formats.
import type Database from 'better-sqlite3';
import { InputError, StoreError } from '../errors.ts';

export const QUERY_FORMATS = ['table', 'json', 'csv'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Prepares and runs one statement on a read-only connection. A statement that would write is
 * refused before it runs (stmt.readonly); the read-only connection is the second guard.
 */
export function runQuery(db: Database.Database, sql: string): QueryResult {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new InputError(`query: ${oneLine((err as Error).message)}`, { cause: err });
  }
  if (!stmt.readonly)
    throw new InputError('query: only read-only statements are allowed; the database is unchanged');
  if (!stmt.reader) {
    try {
      stmt.run();
    } catch (err) {
      throw new StoreError(`query: ${oneLine((err as Error).message)}`, { cause: err });
    }
    return { columns: [], rows: [] };
  }
  try {
    const columns = stmt.columns().map((c) => c.name);
    const rows = stmt.raw(true).all() as unknown[][];
    return { columns, rows };
  } catch (err) {
    throw new StoreError(`query: ${oneLine((err as Error).message)}`, { cause: err });
  }
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
  return String(v);
}

/** Bidi embeddings, overrides, isolates and marks: invisible, they reorder what follows. */
const isBidi = (c: number) =>
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069) ||
  c === 0x200e ||
  c === 0x200f ||
  c === 0x061c;

/**
 * Makes app-controlled text safe for a terminal: control characters and bidi reordering
 * characters become visible escapes.
 */
export function printable(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && (c < 0x80 || c > 0x9f) && (c < 0x61c || !isBidi(c))) continue;
    const shown =
      c === 0x0a
        ? '⏎'
        : c === 0x09
          ? ' '
          : c > 0xff
            ? `\\u${c.toString(16).padStart(4, '0')}`
            : `\\x${c.toString(16).padStart(2, '0')}`;
    out += text.slice(from, i) + shown;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Cells longer than this are cut with '…' in the text table (use --json/--csv for full values). */
export const MAX_CELL = 60;

export function formatTable(r: QueryResult): string {
  if (r.columns.length === 0) return 'ok\n';
  const cells = r.rows.map((row) =>
    row.map((v) => {
      const t = printable(cellText(v).replace(/\r\n/g, '\n'));
      return t.length > MAX_CELL ? `${t.slice(0, MAX_CELL - 1)}…` : t;
    }),
  );
  // A loop, not Math.max(...cells): spreading hundreds of thousands of rows overflows the stack.
  const widths = r.columns.map((c, i) => cells.reduce((w, row) => Math.max(w, row[i]!.length), c.length));
  const numeric = r.columns.map(
    (_, i) => r.rows.length > 0 && r.rows.every((row) => typeof row[i] === 'number' || row[i] === null),
  );
  const line = (row: string[]) =>
    row
      .map((t, i) => (numeric[i] ? t.padStart(widths[i]!) : t.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(r.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  out.push(`(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}

export function formatJson(r: QueryResult): string {
  const objects = r.rows.map((row) => {
    const o: Record<string, unknown> = {};
    r.columns.forEach((c, i) => {
      const v = row[i];
      o[c] = Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? v.toString() : v;
    });
    return o;
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}

/**
 * Text cells a spreadsheet would evaluate as a formula (first character = + - @ TAB CR) get a
 * leading apostrophe, as OWASP's "CSV Injection" page recommends; numbers are left as numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(v: unknown): string {
  let t = cellText(v);
  if (typeof v === 'string' && FORMULA_START.test(t)) t = `'${t}`;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * RFC 4180: CRLF line ends, fields with comma/quote/line breaks quoted, quotes doubled; text
 * starting like a formula is neutralised (see FORMULA_START).
 */
export function formatCsv(r: QueryResult): string {
  const lines = [r.columns.map(csvField).join(','), ...r.rows.map((row) => row.map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function formatResult(r: QueryResult, format: QueryFormat): string {
  return format === 'json' ? formatJson(r) : format === 'csv' ? formatCsv(r) : formatTable(r);
}
