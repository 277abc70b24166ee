// 1.2.2 / 1.2.4 / 1.2.6 / 1.2.8: one category read by one SDK at a regular period (a timer),
// not merely often. Per (category, SDK) the reads' times are scanned for the longest run of
// consecutive intervals within ±`tolerance` of their median; `minRepeats` such intervals make a
// period, which the finding states ("every 5.0 s"). Reads of one call burst (< `minPeriodMs`
// apart) are merged first. Background share decides 1.2.6 (app) / 1.2.8 (SDK); a period of
// `fastMs` or less for identifiers or location is 1.2.4.
import { hasEventChunks, streamCut, streamRows, timeBase } from '../../store/event-rows.ts';
import { type EventGroup, isPersonal, sdkLabel, sdkShort } from '../context.ts';
import type { FindingDraft, Rule } from '../types.ts';

export interface Period {
  periodMs: number;
  /** Index of the first and last read of the regular run. */
  from: number;
  to: number;
}

/** The longest regular run in sorted times, or null when fewer than `minRepeats` intervals repeat. */
export function findPeriod(
  times: readonly number[],
  opts: { minRepeats: number; tolerance: number; minPeriodMs: number },
): Period | null {
  const t: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const x = times[i]!;
    if (t.length === 0 || x - t[t.length - 1]! >= opts.minPeriodMs) {
      t.push(x);
      idx.push(i);
    }
  }
  let best: Period | null = null;
  let bestLen = 0;
  // Grow a run from each start while the next interval stays within tolerance of the run's first.
  for (let i = 0; i + 1 < t.length; i++) {
    const ref = t[i + 1]! - t[i]!;
    let j = i + 1;
    let sum = ref;
    while (j + 1 < t.length) {
      const d = t[j + 1]! - t[j]!;
      const mean = sum / (j - i);
      if (Math.abs(d - mean) > opts.tolerance * mean) break;
      sum += d;
      j++;
    }
    const n = j - i;
    if (n >= opts.minRepeats && n > bestLen) {
      bestLen = n;
      best = { periodMs: sum / n, from: idx[i]!, to: idx[j]! };
    }
    if (j - 1 > i) i = j - 1;
  }
  return best;
}

/** Columns [offsets, keys, …] in (offset, key) order: as given when they are (one pass), else sorted. */
export function inOrder(cols: number[][]): number[][] {
  const [o, k] = cols as [number[], number[]];
  let sorted = true;
  for (let i = 1; i < o.length && sorted; i++)
    sorted = o[i - 1]! < o[i]! || (o[i - 1] === o[i] && k[i - 1]! < k[i]!);
  if (sorted) return cols;
  const order = o.map((_, i) => i).sort((a, b) => o[a]! - o[b]! || k[a]! - k[b]!);
  return cols.map((c) => order.map((i) => c[i]!));
}

const FAST_CATEGORIES = new Set(['device-id', 'location']);
/**
 * Reads examined per category (all SDKs, shared among its phases, at least 200 per phase): a
 * timer shows within the first few thousand reads of its category. Bounds the rule on
 * million-event runs (bench/analysis-bench.ts).
 */
const MAX_READS = 5_000;
const MIN_PER_PHASE = 200;
/** id and SDK id packed in one integer: id × span + (SDK id + 1, 0 for none), span ≤ SDK_SPAN. */
const SDK_SPAN = 2 ** 21;

