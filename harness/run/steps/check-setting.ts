// check-setting: walks settings-like screens (depth-first, up to max-depth taps from where it
// starts) looking for a personalisation opt-out among the labels. Records found / not found in
// the step detail ("found: <label> @ <activity>"); never fails for not finding it.
import type { Locator, UiElement } from '../../device/types.ts';
import type { CheckSettingStep } from '../../scenario/types.ts';
import type { StepContext } from './context.ts';

/** Entries that lead towards settings, in Chinese and English. */
export const SETTINGS_WORDS = [
  '设置',
  '设定',
  '隐私',
  '个人中心',
  '我的',
  '账号',
  '更多',
  'settings',
  'setting',
  'privacy',
  'preferences',
  'account',
  'profile',
  'more',
] as const;

const SETTLE_MS = 500;

export interface SettingSearch {
  found?: { label: string; activity: string };
  screens: number;
}

function locatorOf(e: UiElement): Locator {
  if (e.text) return { by: 'text', value: e.text };
  if (e.resourceId) return { by: 'id', value: e.resourceId };
  return { by: 'accessibility-id', value: e.contentDesc };
}

function isNavigation(e: UiElement): boolean {
  const s = `${e.text} ${e.contentDesc}`.toLowerCase();
  return SETTINGS_WORDS.some((w) => s.includes(w));
}

export async function searchSetting(step: CheckSettingStep, ctx: StepContext): Promise<SettingSearch> {
  const ui = await ctx.ui();
  const seen = new Set<string>();
  const result: SettingSearch = { screens: 0 };

  const lookHere = async (): Promise<string | undefined> => {
    for (const label of step.labels) if (await ui.find({ by: 'text', value: label })) return label;
    const all = await ui.findAll({ by: 'xpath', value: '//*' });
    const lower = all.map((e) => e.text.toLowerCase());
    return step.labels.find((l) => lower.some((t) => t.includes(l.toLowerCase())));
  };

  const visit = async (depth: number): Promise<boolean> => {
    const here = await ctx.device.foregroundActivity();
    result.screens++;
    const label = await lookHere();
    if (label !== undefined) {
      result.found = { label, activity: here.activity };
      return true;
    }
    if (depth >= step.maxDepth || ctx.signal?.aborted) return false;
    const entries = (await ui.findAll({ by: 'xpath', value: "//*[@clickable='true']" })).filter(isNavigation);
    for (const entry of entries) {
      const key = `${here.activity}|${entry.text}|${entry.resourceId}|${entry.contentDesc}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const target = await ui.find(locatorOf(entry));
      if (!target) continue;
      await ui.tap(target);
      await ctx.sleep(SETTLE_MS);
      const now = await ctx.device.foregroundActivity();
      if (now.packageName === ctx.pkg && (await visit(depth + 1))) return true;
      await ui.back();
      await ctx.sleep(SETTLE_MS);
    }
    return false;
  };

  await visit(0);
  return result;
}

export async function checkSetting(step: CheckSettingStep, ctx: StepContext): Promise<string> {
  const r = await searchSetting(step, ctx);
  if (r.found) return `found: ${r.found.label} @ ${r.found.activity}`;
  return `not found: ${step.labels.join(', ')} (${r.screens} screen${r.screens === 1 ? '' : 's'} searched)`;
}
