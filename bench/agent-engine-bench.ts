// Agent cost per event in both engines Frida offers: QuickJS (Frida's default, via
// quickjs-emscripten) and V8 (a Node `vm`, as the simulated device runs it). `npm run bench`
// runs it; `tsx bench/agent-engine-bench.ts [calls]` alone.
//
// What it measures: the real agent bundle (dist/agent-sim-test.js: the same source, a one-entry
// catalog) hooking TelephonyManager.getImei, called by the simulated app; the cost of the same
// calls through the same hooks with a pass-through replacement (the hook machinery, not the
// agent's work) is measured in the same engine and subtracted. Each figure is the median of the
// pairs (agent run, then anchor run, alternating; V8 15 after a warm-up pair, QuickJS 5) with
// the spread of the differences. Three shapes: no stack capture; stack capture with 2,000 distinct caller
// stacks of 10–20 frames (as a few dozen SDKs and app paths produce); every value unique (each
// read a new value for the leak matcher to keep and forget: it is filed at the read, its digests
// are built at the next send — bench/value-match-bench.ts measures that part). The
// first two cycle 8 distinct values (an app's identifiers), which the matcher keeps.
// Excludes: the host side (JSON parsing, SQLite: the simulated host counts messages without
// parsing or keeping them, as on a device the host parses in another process), the device's Binder/JNI cost, and the wasm
// penalty — quickjs-emscripten runs QuickJS compiled to WebAssembly, which is slower than the
// native QuickJS in frida-gum, so the QuickJS figure is an upper bound.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CatalogEntry } from '../agent/catalog/types.ts';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import type { QuickJsCall } from '../harness/simulation/runtime/quickjs-entry.ts';
import { apiSubset, catalogClasses, QuickJsProcess } from '../harness/simulation/runtime/quickjs-process.ts';
import { createSimRuntime, ManualClock } from '../harness/simulation/runtime/sim-runtime.ts';
import { verdict } from './measure.ts';

const TM = 'android.telephony.TelephonyManager';
/** The one hook the agent benches install (the test agent's catalog comes from the host). */
export const IMEI_ENTRY: CatalogEntry = {
  kind: 'java',
  id: 'bench.imei',
  category: 'device-id',
  className: TM,
  method: 'getImei',
  summary: 'result-value',
  personal: true,
  samples: [],
};
const CATALOG: CatalogEntry[] = [IMEI_ENTRY];
const SDKS = [
  'com.umeng.commonsdk',
  'com.bytedance.sdk.openadsdk',
  'com.tencent.bugly',
  'cn.jpush.android',
  'com.baidu.mobads',
  'com.example.app',
];

/** `count` distinct stacks of 10–20 frames: SDK frames over framework frames. */
export function realisticStacks(count: number): string[][] {
  return Array.from({ length: count }, (_, s) => {
    const sdk = SDKS[s % SDKS.length] as string;
    const depth = 10 + (s % 11);
    const own = Array.from(
      { length: Math.max(2, depth - 6) },
      (_, f) => `${sdk}.internal.C${(s * 7 + f) % 97}.m${f}(SourceFile:${10 + ((s + f) % 400)})`,
    );
    const framework = [
      'android.os.Handler.handleCallback(Handler.java:958)',
      'android.os.Handler.dispatchMessage(Handler.java:99)',
      'android.os.Looper.loopOnce(Looper.java:205)',
      'android.os.Looper.loop(Looper.java:294)',
      'android.app.ActivityThread.main(ActivityThread.java:8177)',
      'java.lang.reflect.Method.invoke(Native Method)',
    ];
    return [...own, ...framework].slice(0, depth);
  });
}

interface Shape {
  name: string;
  stacks: boolean;
  distinctStacks: number;
  distinctValues: number | 'all';
}

const SHAPES: Shape[] = [
  { name: 'no stack capture', stacks: false, distinctStacks: 50, distinctValues: 8 },
  { name: 'stacks, 2,000 distinct × 10–20 frames', stacks: true, distinctStacks: 2000, distinctValues: 8 },
  { name: 'no stacks, every value unique', stacks: false, distinctStacks: 50, distinctValues: 'all' },
];

function calls(shape: Shape, n: number): QuickJsCall[] {
  const stacks = realisticStacks(shape.distinctStacks);
  const values = shape.distinctValues === 'all' ? n : shape.distinctValues;
  const len = Math.max(values, stacks.length);
  return Array.from({ length: Math.min(len, n) }, (_, i) => ({
    className: TM,
    method: 'getImei',
    result: `3569380356${String(i % values).padStart(5, '0')}`,
    stack: stacks[i % stacks.length],
    thread: 'main',
  }));
}

type Engine = 'v8' | 'quickjs';
const anchor = passThroughScript();

/** µs per call for `n` calls of `list`, in a fresh process, agent loaded or not. */
/**
 * The anchor: the same hooks with a pass-through replacement (call the original, return its
 * value), so what is subtracted includes the hook machinery (the simulated bridge's wrapping,
 * return checks, both overloads of the getImei() → getImei(int) chain) and what remains is the
 * agent's own work: guard, summary, hash, stamp, batch, serialise.
 */
function passThroughScript(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overreach-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pass-through.js');
  writeFileSync(
    file,
    `(function () {
  var Java = globalThis.__overreachSimJava;
  Java.perform(function () {
    var c = Java.use('${TM}');
    c.getImei.overloads.forEach(function (o) {
      o.implementation = function () { return o.apply(this, arguments); };
    });
  });
  rpc.exports = { configure: function () {}, status: function () { return { eventsSent: 0 }; } };
})();
`,
  );
  return file;
}

