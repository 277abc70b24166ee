// The roll-up's event groups as the rules read them (AnalysisContext.groups): merged over steps,
// named, in key order. The stored groups come sorted from SQLite, one JSON array per column (an
// object per row through JSON cost ~2×; ~5,000 rows at 1M events).
import type { DataCategory } from '../../agent/protocol/messages.ts';
import { FRAMEWORK_SDK } from '../knowledge/sdks.ts';
import { lookupNames } from '../store/rollup-read.ts';
import type { RollupGroup } from '../store/rollups.ts';
import type { EventGroup } from './context.ts';
import type { Db } from './types.ts';

type Key = Pick<RollupGroup, 'categoryId' | 'sdkId' | 'phaseId' | 'foreground' | 'apiId'>;

/** Names of the groups' ids, and the hook of each API (asked once per API). */
function namer(db: Db): { framework: number | undefined; name: (g: EventGroup) => void } {
  const categories = lookupNames(db, 'categories');
  const phases = lookupNames(db, 'phases');
  const sdks = lookupNames(db, 'sdks');
  const hooks = new Map<number, string>();
  const hook = db.prepare<[number], string>('SELECT hook FROM apis WHERE id = ?').pluck();
  // A platform component's own checks (WebView, Play services: FRAMEWORK_SDK) are not the app's
  // behaviour: no rule counts them. They stay in the store and the report's evidence.
  const framework = [...sdks].find(([, name]) => name === FRAMEWORK_SDK)?.[0];
  const name = (g: EventGroup) => {
    let h = hooks.get(g.apiId);
    if (h === undefined) {
      h = hook.get(g.apiId) ?? '';
      hooks.set(g.apiId, h);
    }
    g.category = categories.get(g.categoryId) as DataCategory;
    g.sdk = g.sdkId === null ? null : (sdks.get(g.sdkId) ?? null);
    g.phase = phases.get(g.phaseId) ?? '';
    g.hook = h;
  };
  return { framework, name };
}

const sameKey = (a: Key, b: Key) =>
  a.categoryId === b.categoryId &&
  a.sdkId === b.sdkId &&
  a.phaseId === b.phaseId &&
  a.foreground === b.foreground &&
  a.apiId === b.apiId;

/** The order a GROUP BY over the key gave (rules list findings in it): SDK null first. */
const byKey = (a: Key, b: Key) =>
  a.categoryId - b.categoryId ||
  (a.sdkId ?? -1) - (b.sdkId ?? -1) ||
  a.phaseId - b.phaseId ||
  a.foreground - b.foreground ||
  a.apiId - b.apiId;

/** Roll-up groups in memory (rebuilt from the events), merged over steps, with names. */
export function loadGroups(db: Db, rows: readonly RollupGroup[]): EventGroup[] {
  const { framework, name } = namer(db);
  // Stable: a key's rows keep their order, and so their samples.
  const sorted = rows.filter((r) => framework === undefined || r.sdkId !== framework).sort(byKey);
  const out: EventGroup[] = [];
  let prev: RollupGroup | undefined;
  for (const r of sorted) {
    const m = out[out.length - 1];
    if (m && prev && sameKey(prev, r)) {
      m.n += r.n;
      m.first = Math.min(m.first, r.first);
      m.last = Math.max(m.last, r.last);
      m.samples.push(r.sample);
      continue;
    }
    prev = r;
    const g: EventGroup = {
      categoryId: r.categoryId,
      // Set by `name`: here so every group has one shape from the start (no spread: V8 builds a
      // spread object's added fields as a dictionary, slower for every rule's read).
      category: '' as DataCategory,
      sdk: null,
      phase: '',
      hook: '',
      sdkId: r.sdkId,
      phaseId: r.phaseId,
      foreground: r.foreground === 1,
      apiId: r.apiId,
      n: r.n,
      first: r.first,
      last: r.last,
      samples: [r.sample],
    };
    name(g);
    out.push(g);
  }
  return out;
}

/** Run `runId`'s stored groups (rollupStored), merged over steps, with names. */
export function loadStoredGroups(db: Db, runId: number): EventGroup[] {
  const { framework, name } = namer(db);
  // Key order (NULL sorts first, as byKey), then rowid: a key's rows in readStoredGroups' order.
  // The samples (~850 kB of text at 1M events) apart, by rowid: through SQLite's sorter with the
  // rows they cost twice the rest of the read.
  // Both reads in one snapshot (a run still being recorded gains rows between them).
  const read = db.transaction(() => {
    const cols = db
      .prepare<[number], string[]>(
        `SELECT json_group_array(category_id), json_group_array(sdk_id), json_group_array(phase_id),
         json_group_array(foreground), json_group_array(api_id), json_group_array(n),
         json_group_array(first), json_group_array(last), json_group_array(rowid)
       FROM (SELECT rowid, category_id, sdk_id, phase_id, foreground, api_id, n, first, last
         FROM event_groups WHERE run_id = ? ORDER BY category_id, sdk_id, phase_id, foreground, api_id, rowid)`,
      )
      .raw(true)
      .get(runId)!;
    const texts = db
      .prepare<[number], string[]>(
        'SELECT json_group_array(rowid), json_group_array(sample) FROM event_groups WHERE run_id = ?',
      )
      .raw(true)
      .get(runId)!;
    return { cols, texts };
  });
  const { cols, texts } = read();
  const [cat, sdk, phase, fg, api, n, first, last, rowid] = cols.map((c) => JSON.parse(c ?? '[]')) as [
    number[],
    (number | null)[],
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  const [sampleRows, sampleTexts] = texts.map((c) => JSON.parse(c ?? '[]')) as [number[], string[]];
  const samples = new Map<number, string>();
  for (let i = 0; i < sampleRows.length; i++) samples.set(sampleRows[i]!, sampleTexts[i]!);
  const sample = rowid.map((r) => samples.get(r) ?? '');
  const out: EventGroup[] = [];
  let prev = -1;
  for (let i = 0; i < cat.length; i++) {
    if (framework !== undefined && sdk[i] === framework) continue;
    const m = out[out.length - 1];
    if (
      m &&
      cat[prev] === cat[i] &&
      sdk[prev] === sdk[i] &&
      phase[prev] === phase[i] &&
      fg[prev] === fg[i] &&
      api[prev] === api[i]
    ) {
      m.n += n[i]!;
      m.first = Math.min(m.first, first[i]!);
      m.last = Math.max(m.last, last[i]!);
      m.samples.push(sample[i]!);
      continue;
    }
    prev = i;
    const g: EventGroup = {
      categoryId: cat[i]!,
      category: '' as DataCategory,
      sdk: null,
      phase: '',
      hook: '',
      sdkId: sdk[i]!,
      phaseId: phase[i]!,
      foreground: fg[i] === 1,
      apiId: api[i]!,
      n: n[i]!,
      first: first[i]!,
      last: last[i]!,
      samples: [sample[i]!],
    };
    name(g);
    out.push(g);
  }
  return out;
}
