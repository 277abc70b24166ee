// A deterministic, realistic synthetic agent trace (protocol v1 JSONL) for the ingest benchmark
// and for tests: a few processes, ~60 hooks, a few hundred distinct ~20-frame stacks (each sent
// once per pid, in the batch that first uses it), several threads and phases, JSON-ish argument
// summaries and value hashes on personal-data categories.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { AgentMessage, DataCategory, EventRecord, StackRecord } from '../agent/protocol/messages.ts';
import { DATA_CATEGORIES } from '../agent/protocol/messages.ts';
import type { Store } from '../harness/store/store.ts';
import type { TraceWriter, TraceWriterOptions } from '../harness/store/trace-writer.ts';
import { mulberry32 } from '../harness/util/prng.ts';

export interface SyntheticOptions {
  events: number;
  /** Events per `events` message (default 1,000, the protocol maximum). */
  batchSize?: number;
  stacks?: number;
  hooks?: number;
  processes?: number;
  seed?: number;
  /** First event time, ms since the epoch. */
  startTime?: number;
  /** Frames per stack: a uniform draw in [minFrames, maxFrames] (default 16…24). */
  minFrames?: number;
  maxFrames?: number;
}

/**
 * The shape the benchmarks use (issue 15): 3 processes, every data category, ~200 APIs,
 * ~2,000 distinct stacks of 10–20 frames, ~200 events per message.
 */
export const REALISTIC: Omit<SyntheticOptions, 'events'> = {
  processes: 3,
  hooks: 200,
  stacks: 2000,
  batchSize: 200,
  minFrames: 10,
  maxFrames: 20,
};

const SDK_PACKAGES = [
  'com.umeng.analytics',
  'com.tencent.bugly',
  'com.google.firebase.analytics',
  'com.bytedance.sdk',
];
const APP_PACKAGE = 'com.example.shop';
const THREADS = [
  'main',
  'AsyncTask #1',
  'AsyncTask #2',
  'OkHttp Dispatcher',
  'pool-2-thread-1',
  'RenderThread',
];
const PHASES = ['launch', 'consent', 'browse', 'checkout', 'background'];
const ARG_TEMPLATES = [
  (r: () => number) => `{"key":"${['android_id', 'bluetooth_name', 'device_name'][Math.floor(r() * 3)]}"}`,
  (r: () => number) =>
    `{"uri":"content://com.android.contacts/data","projection":${1 + Math.floor(r() * 6)}}`,
  (r: () => number) =>
    `{"provider":"${r() < 0.5 ? 'gps' : 'network'}","minTime":${Math.floor(r() * 10) * 1000}}`,
  (r: () => number) => `{"flags":${Math.floor(r() * 4) * 128}}`,
  () => '{"slot":0}',
];
const RESULTS = ['string(15)', 'string(16)', 'cursor(42 rows)', 'Location', 'list(187)', 'true', 'null'];

interface Hook {
  id: string;
  category: DataCategory;
  api: string;
}

function makeHooks(n: number): Hook[] {
  const hooks: Hook[] = [];
  for (let i = 0; i < n; i++) {
    const category = DATA_CATEGORIES[i % (DATA_CATEGORIES.length - 1)]!;
    hooks.push({
      id: `${category}.hook-${i}`,
      category,
      api: `android.example.${category.replace(/-/g, '')}.Manager${i}.get${i}(java.lang.String,int)`,
    });
  }
  return hooks;
}

function makeStacks(n: number, r: () => number, minFrames = 16, maxFrames = 24): string[][] {
  const stacks: string[][] = [];
  for (let i = 0; i < n; i++) {
    const owner = i % 3 === 0 ? APP_PACKAGE : SDK_PACKAGES[i % SDK_PACKAGES.length]!;
    const frames: string[] = [];
    const depth = minFrames + Math.floor(r() * (maxFrames - minFrames + 1));
    const own = Math.min(6, Math.ceil(depth * 0.35));
    for (let f = 0; f < depth; f++) {
      const pkg = f < own ? owner : f < own * 2 ? 'androidx.core.app' : 'android.os';
      frames.push(
        `${pkg}.C${(i * 31 + f) % 97}.m${f}(C${(i * 31 + f) % 97}.java:${10 + ((i + f * 7) % 400)})`,
      );
    }
    stacks.push(frames);
  }
  return stacks;
}

/**
 * One more events message from the synthetic trace's main process, after its batches (sequence
 * 100,000, no new stacks): tests add hand-made events at chosen times to a synthetic run.
 */
