// writeFindings stores every finding's evidence with one statement, each list matched to its
// finding by position: the ids, the links and the replacement of a run's earlier findings must be
// exactly what one INSERT per finding and per evidence row gave.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFindings } from '../harness/analysis/engine.ts';
import type { FindingDraft } from '../harness/analysis/types.ts';
import { openStore, type Store } from '../harness/store/store.ts';

let store: Store;

const draft = (title: string, evidence: number[], count = evidence.length): FindingDraft => ({
  rule: 'beyond-necessary',
  severity: 'medium',
  category: 'location',
  sdk: null,
  title,
  detail: `detail of ${title}`,
  evidence,
  count,
});

const run = () =>
  store.createRun({ package: 'com.example', device: 'd', scenario: 's', toolVersion: 't', startedAt: 1 });

/** finding id → its evidence ids as stored (ascending: the table's key order). */
function links(): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of store.db
    .prepare<[], { f: number; e: number }>(
      'SELECT finding_id AS f, event_id AS e FROM finding_events ORDER BY finding_id, event_id',
    )
    .all())
    out.set(r.f, [...(out.get(r.f) ?? []), r.e]);
  return out;
}

beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

describe('writeFindings', () => {
  it('links each evidence list to its own finding (empty, duplicate, long lists)', () => {
    const a = run();
    const b = run();
    // Another run's findings first: ids continue after the largest in the table.
    const other = writeFindings(store.db, b, [draft('other', [7, 8])]);
    const long = Array.from({ length: 137 }, (_, i) => 1000 + i * 3);
    const found = writeFindings(store.db, a, [
      draft('none', []),
      draft('dup', [5, 3, 5, 3], 1),
      draft('long', long),
      draft('one', [42]),
    ]);
    const ids = found.map((f) => f.id);
    expect(ids).toEqual([other[0]!.id + 1, other[0]!.id + 2, other[0]!.id + 3, other[0]!.id + 4]);
    // The count covers at least the distinct evidence.
    expect(found[1]!.count).toBe(2);
    const stored = store.db
      .prepare<[number], { id: number; title: string; event_count: number }>(
        'SELECT id, title, event_count FROM findings WHERE run_id = ? ORDER BY id',
      )
      .all(a);
    expect(stored.map((r) => [r.id, r.title, r.event_count])).toEqual([
      [ids[0], 'none', 0],
      [ids[1], 'dup', 2],
      [ids[2], 'long', 137],
      [ids[3], 'one', 1],
    ]);
    const l = links();
    expect(l.get(other[0]!.id)).toEqual([7, 8]);
    expect(l.has(ids[0]!)).toBe(false);
    expect(l.get(ids[1]!)).toEqual([3, 5]);
    expect(l.get(ids[2]!)).toEqual(long);
    expect(l.get(ids[3]!)).toEqual([42]);
  });

  it('replaces only the run’s own findings and evidence; append adds after them', () => {
    const a = run();
    const b = run();
    writeFindings(store.db, a, [draft('old 1', [1, 2]), draft('old 2', [3])]);
    const kept = writeFindings(store.db, b, [draft('b', [9])]);
    const again = writeFindings(store.db, a, [draft('new', [4, 5])]);
    // Largest id + 1, as SQLite assigns a rowid: after run b's finding.
    expect(again[0]!.id).toBe(kept[0]!.id + 1);
    const more = writeFindings(store.db, a, [draft('expectation', [6])], { append: true });
    expect(more[0]!.id).toBe(again[0]!.id + 1);
    const l = links();
    expect([...l.keys()].sort((x, y) => x - y)).toEqual([kept[0]!.id, again[0]!.id, more[0]!.id]);
    expect(l.get(kept[0]!.id)).toEqual([9]);
    expect(l.get(again[0]!.id)).toEqual([4, 5]);
    expect(l.get(more[0]!.id)).toEqual([6]);
    expect(
      store.db
        .prepare<[number], string>('SELECT title FROM findings WHERE run_id = ? ORDER BY id')
        .pluck()
        .all(a),
    ).toEqual(['new', 'expectation']);
  });
});
