// UI steps: wait, wait-for, tap, long-press, type, swipe, back, home, screenshot.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bounds, Locator, UiDriver, Point as UiPoint } from '../../device/types.ts';
import type { Direction, Point, Target } from '../../scenario/types.ts';
import type { ExecutorTable, StepContext } from './context.ts';
import { StepFailure } from './context.ts';

const FALLBACK_SCREEN: Bounds = [0, 0, 1080, 2340];

export function toLocator(t: Target): Locator {
  return { by: t.by, value: t.value };
}

/** The screen's extent: the union of the top-level windows' bounds. */
export async function screenBounds(ui: UiDriver): Promise<Bounds> {
  const tops = await ui.findAll({ by: 'xpath', value: '/hierarchy/*' });
  if (tops.length === 0) return FALLBACK_SCREEN;
  const b: Bounds = [...tops[0]!.bounds];
  for (const t of tops) {
    b[0] = Math.min(b[0], t.bounds[0]);
    b[1] = Math.min(b[1], t.bounds[1]);
    b[2] = Math.max(b[2], t.bounds[2]);
    b[3] = Math.max(b[3], t.bounds[3]);
  }
  return b[2] > b[0] && b[3] > b[1] ? b : FALLBACK_SCREEN;
}

function toPx(p: Point, screen: Bounds): UiPoint {
  if (p.unit === 'px') return { x: p.x, y: p.y };
  return {
    x: Math.round(screen[0] + ((screen[2] - screen[0]) * p.x) / 100),
    y: Math.round(screen[1] + ((screen[3] - screen[1]) * p.y) / 100),
  };
}

/** A swipe in `direction` (the finger's direction) across the middle of the screen. */
export function directionSwipe(direction: Direction, screen: Bounds): { from: UiPoint; to: UiPoint } {
  const pct = (x: number, y: number): UiPoint => toPx({ x, y, unit: '%' }, screen);
  switch (direction) {
    case 'up':
      return { from: pct(50, 75), to: pct(50, 25) };
    case 'down':
      return { from: pct(50, 25), to: pct(50, 75) };
    case 'left':
      return { from: pct(80, 50), to: pct(20, 50) };
    case 'right':
      return { from: pct(20, 50), to: pct(80, 50) };
  }
}

async function mustFind(ctx: StepContext, t: Target) {
  const el = await (await ctx.ui()).find(toLocator(t));
  if (!el) throw new StepFailure(`no element with ${t.by} ${JSON.stringify(t.value)} on screen`);
  return el;
}

export const uiExecutors: Pick<
  ExecutorTable,
  'wait' | 'wait-for' | 'tap' | 'long-press' | 'type' | 'swipe' | 'back' | 'home' | 'screenshot'
> = {
  wait: async (step, ctx) => {
    await ctx.sleep(step.durationMs);
    return undefined;
  },
  'wait-for': async (step, ctx) => {
    const ui = await ctx.ui();
    const el = await ui.waitFor(toLocator(step.target), step.timeoutMs);
    if (!el)
      throw new StepFailure(
        `${step.target.by} ${JSON.stringify(step.target.value)} did not appear within ${step.timeoutMs / 1000}s`,
      );
    return `found ${el.className}`;
  },
  tap: async (step, ctx) => {
    const el = await mustFind(ctx, step.target);
    await (await ctx.ui()).tap(el);
    return undefined;
  },
  'long-press': async (step, ctx) => {
    const el = await mustFind(ctx, step.target);
    await (await ctx.ui()).longPress(el, step.durationMs);
    await ctx.sleep(step.durationMs);
    return undefined;
  },
  type: async (step, ctx) => {
    const el = await mustFind(ctx, step.target);
    await (await ctx.ui()).type(el, step.text, step.clear);
    return undefined;
  },
  swipe: async (step, ctx) => {
    const ui = await ctx.ui();
    const screen = await screenBounds(ui);
    let from: UiPoint;
    let to: UiPoint;
    if (step.from && step.to) {
      from = toPx(step.from, screen);
      to = toPx(step.to, screen);
    } else {
      ({ from, to } = directionSwipe(step.direction ?? 'up', screen));
    }
    if (!step.until) {
      await ui.swipe(from, to);
      return undefined;
    }
    const max = step.maxSwipes ?? 10;
    for (let i = 0; i <= max; i++) {
      if (await ui.find(toLocator(step.until))) return `visible after ${i} swipe${i === 1 ? '' : 's'}`;
      if (i === max) break;
      await ui.swipe(from, to);
    }
    throw new StepFailure(
      `${step.until.by} ${JSON.stringify(step.until.value)} not visible after ${max} swipes`,
    );
  },
  back: async (_step, ctx) => {
    await (await ctx.ui()).back();
    return undefined;
  },
  home: async (_step, ctx) => {
    await (await ctx.ui()).home();
    return undefined;
  },
  screenshot: async (step, ctx) => {
    const png = await (await ctx.ui()).screenshot();
    const dir = join(ctx.outDir, 'screenshots');
    await mkdir(dir, { recursive: true });
    const file = join(dir, step.name.endsWith('.png') ? step.name : `${step.name}.png`);
    await writeFile(file, png);
    return file;
  },
};
