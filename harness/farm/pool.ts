// The farm's worker pool: one async worker per device pulling jobs from one queue. All workers
// write through the same Store in this process (better-sqlite3 is synchronous, so writes
// serialise naturally). A job whose device is lost or hangs (per-job timeout) is retried on
// ANOTHER device; the lost or hung device leaves the pool. Other failures are retried too,
// preferring a device that has not tried the job yet.
import type { Device } from '../device/types.ts';
import { errorMessage } from '../errors.ts';
import { createLog } from '../log.ts';
import type { FarmJob } from './plan.ts';

const log = createLog('farm');

export interface FarmDevice {
  id: string;
  device: Device;
  /** Resolves when the device can take jobs (a device process still starting); default: now. */
  ready?: Promise<void>;
  /**
   * Whether the device still answers, when `device` cannot say (a device hosted in a worker
   * thread: `device` is this thread's stand-in); default: `device` answers describe().
   */
  alive?: () => Promise<boolean>;
}

export const ATTEMPT_STATUSES = ['completed', 'failed', 'interrupted'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** What a job runner reports for one attempt. */
export interface AttemptResult {
  runId?: number;
  status: AttemptStatus;
  reason?: string;
  /** The scenario's own duration (its clock), for the overhead figure. */
  scenarioMs?: number;
}

export interface AttemptContext {
  signal: AbortSignal;
  /** The runner calls it as soon as the run exists, so a hung attempt can still be closed. */
  onRun(runId: number): void;
  /** The runner reports each top-level step as it starts (the live view shows it). */
  onStep?(label: string): void;
}

export type JobRunner = (job: FarmJob, device: FarmDevice, ctx: AttemptContext) => Promise<AttemptResult>;

export interface Attempt extends AttemptResult {
  device: string;
  wallMs: number;
  /** Why the device left the pool after this attempt. */
  deviceRemoved?: 'lost' | 'hung';
}

export interface JobOutcome {
  job: FarmJob;
  status: 'completed' | 'failed';
  reason?: string;
  /** The run of the last attempt. */
  runId?: number;
  attempts: Attempt[];
}

export type FarmEvent =
  | { type: 'start'; job: FarmJob; device: string; attempt: number }
  | { type: 'end'; job: FarmJob; attempt: Attempt; final: boolean }
  | { type: 'device-removed'; device: string; reason: string }
  | { type: 'step'; job: FarmJob; device: string; label: string };

export interface PoolOptions {
  jobs: readonly FarmJob[];
  devices: readonly FarmDevice[];
  runJob: JobRunner;
  /** Extra attempts per job after the first. */
  retries: number;
  jobTimeoutMs: number;
  /** How long a timed-out attempt gets to wind down before its device counts as hung (default 10 s). */
  graceMs?: number;
  /** Closes a run left open by a lost/hung attempt (the farm passes store.endRun). */
  closeRun?: (runId: number, reason: string) => void;
  onEvent?: (e: FarmEvent) => void;
  signal?: AbortSignal;
}

const delay = (ms: number) =>
  new Promise<'timeout'>((resolve) => {
    const t = setTimeout(() => resolve('timeout'), ms);
    t.unref?.();
  });

/** True when the device still answers (a lost device throws or does not answer in 10 s). */
async function alive(d: Device): Promise<boolean> {
  try {
    return (await Promise.race([d.describe().then(() => true), delay(10_000)])) === true;
  } catch {
    return false;
  }
}

interface Pending {
  job: FarmJob;
  tried: Set<string>;
  attempts: Attempt[];
}

export async function runPool(o: PoolOptions): Promise<JobOutcome[]> {
  const pending: Pending[] = o.jobs.map((job) => ({ job, tried: new Set(), attempts: [] }));
  const outcomes = new Map<number, JobOutcome>();
  const live = new Set(o.devices.map((d) => d.id));
  let running = 0;
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((r) => {
    wake = r;
  });
  const notify = () => {
    wake();
    changed = new Promise<void>((r) => {
      wake = r;
    });
  };
  const finish = (p: Pending, status: 'completed' | 'failed', reason?: string) => {
    const last = p.attempts.at(-1);
    outcomes.set(p.job.id, {
      job: p.job,
      status,
      attempts: p.attempts,
      ...(reason ? { reason } : {}),
      ...(last?.runId !== undefined ? { runId: last.runId } : {}),
    });
  };

  // A job this device has not tried; or one every live device has tried (nothing better exists).
  const take = (dev: string): Pending | undefined => {
    let i = pending.findIndex((p) => !p.tried.has(dev));
    if (i === -1) i = pending.findIndex((p) => [...live].every((d) => p.tried.has(d)));
    return i === -1 ? undefined : pending.splice(i, 1)[0];
  };

  const attempt = async (p: Pending, fd: FarmDevice): Promise<Attempt> => {
    const ac = new AbortController();
    const abortOuter = () => ac.abort(o.signal?.reason ?? 'farm interrupted');
    o.signal?.addEventListener('abort', abortOuter, { once: true });
    let runId: number | undefined;
    const t0 = performance.now();
    const timer = setTimeout(
      () => ac.abort(new Error(`job timeout after ${o.jobTimeoutMs} ms`)),
      o.jobTimeoutMs,
    );
    const work = o
      .runJob(p.job, fd, {
        signal: ac.signal,
        onRun: (id) => (runId = id),
        onStep: (label) => o.onEvent?.({ type: 'step', job: p.job, device: fd.id, label }),
      })
      .catch((err: unknown): AttemptResult => ({ status: 'failed', reason: errorMessage(err) }));
    let result: AttemptResult | 'timeout' = await Promise.race([
      work,
      new Promise<'timeout'>((resolve) => {
        ac.signal.addEventListener('abort', () => resolve(delay(o.graceMs ?? 10_000)), { once: true });
      }),
    ]);
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', abortOuter);
    const timedOut = ac.signal.aborted && !o.signal?.aborted;
    let removed: Attempt['deviceRemoved'];
    if (result === 'timeout') {
      // The runner ignored the abort: the device is hung. Close its run ourselves.
      removed = 'hung';
      result = { status: 'failed', reason: `job timeout after ${o.jobTimeoutMs} ms; device did not respond` };
    } else if (timedOut) {
      result = { ...result, status: 'failed', reason: `job timeout after ${o.jobTimeoutMs} ms` };
    }
    runId ??= result.runId;
    if (result.status !== 'completed' && !removed && !(await (fd.alive?.() ?? alive(fd.device))))
      removed = 'lost';
    if (removed === 'lost')
      result = { ...result, reason: `device ${fd.id} lost: ${result.reason ?? 'no answer'}` };
    if (runId !== undefined && (removed || timedOut) && o.closeRun)
      o.closeRun(runId, result.reason ?? 'failed');
    return {
      ...result,
      ...(runId !== undefined ? { runId } : {}),
      device: fd.id,
      wallMs: performance.now() - t0,
      ...(removed ? { deviceRemoved: removed } : {}),
    };
  };

  const worker = async (fd: FarmDevice): Promise<void> => {
    // Until it is ready the device takes no job: the others go on with the queue.
    await fd.ready;
    while (live.has(fd.id)) {
      if (o.signal?.aborted) return;
      const p = take(fd.id);
      if (!p) {
        if (pending.length === 0 && running === 0) return;
        await changed;
        continue;
      }
      running++;
      p.tried.add(fd.id);
      o.onEvent?.({ type: 'start', job: p.job, device: fd.id, attempt: p.attempts.length + 1 });
      const a = await attempt(p, fd);
      p.attempts.push(a);
      running--;
      if (a.deviceRemoved) {
        live.delete(fd.id);
        const why = a.deviceRemoved === 'lost' ? 'device lost' : 'device hung (job timeout)';
        log.warn(`${fd.id}: ${why}; taken out of the pool`);
        o.onEvent?.({ type: 'device-removed', device: fd.id, reason: why });
      }
      const final = a.status === 'completed' || p.attempts.length > o.retries || o.signal?.aborted === true;
      if (final) finish(p, a.status === 'completed' ? 'completed' : 'failed', a.reason);
      else pending.push(p);
      o.onEvent?.({ type: 'end', job: p.job, attempt: a, final });
      notify();
    }
  };

  await Promise.all(o.devices.map((d) => worker(d)));
  for (const p of pending.splice(0)) {
    const last = p.attempts.at(-1)?.reason;
    const why = o.signal?.aborted ? 'farm interrupted' : 'no device left in the pool';
    finish(p, 'failed', last ? `${why}; last attempt: ${last}` : why);
  }
  return o.jobs.map((j) => outcomes.get(j.id)!);
}
