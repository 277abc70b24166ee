// Farm progress: a live view redrawn with ANSI on a TTY, plain log lines otherwise (CI).
import type { FarmEvent } from './pool.ts';

export interface ProgressView {
  onEvent(e: FarmEvent): void;
  done(): void;
}

export function progressView(
  total: number,
  write: (text: string) => void,
  tty: boolean,
  now: () => number = () => performance.now(),
): ProgressView {
  const t0 = now();
  let done = 0;
  let failed = 0;
  let retried = 0;
  const running = new Map<string, string>();
  let drawn = 0;
  const eta = () => {
    if (done === 0) return '?';
    const s = Math.round((((now() - t0) / done) * (total - done)) / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  };
  const draw = () => {
    const lines = [
      `farm: ${done}/${total} done, ${running.size} running, ${failed} failed, ${retried} retried, ETA ${eta()}`,
      ...[...running.entries()].map(([dev, what]) => `  ${dev}: ${what}`),
    ];
    // Move up over the previous frame and clear it, then draw the new one.
    write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const jobName = (e: { job: { id: number; scenario: string } }) => `job ${e.job.id}`;
  // "app · scenario": the app's file or package (the scenario's own app when the plan names none).
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const jobWhat = (j: { scenario: string; app?: { ref: string } }) =>
    `${j.app ? base(j.app.ref) : '(scenario app)'} · ${base(j.scenario)}`;
  return {
    onEvent(e) {
      if (e.type === 'step') {
        // Live view only: a plain log gets start/end lines, not one per step.
        const what = running.get(e.device);
        if (what !== undefined) running.set(e.device, `${what.split(' · step ')[0]} · ${e.label}`);
      } else if (e.type === 'start') {
        running.set(e.device, `${jobName(e)} ${jobWhat(e.job)} (attempt ${e.attempt})`);
        if (!tty) write(`${jobName(e)} started on ${e.device} (attempt ${e.attempt})\n`);
      } else if (e.type === 'end') {
        running.delete(e.attempt.device);
        const run = e.attempt.runId === undefined ? '' : ` run ${e.attempt.runId}`;
        if (e.final) {
          done++;
          if (e.attempt.status !== 'completed') failed++;
        } else retried++;
        if (!tty)
          write(
            `${jobName(e)} ${e.attempt.status} on ${e.attempt.device}${run}${e.attempt.reason ? `: ${e.attempt.reason}` : ''}${e.final ? '' : ' (will retry)'}\n`,
          );
      } else if (!tty) write(`${e.device} removed from the pool: ${e.reason}\n`);
      if (tty) draw();
    },
    done() {
      if (tty) draw();
    },
  };
}
