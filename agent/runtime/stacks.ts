// Stack deduplication: each distinct stack is sent once (as a StackRecord in the batch that first
// references it) and events carry only its id. Two keys lead to an id: the backtracer's own id
// (cheap, no frame decoding) and the frame text (so equal stacks share an id across hooks).
import type { StackRecord } from '../protocol/messages.ts';

export const MAX_FRAMES = 32;
const MAX_FRAME_CHARS = 512;
const TABLE_MAX = 50_000;

/**
 * Stack ids by scope (which backtracer, which hooked method), then by the backtracer's key: two
 * lookups of strings the caller already has, rather than one of a key concatenated per event.
 */
const byKey = new Map<string, Map<string, number>>();
const byText = new Map<string, number>();
/** Stacks not yet sent, by id. */
const unsent = new Map<number, StackRecord>();
let nextId = 1;

function clip(frame: string): string {
  return frame.length > MAX_FRAME_CHARS ? `${frame.slice(0, MAX_FRAME_CHARS - 1)}…` : frame;
}

/**
 * Returns the stack id for `key` in `scope`, decoding frames with `frames()` only for a key never
 * seen there. `key` must identify the raw stack within its scope (e.g. Java.backtrace().id for
 * one hooked method); frames are clipped to 32. Undefined for an empty stack.
 */
export function internStack(
  scope: string,
  key: string,
  frames: () => string[],
  native = false,
): number | undefined {
  let keys = byKey.get(scope);
  if (keys === undefined) {
    keys = new Map();
    byKey.set(scope, keys);
  }
  const known = keys.get(key);
  if (known !== undefined) return known === 0 ? undefined : known;
  const list = frames().slice(0, MAX_FRAMES).map(clip);
  if (list.length === 0) {
    keys.set(key, 0); // nothing but the hook itself: the event carries no stack
    return undefined;
  }
  const text = `${native ? 'n' : 'j'}|${list.join('\n')}`;
  let id = byText.get(text);
  if (id === undefined) {
    if (byText.size >= TABLE_MAX) {
      // Unbounded growth would eat the app's memory: start over (stacks get new ids and are resent).
      byText.clear();
      byKey.clear();
      keys = new Map();
      byKey.set(scope, keys);
    }
    id = nextId++;
    byText.set(text, id);
    const record: StackRecord = { id, frames: list };
    if (native) record.native = true;
    unsent.set(id, record);
  }
  keys.set(key, id);
  return id;
}

/** Takes the not-yet-sent record for `id` (undefined once sent). */
export function takeUnsentStack(id: number): StackRecord | undefined {
  const record = unsent.get(id);
  if (record) unsent.delete(id);
  return record;
}

/** Puts a record back when its batch could not be sent. */
export function restoreUnsentStack(record: StackRecord): void {
  unsent.set(record.id, record);
}

/** java.lang.StackTraceElement.toString() formatting. */
export function formatFrame(
  className: string,
  methodName: string,
  fileName: string | null,
  line: number,
): string {
  const where =
    line === -2
      ? 'Native Method'
      : fileName
        ? line >= 0
          ? `${fileName}:${line}`
          : fileName
        : line >= 0
          ? `Unknown Source:${line}`
          : 'Unknown Source';
  return `${className}.${methodName}(${where})`;
}
