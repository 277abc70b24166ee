// Clocks for the simulated device: real time for the demo, a virtual clock for tests so a
// two-minute scenario runs in milliseconds (advance() fires due timers in time order).

export interface SimClock {
  /** ms since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  /** Waits `ms` of clock time (virtual: advances at once; real: sleeps). */
  sleep(ms: number): Promise<void>;
}

export function realClock(): SimClock {
  const handles = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++;
      const h = setTimeout(() => {
        handles.delete(id);
        fn();
      }, ms);
      h.unref?.();
      handles.set(id, h);
      return id;
    },
    clearTimeout(id) {
      const h = handles.get(id);
      if (h) clearTimeout(h);
      handles.delete(id);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export class VirtualClock implements SimClock {
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

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
  }

  /** Number of timers waiting (for tests). */
  get pendingCount(): number {
    return this.pending.length;
  }
}
