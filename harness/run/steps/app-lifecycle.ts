// App lifecycle steps: install, launch, relaunch, background (home, wait, come back).
import type { ExecutorTable, StepContext } from './context.ts';
import { StepFailure } from './context.ts';

/** Brings the app back to the front: recent apps where the device can, else its launcher icon. */
export async function returnToApp(ctx: StepContext): Promise<void> {
  if (ctx.caps.activate) {
    await ctx.caps.activate(ctx.pkg);
    return;
  }
  const ui = await ctx.ui();
  const label = ctx.appLabel;
  const icon =
    label === undefined
      ? null
      : ((await ui.find({ by: 'accessibility-id', value: label })) ??
        (await ui.find({ by: 'text', value: label })));
  if (icon) {
    await ui.tap(icon);
    return;
  }
  // No way back to the running instance: start it again under the agent.
  await ctx.expectExit(() => ctx.launch({ clearData: false }));
}

export async function foregroundPackage(ctx: StepContext): Promise<string> {
  return (await ctx.device.foregroundActivity()).packageName;
}

export const lifecycleExecutors: Pick<ExecutorTable, 'install' | 'launch' | 'relaunch' | 'background'> = {
  install: async (step, ctx) => {
    const pkg = await ctx.install(step.apk);
    return `installed ${pkg}`;
  },
  launch: async (step, ctx) => {
    const session = ctx.session();
    if (!step.cold && !step.clearData && session && session.detachReason === undefined) {
      // Warm start: the instrumented app is still running; bring it to the front.
      await returnToApp(ctx);
      return 'warm start (already running)';
    }
    await ctx.expectExit(() => ctx.launch({ clearData: step.clearData }));
    const pid = ctx.session()?.pid;
    return `spawned pid ${pid ?? '?'}${step.clearData ? ' after clearing data' : ''}`;
  },
  relaunch: async (_step, ctx) => {
    await ctx.expectExit(() => ctx.launch({ clearData: false }));
    return `spawned pid ${ctx.session()?.pid ?? '?'}`;
  },
  background: async (step, ctx) => {
    const ui = await ctx.ui();
    await ui.home();
    await ctx.sleep(step.durationMs);
    await returnToApp(ctx);
    const front = await foregroundPackage(ctx);
    if (front !== ctx.pkg)
      throw new StepFailure(`app did not come back to the front (foreground: ${front || 'none'})`);
    return undefined;
  },
};