export function extraEvents(events: EventRecord[]): AgentMessage {
  return {
    v: 1,
    type: 'events',
    pid: 4000,
    process: APP_PACKAGE,
    seq: 100_000,
    stacks: [],
    dropped: 0,
    events,
  };
}

/** The trace's messages, in order (hello and hook-status per process, then event batches). */
/**
 * A new run of com.example.shop started at `startedAt` in `store`, with the synthetic trace `opts`
 * written into it. The writer comes back unflushed: a test can add messages before flushing.
 */
export function syntheticRun(
  store: Store,
  startedAt: number,
  opts: SyntheticOptions,
  writerOptions: TraceWriterOptions = {},
): { runId: number; w: TraceWriter } {
  const runId = store.createRun({
    package: 'com.example.shop',
    device: 'd',
    scenario: 's',
    toolVersion: 't',
    startedAt,
  });
  const w = store.traceWriter(runId, writerOptions);
  for (const m of syntheticMessages(opts)) w.handle(m);
  return { runId, w };
}

export function* syntheticMessages(opts: SyntheticOptions): Generator<AgentMessage> {
  const r = mulberry32(opts.seed ?? 1);
  const batchSize = opts.batchSize ?? 1000;
  const hooks = makeHooks(opts.hooks ?? 60);
  const stacks = makeStacks(opts.stacks ?? 300, r, opts.minFrames, opts.maxFrames);
  const procs = Array.from({ length: opts.processes ?? 2 }, (_, i) => ({
    pid: 4000 + i,
    process: i === 0 ? APP_PACKAGE : `${APP_PACKAGE}:${['push', 'remote', `p${i}`][Math.min(i - 1, 2)]}`,
    seq: 0,
    sent: new Set<number>(),
  }));
  let time = opts.startTime ?? 1_767_225_600_000;
  for (const p of procs) {
    yield { v: 1, type: 'hello', time, agentVersion: '0.1.0', pid: p.pid, process: p.process, apiLevel: 33 };
    yield {
      v: 1,
      type: 'hook-status',
      pid: p.pid,
      process: p.process,
      time,
      statuses: hooks.map((h, i) => ({
        hook: h.id,
        state: i % 17 === 5 ? 'class-missing' : 'installed',
        overloads: 1 + (i % 3),
      })),
    };
  }
  let left = opts.events;
  let phase = 0;
  while (left > 0) {
    const n = Math.min(batchSize, left);
    const p = procs[Math.floor(r() * procs.length)]!;
    const newStacks: StackRecord[] = [];
    const events: EventRecord[] = [];
    for (let i = 0; i < n; i++) {
      time += Math.floor(r() * 3);
      if (r() < 0.0005) phase = (phase + 1) % PHASES.length;
      const hook = hooks[Math.floor(r() * r() * hooks.length)]!;
      const stack = Math.floor(r() * r() * stacks.length);
      if (!p.sent.has(stack)) {
        p.sent.add(stack);
        newStacks.push({ id: stack, frames: stacks[stack]! });
      }
      const personal =
        hook.category === 'device-id' || hook.category === 'location' || hook.category === 'contacts';
      const e: EventRecord = {
        time,
        hook: hook.id,
        category: hook.category,
        api: hook.api,
        args: ARG_TEMPLATES[Math.floor(r() * ARG_TEMPLATES.length)]!(r),
        result: RESULTS[Math.floor(r() * RESULTS.length)]!,
        thread: THREADS[Math.floor(r() * r() * THREADS.length)]!,
        foreground: PHASES[phase] !== 'background',
        phase: PHASES[phase]!,
        stack,
      };
      if (personal)
        e.valueHash = `${Math.floor(r() * 2 ** 32)
          .toString(16)
          .padStart(8, '0')}c0ffee00`;
      events.push(e);
    }
    p.seq++;
    yield {
      v: 1,
      type: 'events',
      pid: p.pid,
      process: p.process,
      seq: p.seq,
      stacks: newStacks,
      events,
      dropped: 0,
    };
    left -= n;
  }
}

/** Writes the trace as JSONL; returns the number of bytes and events written. */
export async function writeSyntheticTrace(
  path: string,
  opts: SyntheticOptions,
): Promise<{ bytes: number; events: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (const msg of syntheticMessages(opts)) {
    const line = `${JSON.stringify(msg)}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, events: opts.events };
}
