// Validation of agent → harness messages (protocol v1, agent/protocol/messages.ts).
// Hot path: ingest validates every event, so checks are inline and a path string is only built
// when something is wrong. The value is returned as-is (no copy); unknown fields are ignored so
// that adding optional fields never breaks an older harness.
import {
  type AgentMessage,
  DATA_CATEGORIES,
  HOOK_STATES,
  LIFECYCLE_KINDS,
  PROTOCOL_VERSION,
  VALUE_ENCODINGS,
} from '../../agent/protocol/messages.ts';

/** Protocol limits (docs/protocol.md). */
export const MAX_EVENTS_PER_BATCH = 1000;
export const MAX_MESSAGE_BYTES = 1024 * 1024;
export const MAX_STACK_FRAMES = 32;

export const MESSAGE_TYPES = ['hello', 'events', 'hook-status', 'lifecycle', 'agent-error'] as const;

const CATEGORY_SET: ReadonlySet<string> = new Set(DATA_CATEGORIES);
const HOOK_STATE_SET: ReadonlySet<string> = new Set(HOOK_STATES);
const LIFECYCLE_SET: ReadonlySet<string> = new Set(LIFECYCLE_KINDS);
const ENCODING_SET: ReadonlySet<string> = new Set(VALUE_ENCODINGS);
/** Kept values one send may name (the agent reports at most 16). */
export const MAX_CARRIED = 64;

/** A message that does not follow the protocol; `path` locates the bad field. */
export class MessageError extends Error {
  override readonly name = 'MessageError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
  }
}

