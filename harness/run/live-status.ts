// `overreach run` in a terminal: finished steps scroll as plain lines while one status line at
// the bottom shows the current step and the events stored so far, redrawn in place. Not a
// terminal (CI, a pipe): plain lines only, no escape codes.
import type { RunProgress } from './run-context.ts';
import { progressLine } from './summary.ts';

export interface LiveStatus {
  /** A plain line (log output, a finished step), printed above the status line. */
  line(text: string): void;
  onProgress(p: RunProgress): void;
  /** Removes the status line (before the summary). */
  stop(): void;
}

const CLEAR = '\r\x1b[K';

export function liveStatus(
  write: (text: string) => void,
  tty: boolean,
  events: () => number,
  refreshMs = 500,
): LiveStatus {
  let current = '';
  let shown = false;
  const status = () => `▶ ${current || 'starting'} · ${events()} events`;
  const draw = () => {
    if (!tty) return;
    write(`${CLEAR}${status()}`);
    shown = true;
  };
  const timer = tty ? setInterval(draw, refreshMs) : undefined;
  timer?.unref();
  const line = (text: string) => {
    const t = text.endsWith('\n') ? text : `${text}\n`;
    if (tty && shown) write(`${CLEAR}${t}`);
    else write(t);
    if (tty) draw();
  };
  return {
    line,
    onProgress(p) {
      if (p.type === 'step-start' && !p.nested) current = `step ${p.index}: ${p.label}`;
      else if (p.type === 'step-start' && p.nested) current = `${current.split(' › ')[0]} › ${p.label}`;
      const text = progressLine(p);
      if (text) line(text);
      else draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (tty && shown) write(CLEAR);
      shown = false;
    },
  };
}
