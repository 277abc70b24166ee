// Reads that come back as JSON columns in a subquery's order (periodic-collection, rate
// windows, permission events, roll-ups) are checked for that order and sorted when it is not
// kept; jsonRows gives back exactly the values better-sqlite3 would.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inOrder } from '../harness/analysis/rules/periodic-collection.ts';
import { jsonRows } from '../harness/store/json-rows.ts';

describe('JSON columns', () => {
  it('inOrder keeps sorted columns as they are and sorts unsorted ones by (offset, key)', () => {
    const sorted = [
      [1, 2, 2, 5],
      [10, 3, 7, 1],
      [0, 1, 0, 1],
    ];
    expect(inOrder(sorted)).toBe(sorted);
    expect(
      inOrder([
        [5, 2, 2, 1],
        [1, 7, 3, 10],
        [1, 0, 1, 0],
      ]),
    ).toEqual(sorted);
  });

  it('jsonRows returns the values better-sqlite3 returns: integers, fractions, NULL, text', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (a INTEGER, b REAL, c TEXT, d INTEGER)');
    const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
    const rows = [
      [1, 1767225649962.3501, 'x"y\\z\n', null],
      [2 ** 40, 0.1 + 0.2, '', 7],
      [-3, 12, 'é😀', 0],
    ] as const;
    for (const r of rows) ins.run(...r);
    const direct = db.prepare('SELECT a, b, c, d FROM t').all();
    expect(jsonRows(db, { a: 'a', b: 'b', c: 'c', d: 'd' }, 't', [])).toEqual(direct);
    expect(jsonRows(db, { a: 'a' }, 't WHERE a > ?', [1e15])).toEqual([]);
    db.close();
  });
});
