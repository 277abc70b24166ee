// Per-entry calibration verdicts from what a run observed. Each event's stack names the call it
// came from (Calls.c<N>); an entry's calls must each produce exactly one event of that entry.
import { CALLS_CLASS, type CalibrationCall, existsAt } from './plan.ts';

export const VERDICTS = ['fired-once', 'not-fired', 'fired-more-than-once', 'not-applicable'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One event as the run recorded it: its hook and its stack frames (innermost first). */
export interface Observation {
  hook: string;
  frames: readonly string[];
}

export interface CallVerdict {
  index: number;
  overload: string;
  events: number;
  verdict: Verdict;
  reason?: string;
}

export interface EntryVerdict {
  hook: string;
  verdict: Verdict;
  calls: CallVerdict[];
}

export interface CalibrationReport {
  device: string;
  apiLevel: number;
  entries: EntryVerdict[];
  counts: Record<Verdict, number>;
}

const CALL_FRAME = new RegExp(`${CALLS_CLASS.replaceAll('.', '\\.')}\\.c(\\d+)\\(`);

export function callIndexOf(frames: readonly string[]): number | undefined {
  for (const f of frames) {
    const m = CALL_FRAME.exec(f);
    if (m) return Number(m[1]);
  }
  return undefined;
}

export function calibrationVerdicts(
  plan: readonly CalibrationCall[],
  observed: readonly Observation[],
  apiLevel: number,
  device: string,
): CalibrationReport {
  const counts = new Map<string, number>();
  for (const o of observed) {
    const i = callIndexOf(o.frames);
    if (i === undefined) continue;
    const key = `${i}\n${o.hook}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const byHook = new Map<string, CallVerdict[]>();
  for (const c of plan) {
    const events = counts.get(`${c.index}\n${c.hook}`) ?? 0;
    const overload = `${c.method}(${c.params.join(',')})`;
    let v: CallVerdict;
    if (c.notApplicable)
      v = { index: c.index, overload, events, verdict: 'not-applicable', reason: c.notApplicable };
    else if (!existsAt(c, apiLevel))
      v = {
        index: c.index,
        overload,
        events,
        verdict: 'not-applicable',
        reason: `exists in API ${c.minApi}–${c.maxApi ?? 'latest'}, device is API ${apiLevel}`,
      };
    else
      v = {
        index: c.index,
        overload,
        events,
        verdict: events === 0 ? 'not-fired' : events === 1 ? 'fired-once' : 'fired-more-than-once',
      };
    byHook.set(c.hook, [...(byHook.get(c.hook) ?? []), v]);
  }
  const entries: EntryVerdict[] = [...byHook].map(([hook, calls]) => {
    const live = calls.filter((c) => c.verdict !== 'not-applicable');
    const verdict: Verdict =
      live.length === 0
        ? 'not-applicable'
        : live.some((c) => c.verdict === 'fired-more-than-once')
          ? 'fired-more-than-once'
          : live.some((c) => c.verdict === 'not-fired')
            ? 'not-fired'
            : 'fired-once';
    return { hook, verdict, calls };
  });
  const tally = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const e of entries) tally[e.verdict]++;
  return { device, apiLevel, entries, counts: tally };
}

export function formatCalibration(r: CalibrationReport): string {
  const lines = [`calibration on ${r.device} (API ${r.apiLevel}): ${r.entries.length} catalog entries`];
  for (const e of r.entries) {
    const notes = e.calls
      .filter((c) => c.verdict !== e.verdict || c.reason)
      .map(
        (c) =>
          `${c.overload}: ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.events > 1 ? ` ×${c.events}` : ''}`,
      );
    lines.push(
      `  ${e.verdict.padEnd(21)} ${e.hook}${notes.length > 0 ? `  — ${notes.slice(0, 2).join('; ')}` : ''}`,
    );
  }
  lines.push(VERDICTS.map((v) => `${v} ${r.counts[v]}`).join(', '));
  return `${lines.join('\n')}\n`;
}
