// Streams a recorded trace (JSONL: one agent message per line, protocol v1) into a run.
// The file is read in 1 MiB chunks and split on '\n' by hand, so memory stays bounded by the
// longest accepted line whatever the file size; malformed lines are reported and skipped.
import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { MAX_MESSAGE_BYTES, MessageError, parseAgentMessage } from '../protocol/validate.ts';
import { printable } from './query.ts';
import type { TraceWriter } from './trace-writer.ts';

export interface Malformed {
  line: number;
  message: string;
}

export interface IngestResult {
  lines: number;
  messages: number;
  events: number;
  malformed: number;
  /** The first `keepErrors` problems, formatted `file:line: problem`. */
  errors: Malformed[];
  /** Lines with invalid UTF-8 (stored with U+FFFD); the first `keepErrors` as warnings. */
  invalidUtf8: number;
  warnings: Malformed[];
  /** The signal stopped the file part-way (everything read so far is committed). */
  interrupted: boolean;
}

export interface IngestOptions {
  /** How many malformed-line reports to keep (default 20). */
  keepErrors?: number;
  /** Name used in error lines (default: the file's base name). */
  label?: string;
  /** Stops reading at the next line (Ctrl-C); what was read is still committed. */
  signal?: AbortSignal;
}

const NL = 0x0a;

// Traces are almost always ASCII; latin1 decoding of ASCII is identical to UTF-8 and cheaper.
// Invalid UTF-8 would silently become U+FFFD: the caller is told (onInvalid) so it can warn.
function decode(buf: Buffer, onInvalid: (() => void) | undefined): string {
  if (isAscii(buf)) return buf.toString('latin1');
  if (onInvalid && !isUtf8(buf)) onInvalid();
  return buf.toString('utf8');
}

/**
 * Yields the file's lines (without '\n'); a line longer than `max` bytes is yielded as null.
 * `onInvalid(n)` is called before yielding line n (1-based) when its bytes are not valid UTF-8.
 */
export async function* readLines(
  path: string,
  max = MAX_MESSAGE_BYTES,
  onInvalid?: (line: number) => void,
): AsyncGenerator<string | null> {
  let lineNo = 0;
  const invalid = onInvalid && (() => onInvalid(lineNo));
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversize = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      const end = nl === -1 ? chunk.length : nl;
      if (!oversize) {
        if (partBytes + (end - start) > max) {
          oversize = true;
          parts = [];
          partBytes = 0;
        } else if (end > start) {
          parts.push(chunk.subarray(start, end));
          partBytes += end - start;
        }
      }
      if (nl === -1) break;
      lineNo++;
      yield oversize ? null : decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts), invalid);
      parts = [];
      partBytes = 0;
      oversize = false;
      start = nl + 1;
    }
  }
  lineNo++;
  if (oversize) yield null;
  else if (partBytes > 0) yield decode(Buffer.concat(parts), invalid);
}

function problem(err: unknown): string {
  if (err instanceof MessageError) return err.message;
  if (err instanceof SyntaxError) return `invalid JSON: ${err.message}`;
  throw err;
}

/** Feeds every valid line of `path` to `writer` (flushing at the end); reports malformed lines. */
export async function ingestFile(
  path: string,
  writer: TraceWriter,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const keep = options.keepErrors ?? 20;
  const label = options.label ?? basename(path);
  const result: IngestResult = {
    lines: 0,
    messages: 0,
    events: 0,
    malformed: 0,
    errors: [],
    invalidUtf8: 0,
    warnings: [],
    interrupted: false,
  };
  const badUtf8 = (line: number) => {
    result.invalidUtf8++;
    if (result.warnings.length < keep)
      result.warnings.push({
        line,
        message: printable(`${label}:${line}: invalid UTF-8 (stored with U+FFFD replacement characters)`),
      });
  };
  const bad = (line: number, message: string) => {
    result.malformed++;
    if (result.errors.length < keep)
      result.errors.push({ line, message: printable(`${label}:${line}: ${message}`) });
  };
  for await (let text of readLines(path, MAX_MESSAGE_BYTES, badUtf8)) {
    if (options.signal?.aborted) {
      result.interrupted = true;
      break;
    }
    const line = ++result.lines;
    if (line === 1 && text?.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 BOM
    if (text === null) {
      bad(line, `line exceeds the ${MAX_MESSAGE_BYTES} byte message limit`);
      continue;
    }
    if (text.length === 0 || (text.length < 3 && text.trim() === '')) continue;
    let msg: ReturnType<typeof parseAgentMessage>;
    try {
      msg = parseAgentMessage(JSON.parse(text));
      writer.handle(msg);
    } catch (err) {
      bad(line, problem(err));
      continue;
    }
    result.messages++;
    if (msg.type === 'events') result.events += msg.events.length;
  }
  // Ctrl-C while waiting for more data (a pipe whose writer then ended) is an interruption too.
  if (options.signal?.aborted) result.interrupted = true;
  writer.flush();
  return result;
}