export const periodicCollection: Rule = {
  id: 'periodic-collection',
  severity: 'medium',
  summary: 'personal data read at a regular period (a timer), with the period stated',
  run(ctx) {
    const { minRepeats, tolerance, minPeriodMs, fastMs } = ctx.limits.periodic;
    // One read per phase of the stream's chunks (streamRows) in time order, up to the limit.
    // When the roll-up says every read of a (category, phase, SDK) had the same foreground flag,
    // it comes from there instead of one more column per read. The reads come as
    // columns (one value per row: the times, and id with SDK packed in one integer), not rows: a
    // row object per read made tens of thousands of objects for the GC to copy.
    // The physical table ordered by offset: the view's computed time costs an expression per row.
    const base = timeBase(ctx.db, ctx.run.id);
    // One statement per phase returns its reads as JSON arrays, one per column: better-sqlite3
    // makes a JS value per column of each row through the V8 API (~0.2 µs each), JSON.parse a
    // whole array at once; two walks of the same rows cost twice. The arrays come in the
    // subquery's (offset, id) order (an aggregate ORDER BY would sort them again); inOrder()
    // checks that and sorts when it is not so.
    // With chunks, no ORDER BY … LIMIT: the chunks up to streamCut hold every read of the stream
    // at or before the cut, so the first `limit` of them by (offset, id) are the first `limit` of
    // the stream; they come in chunk order (first offset, then id), already in order unless
    // messages arrived out of time order, and inOrder() + the loop's bound take them in JS
    // (SQLite's sorter over the same rows cost more than the whole read: 54 → 34 ms at 1M).
    const chunked = hasEventChunks(ctx.db);
    const maxSdk = ctx.db.prepare<[], number | null>('SELECT max(id) FROM sdks').pluck().get() ?? 0;
    const maxId = ctx.db.prepare<[], number | null>('SELECT max(id) FROM event_rows').pluck().get() ?? 0;
    // The smallest power of two above every SDK id + 1: the packed keys then stay small integers
    // (V8 Smis, not heap numbers) on runs of millions of events with few SDKs.
    const span = 2 ** Math.ceil(Math.log2(maxSdk + 2));
    const packable = span <= SDK_SPAN && maxId < 2 ** 31;
    const walk = (cols: readonly string[]) =>
      ctx.db
        .prepare<number[], string[]>(
          `SELECT ${cols.map((c) => `json_group_array(${c})`).join(', ')} FROM (
             SELECT e.offset_ms AS o, e.id * ${span} + ifnull(e.sdk_id + 1, 0) AS k, e.foreground AS f
             FROM ${streamRows(ctx.db, { category: true, phase: true, range: true })}${chunked ? '' : ' ORDER BY e.offset_ms, e.id LIMIT ?'})`,
        )
        .raw(true);
    const timesKeys = walk(['o', 'k']);
    const timesKeysFlags = walk(['o', 'k', 'f']);
    const rowsOf = ctx.db
      .prepare<number[], [number, number, number, number | null]>(
        `SELECT e.offset_ms + ${Number(base)}, e.id, e.foreground, e.sdk_id
         FROM ${streamRows(ctx.db, { category: true, phase: true, range: true })} ORDER BY e.offset_ms, e.id LIMIT ?`,
      )
      .raw(true);
    /**
     * A category's reads as typed columns (allocated once at their size: arrays grown read by read
     * were a third of the rule's allocation), and per SDK its reads' positions in (time, id) order.
     * fg: 0 in the background, else 1 (or −1: not known).
     */
    interface Reads {
      time: Float64Array;
      id: Float64Array;
      fg: Int8Array;
      bySdk: Map<number | null, number[]>;
    }
    const byCategory = new Map<number, Reads>();
    const readsOf = (categoryId: number): Reads => {
      const cached = byCategory.get(categoryId);
      if (cached) return cached;
      // phase → SDK → its one foreground flag (-1: both occur, read it per event).
      const flags = new Map<number, Map<number | null, number>>();
      for (const x of ctx.inCategory(categoryId)) {
        let m = flags.get(x.phaseId);
        if (!m) {
          m = new Map();
          flags.set(x.phaseId, m);
        }
        const fg = x.foreground ? 1 : 0;
        const had = m.get(x.sdkId);
        m.set(x.sdkId, had === undefined || had === fg ? fg : -1);
      }
      const limit = Math.max(MIN_PER_PHASE, Math.floor(MAX_READS / flags.size));
      // Per phase its first reads: packed columns (offsets, id × span + SDK + 1, flags when
      // mixed), or rows when ids or SDK ids are too large to pack.
      type PhaseReads =
        | { n: number; fgOf: Map<number | null, number>; cols: [number[], number[], number[]?] }
        | {
            n: number;
            fgOf: Map<number | null, number>;
            rows: [number, number, number, number | null][];
            mixed: boolean;
          };
      const phases: PhaseReads[] = [];
      // The walks of one phase read one snapshot (a writer may be appending to the run).
      ctx.db.transaction(() => {
        for (const [ph, fgOf] of flags) {
          const mixed = [...fgOf.values()].includes(-1);
          // Only the chunks that can hold the phase's first `limit` reads (streamCut).
          const at = [
            ctx.run.id,
            categoryId,
            ph,
            -Number.MAX_VALUE,
            streamCut(ctx.db, ctx.run.id, categoryId, ph, limit),
            limit,
          ];
          const json = packable
            ? (mixed ? timesKeysFlags : timesKeys).get(...(chunked ? at.slice(0, -1) : at))
            : undefined;
          if (json) {
            const cols = inOrder(json.map((a) => JSON.parse(a) as number[])) as [
              number[],
              number[],
              number[]?,
            ];
            phases.push({ n: Math.min(cols[0].length, limit), fgOf, cols });
          } else {
            const rows = rowsOf.all(...at);
            phases.push({ n: rows.length, fgOf, rows, mixed });
          }
        }
      })();
      const total = phases.reduce((n, x) => n + x.n, 0);
      const r: Reads = {
        time: new Float64Array(total),
        id: new Float64Array(total),
        fg: new Int8Array(total),
        bySdk: new Map(),
      };
      let at = 0;
      for (const x of phases) {
        // Inline (no call per read: this loop mostly runs before the JIT compiles it).
        let lastSdk: number | null | undefined;
        let list: number[] = [];
        let sdkFg = -1;
        for (let i = 0; i < x.n; i++, at++) {
          let sdk: number | null;
          let fg: number | undefined;
          if ('cols' in x) {
            const k = x.cols[1][i]!;
            const s = k % span;
            sdk = s === 0 ? null : s - 1;
            r.time[at] = x.cols[0][i]! + base;
            r.id[at] = (k - s) / span;
            fg = x.cols[2]?.[i];
          } else {
            const row = x.rows[i]!;
            sdk = row[3];
            r.time[at] = row[0];
            r.id[at] = row[1];
            if (x.mixed) fg = row[2];
          }
          if (sdk !== lastSdk) {
            lastSdk = sdk;
            const had = r.bySdk.get(sdk);
            if (had) list = had;
            else {
              list = [];
              r.bySdk.set(sdk, list);
            }
            // Reads of an SDK absent from the groups (the framework's own) are never asked for.
            sdkFg = x.fgOf.get(sdk) ?? -1;
          }
          list.push(at);
          const f = fg ?? sdkFg;
          r.fg[at] = f === 0 ? 0 : f === -1 ? -1 : 1;
        }
      }
      for (const list of r.bySdk.values())
        list.sort((a, b) => r.time[a]! - r.time[b]! || r.id[a]! - r.id[b]!);
      byCategory.set(categoryId, r);
      return r;
    };
    const judge = (g: EventGroup): FindingDraft[] => {
      const out: FindingDraft[] = [];
      const r = readsOf(g.categoryId);
      // A background timer and a foreground one interleave: each is looked for on its own, so
      // one (category, SDK) may have a background period (1.2.6/1.2.8) and a foreground one.
      // Split in one loop (no callback per read).
      const bg: number[] = [];
      const bgTimes: number[] = [];
      const other: number[] = [];
      const otherTimes: number[] = [];
      for (const i of r.bySdk.get(g.sdkId) ?? []) {
        if (r.fg[i] === 0) {
          bg.push(i);
          bgTimes.push(r.time[i]!);
        } else {
          other.push(i);
          otherTimes.push(r.time[i]!);
        }
      }
      for (const [rows, times] of [
        [bg, bgTimes],
        [other, otherTimes],
      ] as const) {
        const p = findPeriod(times, { minRepeats, tolerance, minPeriodMs });
        if (!p) continue;
        const run = rows.slice(p.from, p.to + 1);
        const first = run[0]!;
        const bg = r.fg[first] === 0;
        const sdk = g.sdk !== null && !g.sdk.startsWith('third-party:');
        const scenarios = [p.periodMs <= fastMs && FAST_CATEGORIES.has(g.category) ? '1.2.4' : '1.2.2'];
        if (bg) scenarios.push(sdk ? '1.2.8' : '1.2.6');
        const every = `${(p.periodMs / 1000).toFixed(1)} s`;
        out.push({
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count: run.length,
          evidence: run.map((i) => r.id[i]!).slice(0, ctx.limits.evidence),
          scenarios,
          title: `${g.category} read every ${every} by ${sdkShort(g.sdk)} (${run.length} reads${bg ? ', in the background' : ''})`,
          detail:
            `${sdkLabel(g.sdk)} read ${g.category} at a regular period of ${every} (±${Math.round(tolerance * 100)}%): ` +
            `${run.length} reads from ${ctx.at(r.time[first]!)} to ${ctx.at(r.time[run.at(-1)!]!)}` +
            `${bg ? ' while the app was in the background' : ''}. A timer collecting personal data at a fixed ` +
            `frequency goes beyond what a user action needs. ${ctx.firstAccess(r.id[first])}`,
        });
      }
      return out;
    };
    const wanted = ctx.byCategorySdk((x) => isPersonal(x.category)).filter((g) => g.n >= minRepeats + 1);
    // Category by category, each category's reads dropped once its SDKs are judged (keeping every
    // category's reads alive at once made each young-generation GC copy them all); the findings
    // are listed in the order of `wanted` all the same.
    const found = new Map<EventGroup, FindingDraft[]>();
    for (const c of new Set(wanted.map((g) => g.categoryId))) {
      for (const g of wanted) if (g.categoryId === c) found.set(g, judge(g));
      byCategory.delete(c);
    }
    return wanted.flatMap((g) => found.get(g) ?? []);
  },
};
