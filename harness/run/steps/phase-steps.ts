// Phases: set-phase, and consent (find the agreement button, tap it, enter post-consent).
import { centreOf, parsePageSource } from '../../device/page-source.ts';
import type { UiElement } from '../../device/types.ts';
import { POST_CONSENT } from '../../scenario/types.ts';
import type { ExecutorTable, StepContext } from './context.ts';
import { StepFailure } from './context.ts';

/** Buttons that contain an agreement word but refuse ("不同意", "Disagree", "Don't accept"). */
const REFUSAL = /^(不|拒绝|暂不|dis|don'?t|do not|decline|reject|no\b)/i;

/**
 * The consent button: an exact text match for the labels in order, then a clickable element
 * containing one. Read from ONE page source (a find per label on Appium costs ~10 requests per
 * element found; polled every 250 ms that swamps a slow device).
 */
export async function findConsentButton(
  ctx: StepContext,
  labels: readonly string[],
): Promise<UiElement | null> {
  const nodes = parsePageSource(await (await ctx.ui()).pageSource()).map((n) => n.element);
  for (const label of labels) {
    const hits = nodes.filter((e) => e.text === label);
    const hit = hits.find((e) => e.clickable) ?? hits[0];
    if (hit) return hit;
  }
  const clickable = nodes.filter((e) => e.clickable);
  for (const label of labels) {
    const hit = clickable.find((e) => e.text.includes(label) && !REFUSAL.test(e.text.trim()));
    if (hit) return hit;
  }
  return null;
}

export const phaseExecutors: Pick<ExecutorTable, 'set-phase' | 'consent'> = {
  'set-phase': async (step, ctx) => {
    const before = ctx.phase;
    await ctx.setPhase(step.name);
    return `${before} → ${step.name}`;
  },
  consent: async (step, ctx: StepContext) => {
    const end = ctx.clock.now() + step.timeoutMs;
    for (;;) {
      const button = await findConsentButton(ctx, step.labels);
      if (button) {
        const before = ctx.phase;
        // The dialog as the user saw it (texts, buttons, checkboxes): evidence for 1.1.7 / 1.1.8.
        await ctx.recordUi('consent', button);
        // The phase switches AT the tap: whatever the app does in reaction to it (on a real
        // device, asynchronously; on the simulator, inside the tap) is post-consent.
        await ctx.setPhase(POST_CONSENT);
        try {
          // A page-source element has no WebDriver id: tap its centre.
          await (await ctx.ui()).tap(centreOf(button));
        } catch (err) {
          await ctx.setPhase(before);
          throw err;
        }
        return `tapped ${JSON.stringify(button.text)}`;
      }
      if (ctx.clock.now() >= end || ctx.signal?.aborted) break;
      await ctx.sleep(250);
    }
    throw new StepFailure(
      `no consent button (${step.labels.map((l) => JSON.stringify(l)).join(', ')}) within ${step.timeoutMs / 1000}s; phase stays ${ctx.phase}`,
    );
  },
};
