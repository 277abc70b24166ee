// Value-matching benchmark: `tsx bench/value-match-bench.ts [messages]` (or runValueMatchBench()
// from bench/run-all.ts). What the agent pays per outgoing message and per read:
//  1. the real agent bundle in the simulated runtime: SSL_write calls carrying a 2 KiB JSON
//     body, with 64 kept values ("ours") against the same calls with none kept ("anchor"),
//     alternating, median of 7 pairs; and reads that each keep a new value, each followed by a
//     send (the new value's needles and MD5 / SHA-1 / SHA-256 through Frida's Checksum are built
//     at that send), against the same with one repeated value;
//  2. the matcher alone (ValueMatcher.match) on bodies of 1–64 KiB with 64 kept values, in V8
//     and in QuickJS (quickjs-emscripten: QuickJS compiled to WebAssembly, the engine Frida runs
//     agents in by default, though natively there).
// Excludes: Frida's Interceptor / ART transition cost, the app's own network stack.
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { getQuickJS } from 'quickjs-emscripten';
import type { CatalogEntry } from '../agent/catalog/types.ts';
import { ValueMatcher } from '../agent/leaks/value-match.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, ManualClock, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';
import { IMEI_ENTRY } from './agent-engine-bench.ts';

export interface ValueMatchBenchResult {
  messages: number;
  agentUsPerMessage: number;
  matchingUsPerMessage: number;
  rememberUsPerNewValue: number;
  matcherUsByKib: Record<string, number>;
  quickjsUsByKib: Record<string, number>;
}

const TM = 'android.telephony.TelephonyManager';
const CATALOG: CatalogEntry[] = [
  IMEI_ENTRY,
  {
    kind: 'native',
    id: 'bench.ssl-write',
    category: 'network-send',
    module: 'libssl.so',
    symbol: 'SSL_write',
    summary: 'native-ssl-write',
    samples: [],
  },
];
const STACK = ['com.bytedance.sdk.openadsdk.net.a.b(Unknown Source:3)', 'libssl.so!SSL_write+0x40'];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

/** A tracker-like JSON body of about `bytes` bytes (ids, hashes, numbers, nested device info). */
export function trackerBody(bytes: number, seed = 1): string {
  const rnd = seeded(seed);
  const hex = (n: number) =>
    Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('');
  const events: unknown[] = [];
  let body = '';
  while (body.length < bytes) {
    events.push({
      ev: `ad_show_${Math.floor(rnd() * 100)}`,
      ts: 1_767_225_600_000 + Math.floor(rnd() * 1e6),
      req_id: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      sign: hex(32),
      ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36',
      geo: { lat: Math.round((rnd() * 50 + 10) * 1e4) / 1e4, lng: Math.round((rnd() * 60 + 70) * 1e4) / 1e4 },
    });
    body = JSON.stringify({ app_id: '5123456', os: 'android', events });
  }
  return body.slice(0, bytes);
}

interface Run {
  rt: SimRuntime;
  clock: ManualClock;
}

function start(agentPath: string | null): Run {
  const clock = new ManualClock();
  const rt = createSimRuntime({
    packageName: 'com.example.bench',
    clock,
    globals: { __overreachTestSetup: { catalog: CATALOG } },
  });
  if (agentPath) {
    rt.loadAgent(agentPath);
    rt.rpc.configure({ captureStacks: false, hashSalt: 'bench' });
  }
  return { rt, clock };
}

function read(run: Run, values: readonly string[], n: number): number {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    run.rt.app.call(TM, 'getImei', { result: values[i % values.length], stack: STACK, thread: 'main' });
    if (i % 1000 === 999) run.clock.advance(0);
  }
  run.clock.advance(250);
  return ((performance.now() - t) * 1000) / n;
}

/** A read, then a send the matcher searches (so each new value is indexed), `n` times. */
function readThenSend(run: Run, values: readonly string[], request: string, n: number): number {
  const len = Buffer.byteLength(request);
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    run.rt.app.call(TM, 'getImei', { result: values[i % values.length], stack: STACK, thread: 'main' });
    run.rt.app.callNative('libssl.so', 'SSL_write', [0x5a00, request, len], { result: len, stack: STACK });
    if (i % 1000 === 999) run.clock.advance(0);
  }
  run.clock.advance(250);
  return ((performance.now() - t) * 1000) / n;
}

function sendAll(run: Run, request: string, n: number): number {
  const len = Buffer.byteLength(request);
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    run.rt.app.callNative('libssl.so', 'SSL_write', [0x5a00, request, len], { result: len, stack: STACK });
    if (i % 1000 === 999) run.clock.advance(0);
  }
  run.clock.advance(250);
  return ((performance.now() - t) * 1000) / n;
}

