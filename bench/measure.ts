// Shared by the benchmarks: run a command as a user would (a fresh process, start-up included),
// compare it with an anchor in PAIRS (ours, then the anchor, alternating, so drift in a shared
// machine's load hits both sides alike), and print every figure with its target and a verdict
// taken from the medians — never from one sample.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
/** The CLI a user runs (compiled at install; bin/overreach.js falls back to tsx when not built). */
export const BIN = join(ROOT, 'bin', 'overreach.js');
const TIME = '/usr/bin/time';

export interface Sample {
  ms: number;
  /** Peak resident memory of the process in KiB, when /usr/bin/time is there to tell. */
  maxRssKiB: number | null;
  /** User + system CPU time in ms (/usr/bin/time), less sensitive than wall time to the load. */
  cpuMs?: number | null;
}

/** Runs `node <args>` to completion; throws with its stderr on a non-zero exit (unless allowed). */
export function runNode(
  args: readonly string[],
  opts: { cwd?: string; okCodes?: readonly number[]; env?: NodeJS.ProcessEnv } = {},
): Sample {
  const withTime = existsSync(TIME);
  const cmd = withTime ? TIME : process.execPath;
  const argv = withTime ? ['-f', '%U %S %M', process.execPath, ...args] : [...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: opts.env ?? process.env,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ok = opts.okCodes ?? [0];
  if (r.status === null || !ok.includes(r.status))
    throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
  let maxRssKiB: number | null = null;
  let cpuMs: number | null = null;
  if (withTime) {
    const last = /^([\d.]+) ([\d.]+) (\d+)$/.exec(r.stderr.trim().split('\n').at(-1) ?? '');
    if (last) {
      cpuMs = (Number(last[1]) + Number(last[2])) * 1000;
      maxRssKiB = Number(last[3]);
    }
  }
  return { ms, maxRssKiB, cpuMs };
}

export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

export interface Paired {
  ours: Stats;
  anchor: Stats;
  /** median(ours) / median(anchor). */
  ratio: number;
  /** Spread of the per-pair ratios. */
  pairRatios: Stats;
  oursRss: Stats | null;
  /** CPU time (user + system) of each side, when measured. */
  oursCpu: Stats | null;
  anchorCpu: Stats | null;
}

/**
 * `pairs` times: ours, then the anchor. `setup` runs before each side (untimed), e.g. to delete
 * the database an ingest writes.
 */
export function paired(
  ours: () => Sample,
  anchor: () => Sample,
  pairs: number,
  setup: { ours?: () => void; anchor?: () => void } = {},
): Paired {
  const a: number[] = [];
  const b: number[] = [];
  const rss: number[] = [];
  const ca: number[] = [];
  const cb: number[] = [];
  for (let i = 0; i < pairs; i++) {
    setup.ours?.();
    const x = ours();
    setup.anchor?.();
    const y = anchor();
    a.push(x.ms);
    b.push(y.ms);
    if (x.maxRssKiB !== null) rss.push(x.maxRssKiB);
    if (x.cpuMs != null && y.cpuMs != null) {
      ca.push(x.cpuMs);
      cb.push(y.cpuMs);
    }
  }
  const ours_ = stats(a);
  const anchor_ = stats(b);
  return {
    ours: ours_,
    anchor: anchor_,
    ratio: ours_.median / anchor_.median,
    pairRatios: stats(a.map((x, i) => x / b[i]!)),
    oursRss: rss.length ? stats(rss) : null,
    oursCpu: ca.length ? stats(ca) : null,
    anchorCpu: cb.length ? stats(cb) : null,
  };
}

export interface Verdict {
  figure: string;
  value: string;
  target: string;
  met: boolean | null;
}

/** Every verdict printed in this process, for bench/run-all.ts's summary. */
export const VERDICTS: Verdict[] = [];

const ms = (s: Stats) => `${s.median.toFixed(0)} ms [${s.min.toFixed(0)}–${s.max.toFixed(0)}]`;

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints one figure: value, target, verdict; `met` null = measured, no target. */
export function verdict(figure: string, value: string, target: string, met: boolean | null): void {
  VERDICTS.push({ figure, value, target, met });
  const v = met === null ? 'info' : met ? 'MET' : 'MISSED';
  print(`  ${figure.padEnd(46)} ${value.padEnd(34)} target ${target.padEnd(16)} ${v}`);
}

/** Prints a paired comparison: both sides' median [min–max] and the ratio of medians. */
export function printPaired(label: string, anchorLabel: string, p: Paired): void {
  print(`  ${label}: ${ms(p.ours)}   ${anchorLabel}: ${ms(p.anchor)}   (${p.ours.n} pairs)`);
  print(
    `    ratio of medians ${p.ratio.toFixed(2)}, per-pair ratios ${p.pairRatios.min.toFixed(2)}–${p.pairRatios.max.toFixed(2)}`,
  );
}

/** The machine, for docs/performance.md and every bench header. */
export function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

/** Events for a bench: BENCH_EVENTS, else the given default (the sizes). */
export function benchEvents(fallback: number): number {
  const v = Number(process.env['BENCH_EVENTS']);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

export function benchPairs(): number {
  const v = Number(process.env['BENCH_PAIRS']);
  return Number.isInteger(v) && v >= 5 ? v : 5;
}
