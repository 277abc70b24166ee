// A manual (virtual) clock for the simulated runtime and device: time moves only when advance()
// runs, firing due timers in time order, so a two-minute scenario runs in milliseconds.
import type { SimRuntimeClock } from './frida-globals.ts';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualClock implements SimRuntimeClock {
  private time: number;
  private pending: Pending[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1, 8, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.push({ id, at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(id: number): void {
    this.pending = this.pending.filter((p) => p.id !== id);
  }

  /** Moves time forward by `ms`, running every timer due on the way in order (FIFO on ties). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let best: Pending | undefined;
      for (const p of this.pending)
        if (p.at <= end && (!best || p.at < best.at || (p.at === best.at && p.id < best.id))) best = p;
      if (!best) break;
      this.pending = this.pending.filter((p) => p !== best);
      this.time = Math.max(this.time, best.at);
      best.fn();
    }
    this.time = end;
  }

  /** Waits `ms` of clock time: advances at once. */
  async sleep(ms: number): Promise<void> {
    this.advance(ms);
  }

  /** Number of timers waiting (for tests). */
  get pendingCount(): number {
    return this.pending.length;
  }
}