/** The matcher alone inside QuickJS: µs per message for bodies of 1, 4 and 16 KiB (median of 5). */
async function quickjsMatcher(): Promise<Record<string, number>> {
  const bundle = await build({
    entryPoints: [new URL('../agent/leaks/value-match.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    globalName: 'VM',
    write: false,
    target: 'es2020',
  });
  const QuickJS = await getQuickJS();
  const vm = QuickJS.newContext();
  try {
    const bodies = Object.fromEntries([1, 4, 16].map((k) => [k, trackerBody(k * 1024, k)]));
    const code = `${bundle.outputFiles[0]!.text}
      const m = new VM.ValueMatcher();
      for (let i = 0; i < 64; i++) m.remember('8675309' + String(i).padStart(8, '0'), 'device-id');
      const bodies = ${JSON.stringify(bodies)};
      const out = {};
      for (const k of Object.keys(bodies)) {
        const runs = [];
        const reps = Math.max(20, Math.floor(400 / Number(k)));
        for (let r = 0; r < 5; r++) {
          const t = Date.now();
          for (let i = 0; i < reps; i++) if (m.match(bodies[k]).length !== 0) throw new Error('false match');
          runs.push(((Date.now() - t) * 1000) / reps);
        }
        out[k] = runs.sort((a, b) => a - b)[2];
      }
      JSON.stringify(out);`;
    const result = vm.unwrapResult(vm.evalCode(code));
    const text = vm.getString(result);
    result.dispose();
    return JSON.parse(text) as Record<string, number>;
  } finally {
    vm.dispose();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const imeis = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `8675309${String(from + i).padStart(8, '0')}`);

export async function runValueMatchBench(
  opts: { messages?: number; print?: (line: string) => void } = {},
): Promise<ValueMatchBenchResult> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const n = opts.messages ?? 5_000;
  const agent = (await buildFreshBundles()).simTest;
  const body = trackerBody(2048);
  const request = `POST /api/ad/union/sdk/get_ads/ HTTP/1.1\r\nHost: api-access.pangolin-sdk-toutiao.com\r\nContent-Type: application/json\r\n\r\n${body}`;

  // The matcher must find a kept value in this very message, or the figure measures nothing.
  const check = start(agent);
  read(check, imeis(64), 64);
  sendAll(check, `${request}&x=${imeis(1)[0]}`, 1);
  check.rt.rpc.flush();
  if ((check.rt.rpc.status().sendsMatched ?? 0) !== 1)
    throw new Error('value-match bench: the check send did not match');

  const pairs: { ours: number; anchor: number; bare: number }[] = [];
  for (let p = 0; p < 7; p++) {
    const ours = start(agent);
    read(ours, imeis(64), 64);
    const anchor = start(agent);
    const bare = start(null);
    pairs.push({
      ours: sendAll(ours, request, n),
      anchor: sendAll(anchor, request, n),
      bare: sendAll(bare, request, n),
    });
  }
  const agentUs = median(pairs.map((p) => p.ours - p.bare));
  const matchUs = median(pairs.map((p) => p.ours - p.anchor));

  // A new value is only filed at the read and indexed (needles, native digests) at the next
  // send: the worst case is a send after every read. A short request keeps the scan small.
  const reads = Math.max(2_000, Math.floor(n / 2));
  const ping = 'GET /ping HTTP/1.1\r\nHost: log.example.com\r\n\r\n';
  const remember: number[] = [];
  for (let p = 0; p < 7; p++) {
    const fresh = readThenSend(start(agent), imeis(reads, p * reads), ping, reads);
    const same = readThenSend(start(agent), imeis(1), ping, reads);
    remember.push(fresh - same);
  }
  const rememberUs = median(remember);

  const matcher = new ValueMatcher();
  for (const v of imeis(64)) matcher.remember(v, 'device-id');
  const byKib: Record<string, number> = {};
  for (const kib of [1, 4, 16, 64]) {
    const payload = trackerBody(kib * 1024, kib);
    const reps = Math.max(50, Math.floor(2_000 / kib));
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      for (let i = 0; i < reps; i++)
        if (matcher.match(payload).length !== 0) throw new Error('false match in bench body');
      runs.push(((performance.now() - t) * 1000) / reps);
    }
    byKib[String(kib)] = median(runs);
  }

  const quickjs = await quickjsMatcher();

  const us = (x: number) => `${x.toFixed(2)} µs`;
  print(
    `value-match bench: ${n.toLocaleString('en')} SSL_write calls of a 2 KiB JSON request per run, median of 7 pairs`,
  );
  print(`  agent cost per outgoing message (hook, summary, matching, event): ${us(agentUs)}`);
  print(`  of which matching against 64 kept values (vs none kept):         ${us(matchUs)}`);
  print(
    `  per new value read then matched at a send (needles, native digests): ${us(rememberUs)} more than a repeated value`,
  );
  print(
    `  matcher alone, 64 values, window 16 KiB: ${Object.entries(byKib)
      .map(([k, v]) => `${k} KiB ${us(v)}`)
      .join(', ')} (64 KiB is cut to the window)`,
  );
  print(
    `  matcher alone in QuickJS (WebAssembly build): ${Object.entries(quickjs)
      .map(([k, v]) => `${k} KiB ${us(v)}`)
      .join(', ')}`,
  );
  print('  excludes: Frida Interceptor/ART transitions; the agent figures run in V8 (the simulator)');
  return {
    messages: n,
    agentUsPerMessage: agentUs,
    matchingUsPerMessage: matchUs,
    rememberUsPerNewValue: rememberUs,
    matcherUsByKib: byKib,
    quickjsUsByKib: quickjs,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runValueMatchBench(n ? { messages: n } : {});
}
