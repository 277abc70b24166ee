// Agent benchmark: `tsx bench/agent-bench.ts` (or runAgentBench() from bench/run-all.ts).
// Measures the agent's own work per reported event — summarise, hash, stamp, stack dedup, batch,
// serialise — by running the real agent bundle in the simulated runtime and subtracting the cost
// of the same simulated calls with no hook installed. Target: ≤ 5 µs/event without stacks.
import { performance } from 'node:perf_hooks';
import type { CatalogEntry } from '../agent/catalog/types.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, ManualClock, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

export interface AgentBenchResult {
  events: number;
  baselineUsPerCall: number;
  noStackUsPerEvent: number;
  stackUsPerEvent: number;
  uniqueValuesUsPerEvent: number;
  targetMet: boolean;
}

const TM = 'android.telephony.TelephonyManager';
const CATALOG: CatalogEntry[] = [
  {
    kind: 'java',
    id: 'bench.imei',
    category: 'device-id',
    className: TM,
    method: 'getImei',
    summary: 'result-value',
    personal: true,
    samples: [],
  },
];
/** Ten distinct 20-frame caller stacks, as a handful of SDKs produce. */
const STACKS = Array.from({ length: 10 }, (_, s) =>
  Array.from(
    { length: 20 },
    (_, f) => `com.sdk${s}.internal.Tracker${f}.collect(Tracker${f}.java:${10 + f})`,
  ),
);

interface Run {
  rt: SimRuntime;
  clock: ManualClock;
}

function start(agentPath: string | null, captureStacks: boolean): Run {
  const clock = new ManualClock();
  const rt = createSimRuntime({
    packageName: 'com.example.bench',
    clock,
    globals: { __overreachTestSetup: { catalog: CATALOG } },
  });
  if (agentPath) {
    rt.loadAgent(agentPath);
    rt.rpc.configure({ captureStacks, hashSalt: 'bench' });
  }
  return { rt, clock };
}

/** µs per call for `n` getImei calls, flushing as the agent's timer would (every 1,000 events). */
function measure(run: Run, n: number, values: number): number {
  const results = Array.from(
    { length: Math.min(values, n) },
    (_, i) => `3569380356${String(i).padStart(5, '0')}`,
  );
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    run.rt.app.call(TM, 'getImei', {
      result: results[i % results.length],
      stack: STACKS[i % STACKS.length],
      thread: 'main',
    });
    if (i % 1000 === 999) run.clock.advance(0);
  }
  run.clock.advance(250);
  return ((performance.now() - started) * 1000) / n;
}

function best(fn: () => number, rounds = 3): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) min = Math.min(min, fn());
  return min;
}

export async function runAgentBench(
  opts: { events?: number; print?: (line: string) => void } = {},
): Promise<AgentBenchResult> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const n = opts.events ?? 200_000;
  const agent = (await buildFreshBundles()).simTest;
  const baseline = best(() => measure(start(null, false), n, 100));
  const noStack = best(() => measure(start(agent, false), n, 100)) - baseline;
  const withStack = best(() => measure(start(agent, true), n, 100)) - baseline;
  const unique = best(() => measure(start(agent, false), n, n)) - baseline;
  const check = start(agent, false);
  measure(check, 5000, 100);
  const sent = check.rt.rpc.status().eventsSent;
  if (sent !== 5000) throw new Error(`agent bench: expected 5000 events sent, got ${sent}`);
  const f = (x: number) => `${x.toFixed(2)} µs/event`;
  print(`agent bench: ${n.toLocaleString('en')} hooked getImei calls per run, best of 3`);
  print(`  simulated call without hooks (subtracted): ${baseline.toFixed(2)} µs/call`);
  print(`  agent work, no stack capture:              ${f(noStack)} (target ≤ 5)`);
  print(`  agent work, stacks on (10 × 20 frames):    ${f(withStack)}`);
  print(`  agent work, no stacks, every value unique: ${f(unique)} (SHA-256 each time)`);
  return {
    events: n,
    baselineUsPerCall: baseline,
    noStackUsPerEvent: noStack,
    stackUsPerEvent: withStack,
    uniqueValuesUsPerEvent: unique,
    targetMet: noStack <= 5,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runAgentBench(n ? { events: n } : {});
}
