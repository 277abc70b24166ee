// Turns one hooked call into an EventRecord: summarise, redact (salted hash), stamp thread,
// phase, foreground and stack, then enqueue. Everything here runs inside one guard: a failure
// is counted and reported once per hook, never thrown into the app.
import type { CatalogEntry, SummarizerId } from '../catalog/types.ts';
import { markFailed, sendHookStatus } from '../hooks/registry.ts';
import type { Summarizer, SummaryInput } from '../hooks/summarizers.ts';
import { matchSend, rememberRead } from '../leaks/leaks.ts';
import type { AgentErrorMessage, EventRecord } from '../protocol/messages.ts';
import { post } from '../send.ts';
import { enqueue, jsonBytes } from './batcher.ts';
import { enterAgent, leaveAgent } from './busy.ts';
import { now } from './clock.ts';
import { valueHash } from './hash.ts';
import { counters, envelope, getConfig, getPhase, isForeground } from './state.ts';
import { threadName } from './thread.ts';

export type SummarizerTable = Readonly<Record<SummarizerId, Summarizer>>;

const MAX_TEXT = 1000;

let summarizers: SummarizerTable | null = null;

export function setSummarizers(table: SummarizerTable): void {
  summarizers = table;
}

/** One hooked call; it is its summariser's input too (no second object per call). */
export interface HookedCall extends SummaryInput {
  entry: CatalogEntry;
  /** Resolved API: "pkg.Class.method(argTypes)" or "libc.so!open". */
  api: string;
  /** The original threw (the exception is rethrown to the app unchanged). */
  threw: boolean;
  /** Interns the current stack and returns its id (only called when the event is kept). */
  stack: (() => number | undefined) | null;
  /** jsonBytes(entry.id) + jsonBytes(api), computed once per hooked method (hookBytes). */
  bytes?: number;
}

/** The serialised size of a hook's fixed event fields, for the batcher's size limit. */
export function hookBytes(entry: CatalogEntry, api: string): number {
  return jsonBytes(entry.id) + jsonBytes(api);
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

export function errorText(err: unknown): string {
  // Duck-typed: errors thrown by the VM bridge need not share this realm's Error.
  const message = (err as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  try {
    return String(err);
  } catch {
    return 'unprintable error';
  }
}

/** Counts a hook-body failure; the first one per hook is reported with its reason. */
export function hookFailed(hook: string, err: unknown): void {
  counters.hookErrors++;
  const reason = `hook body threw: ${errorText(err)}`;
  if (!markFailed(hook, reason)) return;
  const message: AgentErrorMessage = {
    ...envelope(),
    type: 'agent-error',
    time: now(),
    hook,
    message: reason,
  };
  post(message);
  sendHookStatus();
}

/** Runs `fn` as agent work: guarded, and with hooks it triggers passing straight through. */
export function asAgent(hook: string, fn: () => void, tid = Process.getCurrentThreadId()): void {
  if (!enterAgent(tid)) return;
  try {
    fn();
  } catch (err) {
    hookFailed(hook, err);
  } finally {
    leaveAgent(tid);
  }
}

/** Reports one hooked call of thread `tid` as agent work (asAgent without a closure per call). */
export function report(call: HookedCall, tid: number): void {
  if (!enterAgent(tid)) return;
  try {
    build(call, tid);
  } catch (err) {
    hookFailed(call.entry.id, err);
  } finally {
    leaveAgent(tid);
  }
}

function build(call: HookedCall, tid: number): void {
  const { entry } = call;
  const table = summarizers;
  if (!table) throw new Error('summarisers not set');
  const summarizer = table[entry.summary ?? 'none'];
  if (!summarizer) throw new Error(`unknown summariser '${entry.summary}'`);
  const summary = call.threw ? { result: 'threw' } : summarizer(call);
  if (summary === null) return;
  const category = summary.category ?? entry.category;
  const config = getConfig();
  if (config.disabledCategories.has(category)) return;
  const event: EventRecord = {
    time: now(),
    hook: entry.id,
    category,
    api: call.api,
    thread: threadName(tid),
    foreground: isForeground(),
    phase: getPhase(),
  };
  if (summary.args !== undefined) event.args = clip(summary.args);
  if (summary.result !== undefined) event.result = clip(summary.result);
  if (summary.value !== undefined) {
    event.valueHash = valueHash(config.hashSalt, summary.value);
    if (config.rawValues) event.raw = clip(summary.value);
    const ref = rememberRead(summary.value, category);
    if (ref !== undefined) event.ref = ref;
  }
  if (summary.net !== undefined) event.net = summary.net;
  if (summary.payload !== undefined) {
    const carried = matchSend(summary.payload);
    if (carried.length > 0) event.carried = carried;
    else if (summary.onlyIfCarried) return;
  }
  if (config.captureStacks && call.stack) {
    const id = call.stack();
    if (id !== undefined) event.stack = id;
  }
  enqueue(event, call.bytes);
}
