// explore: seeded, time-boxed automatic driving. `random` picks among the clickable elements
// on screen (tap, text entry) with an occasional back or scroll; `monkey` sends random touches
// like `adb shell monkey` (the real one where the device has a shell). Every action is
// recorded as its own step, so the same seed on the same app gives the same sequence.

import { checkPackageName } from '../../device/android/adb.ts';
import type { UiDriver, UiElement } from '../../device/types.ts';
import type { ExploreStep } from '../../scenario/types.ts';
import { mulberry32 } from '../../util/prng.ts';
import { foregroundPackage, returnToApp } from './app-lifecycle.ts';
import type { StepContext } from './context.ts';
import { directionSwipe, screenBounds } from './ui-steps.ts';

/** Delay after each action (the monkey's --throttle). */
export const EXPLORE_THROTTLE_MS = 1000;
const SYSTEM_DIALOGS = [
  'com.android.permissioncontroller',
  'com.google.android.permissioncontroller',
  'com.android.packageinstaller',
];
const DIRECTIONS = ['up', 'down', 'left', 'right'] as const;

export { mulberry32 };

export function describeElement(e: UiElement): string {
  if (e.text) return `text=${JSON.stringify(e.text)}`;
  if (e.resourceId) return `id=${e.resourceId}`;
  if (e.contentDesc) return `desc=${JSON.stringify(e.contentDesc)}`;
  const [l, t, r, b] = e.bounds;
  return `${e.className}@${Math.round((l + r) / 2)},${Math.round((t + b) / 2)}`;
}

type Action = { label: string; run: (ui: UiDriver) => Promise<void> };

async function randomAction(ui: UiDriver, rnd: () => number, n: number): Promise<Action> {
  const r = rnd();
  if (r < 0.08) return { label: 'back', run: (u) => u.back() };
  if (r < 0.16) {
    const dir = DIRECTIONS[Math.floor(rnd() * DIRECTIONS.length)]!;
    const { from, to } = directionSwipe(dir, await screenBounds(ui));
    return { label: `swipe ${dir}`, run: (u) => u.swipe(from, to) };
  }
  const elements = (await ui.findAll({ by: 'xpath', value: "//*[@clickable='true']" })).filter(
    (e) => e.enabled,
  );
  if (elements.length === 0) return { label: 'back (nothing clickable)', run: (u) => u.back() };
  const el = elements[Math.floor(rnd() * elements.length)]!;
  if (el.className.endsWith('EditText')) {
    const text = `explore${n}`;
    return { label: `type ${describeElement(el)} ${JSON.stringify(text)}`, run: (u) => u.type(el, text) };
  }
  return { label: `tap ${describeElement(el)}`, run: (u) => u.tap(el) };
}

async function monkeyAction(ui: UiDriver, rnd: () => number): Promise<Action> {
  if (rnd() < 0.1) return { label: 'key back', run: (u) => u.back() };
  const [l, t, r, b] = await screenBounds(ui);
  const x = Math.floor(l + rnd() * (r - l));
  const y = Math.floor(t + rnd() * (b - t));
  return {
    label: `touch ${x},${y}`,
    run: async (u) => {
      try {
        await u.tap({ x, y });
      } catch {
        // A touch on empty screen does nothing, as on a device.
      }
    },
  };
}

/** Runs the explore step; resolves to a summary for the step's detail. */
export async function explore(step: ExploreStep, ctx: StepContext): Promise<string> {
  if (step.strategy === 'monkey' && ctx.caps.shell) return adbMonkey(step, ctx);
  const rnd = mulberry32(step.seed);
  const start = ctx.clock.now();
  const ui = await ctx.ui();
  let actions = 0;
  let returns = 0;
  while (!ctx.signal?.aborted && ctx.clock.now() - start < step.durationMs) {
    if (step.maxActions !== undefined && actions >= step.maxActions) break;
    const front = await foregroundPackage(ctx);
    if (step.stayInApp && front !== ctx.pkg && !SYSTEM_DIALOGS.includes(front)) {
      returns++;
      await ctx.subStep('explore-action', `return to app (foreground: ${front || 'none'})`, async () => {
        await ui.back();
        if ((await foregroundPackage(ctx)) !== ctx.pkg) await returnToApp(ctx);
        await ctx.sleep(EXPLORE_THROTTLE_MS);
      });
      continue;
    }
    actions++;
    const action =
      step.strategy === 'monkey' ? await monkeyAction(ui, rnd) : await randomAction(ui, rnd, actions);
    await ctx.subStep('explore-action', `#${actions} ${action.label}`, async () => {
      await action.run(ui);
      await ctx.sleep(EXPLORE_THROTTLE_MS);
    });
  }
  return `${actions} actions, ${returns} returns to the app in ${Math.round((ctx.clock.now() - start) / 1000)}s`;
}

/** `adb shell monkey` on a real device: one step, the monkey's own seeded event stream. */
async function adbMonkey(step: ExploreStep, ctx: StepContext): Promise<string> {
  const shell = ctx.caps.shell!;
  const count = step.maxActions ?? Math.max(1, Math.floor(step.durationMs / 500));
  // The package reaches a device shell: the same check as every other adb command.
  const pkg = checkPackageName(ctx.pkg);
  const out = await shell(
    `monkey -p ${pkg} -s ${step.seed} --throttle 500 --pct-syskeys 0 --ignore-crashes -v ${count}`,
  );
  const injected = /Events injected: (\d+)/.exec(out)?.[1];
  return `monkey -s ${step.seed}: ${injected ?? '?'} events injected`;
}