async function timeRun(
  engine: Engine,
  agent: string,
  list: QuickJsCall[],
  n: number,
  stacks: boolean,
): Promise<number> {
  if (engine === 'v8') {
    const clock = new ManualClock();
    const rt = createSimRuntime({
      keepMessages: false,
      packageName: 'com.example.bench',
      clock,
      globals: { __overreachTestSetup: { catalog: CATALOG } },
    });
    rt.loadAgent(agent);
    rt.rpc.configure({ captureStacks: stacks, hashSalt: 'bench' });
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const c = list[i % list.length] as QuickJsCall;
      rt.app.call(TM, 'getImei', { result: c.result, stack: c.stack, thread: 'main' });
      if (i % 1000 === 999) clock.advance(0);
    }
    clock.advance(250);
    return ((performance.now() - started) * 1000) / n;
  }
  const proc = await QuickJsProcess.create({
    keepMessages: false,
    packageName: 'com.example.bench',
    classes: apiSubset(loadAndroidApi(), catalogClasses(CATALOG)),
    globals: { __overreachTestSetup: { catalog: CATALOG } },
  });
  try {
    proc.loadAgent(agent);
    proc.rpc('configure', { captureStacks: stacks, hashSalt: 'bench' });
    const started = performance.now();
    proc.repeat(list, n);
    proc.advance(250);
    const us = ((performance.now() - started) * 1000) / n;
    const sent = (proc.rpc('status') as { eventsSent: number }).eventsSent;
    if (agent !== anchor && sent !== n) throw new Error(`quickjs: expected ${n} events sent, got ${sent}`);
    return us;
  } finally {
    proc.dispose();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export interface EngineFigure {
  engine: Engine;
  shape: string;
  medianUsPerEvent: number;
  minUs: number;
  maxUs: number;
  baselineUsPerCall: number;
}

export async function runAgentEngineBench(
  opts: {
    calls?: { v8: number; quickjs: number };
    pairs?: { v8: number; quickjs: number };
    print?: (line: string) => void;
  } = {},
): Promise<EngineFigure[]> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  // Same call count in both engines, so each sees the same share of first-seen stacks (5 %).
  const sizes = opts.calls ?? { v8: 20_000, quickjs: 20_000 };
  // V8 runs take ~0.3 s: 15 pairs after one unmeasured warm-up pair (its JIT tiers up in the
  // first runs of this process) narrow a figure that sits near its target; QuickJS (wasm) runs
  // take seconds and vary less.
  const pairCounts = opts.pairs ?? { v8: 15, quickjs: 5 };
  const agent = (await buildFreshBundles()).simTest;
  const out: EngineFigure[] = [];
  print(
    `agent per-event cost by engine: median of ${pairCounts.v8} pairs in V8 (after one warm-up pair), ${pairCounts.quickjs} in QuickJS (agent run, then the same hooks passing through)`,
  );
  print(
    `  calls per run: V8 ${sizes.v8.toLocaleString('en')}, QuickJS ${sizes.quickjs.toLocaleString('en')}`,
  );
  for (const shape of SHAPES) {
    for (const engine of ['quickjs', 'v8'] as const) {
      const n = sizes[engine];
      const list = calls(shape, n);
      const diffs: number[] = [];
      const bases: number[] = [];
      if (engine === 'v8') {
        await timeRun(engine, agent, list, n, shape.stacks);
        await timeRun(engine, anchor, list, n, shape.stacks);
      }
      for (let p = 0; p < pairCounts[engine]; p++) {
        const withAgent = await timeRun(engine, agent, list, n, shape.stacks);
        const base = await timeRun(engine, anchor, list, n, shape.stacks);
        diffs.push(withAgent - base);
        bases.push(base);
      }
      const fig: EngineFigure = {
        engine,
        shape: shape.name,
        medianUsPerEvent: median(diffs),
        minUs: Math.min(...diffs),
        maxUs: Math.max(...diffs),
        baselineUsPerCall: median(bases),
      };
      out.push(fig);
      print(
        `  ${engine.padEnd(7)} ${shape.name.padEnd(40)} ${fig.medianUsPerEvent.toFixed(2).padStart(7)} µs/event` +
          `  (spread ${fig.minUs.toFixed(2)}–${fig.maxUs.toFixed(2)}; pass-through hook ${fig.baselineUsPerCall.toFixed(2)} µs/call subtracted)`,
      );
    }
  }
  const fig = (engine: Engine, shape: Shape) =>
    out.find((f) => f.engine === engine && f.shape === shape.name)?.medianUsPerEvent ?? Number.NaN;
  const [plain, stacks, unique] = SHAPES as [Shape, Shape, Shape];
  const us = (x: number) => `${x.toFixed(2)} µs/event`;
  print(`  QuickJS/V8 ratio, no stacks: ${(fig('quickjs', plain) / fig('v8', plain)).toFixed(1)}×`);
  verdict('agent per event, V8, no stacks', us(fig('v8', plain)), '≤ 5 µs', fig('v8', plain) <= 5);
  verdict(
    'agent per event, QuickJS (wasm), no stacks',
    us(fig('quickjs', plain)),
    '≤ 50 µs',
    fig('quickjs', plain) <= 50,
  );
  verdict('agent per event, V8, 2,000 stacks', us(fig('v8', stacks)), 'measured', null);
  verdict('agent per event, QuickJS (wasm), 2,000 stacks', us(fig('quickjs', stacks)), 'measured', null);
  verdict('agent per event, V8, unique values', us(fig('v8', unique)), 'measured', null);
  verdict('agent per event, QuickJS (wasm), unique values', us(fig('quickjs', unique)), 'measured', null);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runAgentEngineBench(n ? { calls: { v8: n, quickjs: n } } : {});
}
