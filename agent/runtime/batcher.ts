// Event batching: one `events` message at most every 250 ms, or as soon as 1,000 events wait;
// never a message over 1 MiB (split by serialised size); a bounded queue whose overflow is
// counted and reported in the next batch's `dropped`. Flushes run on a timer, off the app's
// call path, so a hooked call only pays for an array push.
import type { EventRecord, EventsMessage, StackRecord } from '../protocol/messages.ts';
import { post } from '../send.ts';
import { restoreUnsentStack, takeUnsentStack } from './stacks.ts';
import { counters, envelope } from './state.ts';

export const limits = {
  batchMax: 1000,
  flushMs: 250,
  maxBytes: 1024 * 1024,
  queueMax: 50_000,
};

/** Serialised size of the envelope without events/stacks, generously rounded up. */
const ENVELOPE_BYTES = 512;
/** Key names, quotes, commas, numbers and booleans of one event, rounded up. */
const EVENT_FIXED_BYTES = 200;

const queue: EventRecord[] = [];
const sizes: number[] = [];
let dropped = 0;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let timerUrgent = false;

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** UTF-8 bytes of a string once JSON-escaped. */
export function jsonBytes(s: string): number {
  if (PLAIN.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x20) n += 6;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4; // a surrogate pair is 4 bytes; a lone surrogate is escaped to 6, count the pair loosely
      i++;
    } else n += c >= 0xdc00 && c < 0xe000 ? 6 : 3;
  }
  return n;
}

/**
 * jsonBytes of the last thread name and phase seen: both repeat from one event to the next
 * (the caller's hook and api come precomputed per hooked method).
 */
let lastThread = '';
let lastThreadBytes = 0;
let lastPhase = '';
let lastPhaseBytes = 0;

function eventBytes(e: EventRecord, hookBytes: number | undefined): number {
  if (e.thread !== lastThread) {
    lastThread = e.thread;
    lastThreadBytes = jsonBytes(e.thread);
  }
  if (e.phase !== lastPhase) {
    lastPhase = e.phase;
    lastPhaseBytes = jsonBytes(e.phase);
  }
  let n =
    EVENT_FIXED_BYTES +
    (hookBytes ?? jsonBytes(e.hook) + jsonBytes(e.api)) +
    lastThreadBytes +
    lastPhaseBytes;
  if (e.args !== undefined) n += jsonBytes(e.args);
  if (e.result !== undefined) n += jsonBytes(e.result);
  if (e.raw !== undefined) n += jsonBytes(e.raw);
  if (e.net !== undefined) n += 120 + jsonBytes(e.net.host ?? '') + jsonBytes(e.net.sni ?? '');
  if (e.carried !== undefined) n += 40 * e.carried.length;
  return n;
}

function stackBytes(s: StackRecord): number {
  return 64 + s.frames.reduce((n, f) => n + jsonBytes(f) + 3, 0);
}

function schedule(urgent: boolean): void {
  if (timer !== null && (timerUrgent || !urgent)) return;
  if (timer !== null) clearTimeout(timer);
  timerUrgent = urgent;
  timer = setTimeout(
    () => {
      timer = null;
      flush();
    },
    urgent ? 0 : limits.flushMs,
  );
}

/** Queues one event; `hookBytes` is jsonBytes(hook) + jsonBytes(api) when the caller has it. */
export function enqueue(event: EventRecord, hookBytes?: number): void {
  counters.eventsSeen++;
  if (queue.length >= limits.queueMax) {
    dropped++;
    counters.eventsDropped++;
    return;
  }
  queue.push(event);
  sizes.push(eventBytes(event, hookBytes));
  schedule(queue.length >= limits.batchMax);
}

/** Number of events waiting. */
export function queued(): number {
  return queue.length;
}

/** Sends every queued event now, in as many batches as the limits need; returns events sent. */
export function flush(): number {
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
  let sent = 0;
  let start = 0;
  while (start < queue.length || dropped > 0) {
    const events: EventRecord[] = [];
    const stacks: StackRecord[] = [];
    let bytes = ENVELOPE_BYTES;
    let i = start;
    for (; i < queue.length && events.length < limits.batchMax; i++) {
      const event = queue[i] as EventRecord;
      let size = sizes[i] ?? 0;
      const stack = event.stack !== undefined ? takeUnsentStack(event.stack) : undefined;
      if (stack) size += stackBytes(stack);
      if (events.length > 0 && bytes + size > limits.maxBytes) {
        if (stack) restoreUnsentStack(stack);
        break;
      }
      bytes += size;
      events.push(event);
      if (stack) stacks.push(stack);
    }
    start = i;
    const message: EventsMessage = { ...envelope(), type: 'events', seq: ++seq, stacks, events, dropped };
    if (post(message)) {
      counters.batchesSent++;
      counters.eventsSent += events.length;
      counters.stacksSent += stacks.length;
      sent += events.length;
      dropped = 0;
    } else {
      // The transport refused it: these events are lost; say so in the next batch.
      const lost = events.length + (queue.length - start);
      dropped += lost;
      counters.eventsDropped += lost;
      for (const s of stacks) restoreUnsentStack(s);
      break;
    }
  }
  queue.length = 0;
  sizes.length = 0;
  return sent;
}
