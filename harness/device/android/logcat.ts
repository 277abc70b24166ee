// logcat `-v threadtime` lines → crash / ANR events. Pure: the line parser and CrashCollector
// take text and return events; adb-device.ts feeds them from a streaming `adb logcat`.
import type { CrashEvent } from '../types.ts';

export interface LogcatLine {
  /** ms since epoch (the year comes from `-v year` or the reference date; UTC with `-v UTC`). */
  time: number;
  pid: number;
  tid: number;
  level: string;
  tag: string;
  message: string;
}

// "05-14 10:21:33.123  1234  1234 E AndroidRuntime: FATAL EXCEPTION: main" (optionally "2024-05-14 …").
const LINE_RE =
  /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+(\d+)\s+(\d+) ([VDIWEFA]) (.*?)\s*: ?(.*)$/;

export interface LogcatTimeOptions {
  /** Year used when the line has none (default: the current UTC year). */
  year?: number;
  /** Whether the stamps are UTC (`-v UTC`); otherwise the host's local time zone. */
  utc?: boolean;
}

export function parseLogcatLine(line: string, opts: LogcatTimeOptions = {}): LogcatLine | undefined {
  const m = LINE_RE.exec(line.replace(/\r$/, ''));
  if (!m) return undefined;
  const year = m[1] ? Number(m[1]) : (opts.year ?? new Date().getUTCFullYear());
  const parts = [
    year,
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number(m[7]),
  ] as const;
  const time = opts.utc ? Date.UTC(...parts) : new Date(...parts).getTime();
  return {
    time,
    pid: Number(m[8]),
    tid: Number(m[9]),
    level: m[10] ?? '',
    tag: m[11] ?? '',
    message: m[12] ?? '',
  };
}

const MAX_DETAIL_LINES = 6;

interface Pending {
  kind: CrashEvent['kind'];
  /** Lines continue the event while they come from this pid and tag. */
  pid: number;
  tag: string;
  time: number;
  process: string;
  appPid?: number;
  detail: string[];
}

/**
 * Assembles multi-line crash reports: Java crashes (AndroidRuntime "FATAL EXCEPTION:" +
 * "Process: com.foo, PID: 1234" + exception and stack), ANRs (ActivityManager "ANR in com.foo
 * (com.foo/.Main)" + "PID:" + "Reason:") and native crashes (libc "Fatal signal 11 (SIGSEGV) …
 * pid 4321 (com.foo)"). An event is complete when a line from another pid/tag arrives or on flush().
 */
export class CrashCollector {
  private pending: Pending | undefined;

  constructor(private readonly emit: (e: CrashEvent) => void) {}

  feed(l: LogcatLine): void {
    const p = this.pending;
    if (p && l.pid === p.pid && l.tag === p.tag && !this.isStart(l)) {
      this.continue(p, l.message);
      return;
    }
    this.flush();
    this.start(l);
  }

  private isStart(l: LogcatLine): boolean {
    return l.message.startsWith('FATAL EXCEPTION:') || l.message.startsWith('ANR in ');
  }

  private start(l: LogcatLine): void {
    if (l.tag === 'AndroidRuntime' && l.message.startsWith('FATAL EXCEPTION:')) {
      this.pending = { kind: 'crash', pid: l.pid, tag: l.tag, time: l.time, process: '', detail: [] };
      return;
    }
    const anr = /^ANR in (\S+)(?: \((.*)\))?/.exec(l.message);
    if (l.tag === 'ActivityManager' && anr?.[1]) {
      const detail = anr[2] ? [anr[2]] : [];
      this.pending = { kind: 'anr', pid: l.pid, tag: l.tag, time: l.time, process: anr[1], detail };
      return;
    }
    const sig = /^Fatal signal (\d+ \(\w+\).*?) in tid \d+ \([^)]*\), pid (\d+) \(([^)]*)\)/.exec(l.message);
    if (l.tag === 'libc' && sig?.[1]) {
      this.emit({
        time: l.time,
        kind: 'native-crash',
        process: sig[3] ?? '',
        pid: Number(sig[2]),
        detail: `Fatal signal ${sig[1]}`,
      });
    }
  }

  private continue(p: Pending, msg: string): void {
    const proc = /^Process: ([^,\s]+), PID: (\d+)/.exec(msg);
    if (p.kind === 'crash' && proc?.[1]) {
      p.process = proc[1];
      p.appPid = Number(proc[2]);
      return;
    }
    const pid = /^PID: (\d+)/.exec(msg);
    if (p.kind === 'anr' && pid) {
      p.appPid = Number(pid[1]);
      return;
    }
    if (p.kind === 'anr' && !msg.startsWith('Reason:') && p.detail.length > 0) return;
    if (p.detail.length < MAX_DETAIL_LINES && msg.trim()) p.detail.push(msg.trim());
  }

  /** Emits the event being assembled, if any. */
  flush(): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    this.emit({
      time: p.time,
      kind: p.kind,
      process: p.process,
      ...(p.appPid !== undefined ? { pid: p.appPid } : {}),
      detail: p.detail.join('\n'),
    });
  }
}

/** Splits a byte stream into lines (a partial last line is kept until more arrives). */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    const parts = text.split('\n');
    this.rest = parts.pop() ?? '';
    for (const p of parts) this.onLine(p.replace(/\r$/, ''));
  }

  end(): void {
    if (this.rest) this.onLine(this.rest);
    this.rest = '';
  }
}

/** Parses a whole captured logcat dump into crash events (for tests and `--from-file`). */
export function crashesFromLogcat(text: string, opts: LogcatTimeOptions = {}): CrashEvent[] {
  const out: CrashEvent[] = [];
  const c = new CrashCollector((e) => out.push(e));
  for (const line of text.split('\n')) {
    const l = parseLogcatLine(line, opts);
    if (l) c.feed(l);
  }
  c.flush();
  return out;
}