type Obj = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `number ${value}`;
  return typeof value;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new MessageError(path, `expected ${expected}, got ${describe(got)}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(o: Obj, key: string, prefix: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(prefix + key, 'number', v);
  return v;
}

function int(o: Obj, key: string, prefix: string, min = 0): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(prefix + key, `integer ≥ ${min}`, v);
  return v;
}

function str(o: Obj, key: string, prefix: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(prefix + key, 'string', v);
  return v;
}

function nonEmpty(o: Obj, key: string, prefix: string): string {
  const v = str(o, key, prefix);
  if (v.length === 0) fail(prefix + key, 'non-empty string', v);
  return v;
}

function optStr(o: Obj, key: string, prefix: string): void {
  const v = o[key];
  if (v !== undefined && typeof v !== 'string') fail(prefix + key, 'string', v);
}

function arr(o: Obj, key: string, prefix: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(prefix + key, 'array', v);
  return v;
}

function validateStacks(stacks: unknown[]): void {
  const ids = new Set<number>();
  for (let i = 0; i < stacks.length; i++) {
    const s = stacks[i];
    const p = `stacks[${i}].`;
    if (!isObj(s)) fail(`stacks[${i}]`, 'object', s);
    const id = int(s, 'id', p);
    if (ids.has(id)) throw new MessageError(`${p}id`, `duplicate stack id ${id}`);
    ids.add(id);
    const frames = arr(s, 'frames', p);
    if (frames.length > MAX_STACK_FRAMES) {
      throw new MessageError(`${p}frames`, `${frames.length} frames exceed the limit of ${MAX_STACK_FRAMES}`);
    }
    for (let f = 0; f < frames.length; f++) {
      if (typeof frames[f] !== 'string') fail(`${p}frames[${f}]`, 'string', frames[f]);
    }
    const native = s['native'];
    if (native !== undefined && typeof native !== 'boolean') fail(`${p}native`, 'boolean', native);
  }
}

function validateEvents(events: unknown[]): void {
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw new MessageError(
      'events',
      `${events.length} events exceed the batch limit of ${MAX_EVENTS_PER_BATCH.toLocaleString('en')}`,
    );
  }
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!isObj(e)) fail(`events[${i}]`, 'object', e);
    const time = e['time'];
    if (typeof time !== 'number' || !Number.isFinite(time)) fail(`events[${i}].time`, 'number', time);
    const hook = e['hook'];
    if (typeof hook !== 'string' || hook.length === 0) fail(`events[${i}].hook`, 'non-empty string', hook);
    const category = e['category'];
    if (typeof category !== 'string' || !CATEGORY_SET.has(category)) {
      if (typeof category !== 'string') fail(`events[${i}].category`, 'string', category);
      throw new MessageError(`events[${i}].category`, `unknown category ${JSON.stringify(category)}`);
    }
    const api = e['api'];
    if (typeof api !== 'string' || api.length === 0) fail(`events[${i}].api`, 'non-empty string', api);
    if (typeof e['thread'] !== 'string') fail(`events[${i}].thread`, 'string', e['thread']);
    if (typeof e['phase'] !== 'string') fail(`events[${i}].phase`, 'string', e['phase']);
    if (typeof e['foreground'] !== 'boolean') fail(`events[${i}].foreground`, 'boolean', e['foreground']);
    const { args, result, valueHash, raw, stack } = e;
    if (args !== undefined && typeof args !== 'string') fail(`events[${i}].args`, 'string', args);
    if (result !== undefined && typeof result !== 'string') fail(`events[${i}].result`, 'string', result);
    if (valueHash !== undefined && typeof valueHash !== 'string')
      fail(`events[${i}].valueHash`, 'string', valueHash);
    if (raw !== undefined && typeof raw !== 'string') fail(`events[${i}].raw`, 'string', raw);
    if (stack !== undefined && (typeof stack !== 'number' || !Number.isInteger(stack) || stack < 0)) {
      fail(`events[${i}].stack`, 'integer ≥ 0', stack);
    }
    if (e['ref'] !== undefined || e['net'] !== undefined || e['carried'] !== undefined) validateTraffic(e, i);
  }
}

/** The optional network fields of an event (ref, net, carried). */
function validateTraffic(e: Obj, i: number): void {
  const p = `events[${i}].`;
  if (e['ref'] !== undefined) int(e, 'ref', p, 1);
  const net = e['net'];
  if (net !== undefined) {
    if (!isObj(net)) fail(`${p}net`, 'object', net);
    for (const k of ['host', 'scheme', 'sni']) optStr(net, k, `${p}net.`);
    if (net['port'] !== undefined) int(net, 'port', `${p}net.`, 0);
    if (net['bytes'] !== undefined) int(net, 'bytes', `${p}net.`, 0);
  }
  const carried = e['carried'];
  if (carried === undefined) return;
  const list = arr(e, 'carried', p);
  if (list.length > MAX_CARRIED)
    throw new MessageError(`${p}carried`, `${list.length} values exceed the limit of ${MAX_CARRIED}`);
  for (let k = 0; k < list.length; k++) {
    const c = list[k];
    const cp = `${p}carried[${k}]`;
    if (!isObj(c)) fail(cp, 'object', c);
    int(c, 'ref', `${cp}.`, 1);
    const enc = str(c, 'encoding', `${cp}.`);
    if (!ENCODING_SET.has(enc))
      throw new MessageError(`${cp}.encoding`, `unknown encoding ${JSON.stringify(enc)}`);
  }
}

function common(o: Obj): void {
  int(o, 'pid', '', 1);
  str(o, 'process', '');
}

/**
 * Checks that `value` is a protocol v1 agent message and returns it typed. Throws MessageError
 * whose message names the field, e.g. `events[3].time: expected number, got string "x"`.
 * Cross-message facts (a stack id sent in an earlier batch) are checked by the TraceWriter.
 */
export function parseAgentMessage(value: unknown): AgentMessage {
  if (!isObj(value)) fail('', 'a JSON object', value);
  const v = value['v'];
  if (v !== PROTOCOL_VERSION) {
    if (v === undefined) throw new MessageError('v', 'missing protocol version');
    throw new MessageError(
      'v',
      `unsupported protocol version ${JSON.stringify(v)} (this overreach reads v${PROTOCOL_VERSION})`,
    );
  }
  const type = value['type'];
  switch (type) {
    case 'hello':
      num(value, 'time', '');
      nonEmpty(value, 'agentVersion', '');
      common(value);
      if (value['apiLevel'] !== undefined) int(value, 'apiLevel', '', 1);
      break;
    case 'events': {
      common(value);
      int(value, 'seq', '', 1);
      int(value, 'dropped', '', 0);
      validateStacks(arr(value, 'stacks', ''));
      validateEvents(arr(value, 'events', ''));
      break;
    }
    case 'hook-status': {
      common(value);
      num(value, 'time', '');
      const statuses = arr(value, 'statuses', '');
      for (let i = 0; i < statuses.length; i++) {
        const s = statuses[i];
        const p = `statuses[${i}].`;
        if (!isObj(s)) fail(`statuses[${i}]`, 'object', s);
        nonEmpty(s, 'hook', p);
        const state = str(s, 'state', p);
        if (!HOOK_STATE_SET.has(state))
          throw new MessageError(`${p}state`, `unknown hook state ${JSON.stringify(state)}`);
        optStr(s, 'detail', p);
        if (s['overloads'] !== undefined) int(s, 'overloads', p);
      }
      break;
    }
    case 'lifecycle': {
      common(value);
      num(value, 'time', '');
      const kind = str(value, 'kind', '');
      if (!LIFECYCLE_SET.has(kind))
        throw new MessageError('kind', `unknown lifecycle kind ${JSON.stringify(kind)}`);
      optStr(value, 'detail', '');
      break;
    }
    case 'agent-error':
      common(value);
      num(value, 'time', '');
      optStr(value, 'hook', '');
      str(value, 'message', '');
      break;
    default:
      if (typeof type !== 'string') fail('type', 'string', type);
      throw new MessageError(
        'type',
        `unknown message type ${JSON.stringify(type)} (expected ${MESSAGE_TYPES.join(', ')})`,
      );
  }
  return value as unknown as AgentMessage;
}
