// Streams a recorded trace (JSONL: one agent message per line, protocol v1) into a run.
// The file is read in 1 MiB chunks and split on '\n' by hand, so memory stays bounded by the
// longest accepted line whatever the file size; malformed lines are reported and skipped.
import { isAscii } from 'node:buffer';
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
}

export interface IngestOptions {
  /** How many malformed-line reports to keep (default 20). */
  keepErrors?: number;
  /** Name used in error lines (default: the file's base name). */
  label?: string;
}

const NL = 0x0a;

// Traces are almost always ASCII; latin1 decoding of ASCII is identical to UTF-8 and cheaper.
function decode(buf: Buffer): string {
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

/** Yields the file's lines (without '\n'); a line longer than `max` bytes is yielded as null. */
export async function* readLines(path: string, max = MAX_MESSAGE_BYTES): AsyncGenerator<string | null> {
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
      yield oversize ? null : decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
      parts = [];
      partBytes = 0;
      oversize = false;
      start = nl + 1;
    }
  }
  if (oversize) yield null;
  else if (partBytes > 0) yield decode(Buffer.concat(parts));
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
  const result: IngestResult = { lines: 0, messages: 0, events: 0, malformed: 0, errors: [] };
  const bad = (line: number, message: string) => {
    result.malformed++;
    if (result.errors.length < keep)
      result.errors.push({ line, message: printable(`${label}:${line}: ${message}`) });
  };
  for await (let text of readLines(path)) {
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
  writer.flush();
  return result;
}
