// 3.1.1–3.1.4: an APK download or install prompt (category install-prompt) right after a tap,
// judged by the tapped element and the texts on screen at the tap (ui_snapshots kind 'tap'):
//  - 3.1.2 the screen or the element says "start the game" (立即开始游戏 …);
//  - 3.1.3 it lures with a reward (领取红包, 下载即领 …);
//  - 3.1.4 the tapped element has no download wording while another element on screen has;
//  - 3.1.1 nothing on the tapped element (nor on screen) says download / install.
// A tap on a plainly worded 下载 / 安装 button with no lure is the user's choice: no finding.
import { sdkLabel, sdkShort } from '../context.ts';
import { describePopup, PopupIndex } from '../popup-texts.ts';
import type { FindingDraft, Rule } from '../types.ts';
import { describeNodes, readUiSnapshots, targetLabel, type UiSnapshot } from '../ui-snapshots.ts';

/** Plain download wording; updating or upgrading (the app's own APK) is plain too. */
export const DOWNLOAD_WORDS = /下载|安装|更新|升级|download|install|update|upgrade|get the app/i;
export const START_GAME_WORDS = /开始游戏|立即开始|开始玩|马上玩|立即试玩|start (the )?game|play now/i;
export const REWARD_WORDS =
  /红包|下载即领|领取|领奖|奖励|福利|元宝|金币|claim|reward|red packet|bonus|free gift/i;

/** How long after a tap an install prompt still counts as its consequence. */
const AFTER_TAP_MS = 5_000;
/** How far back a notification, toast or dialog shown before the download is quoted as its lure. */
const LURE_MS = 60_000;

/** The tapped element's words, and the prompt's (titles and messages: not other buttons). */
function textOf(s: UiSnapshot): { target: string; screen: string } {
  const t = s.target;
  return {
    target: t ? `${t.text} ${t.desc}` : '',
    screen: s.nodes
      .filter((n) => !n.clickable)
      .map((n) => `${n.text} ${n.desc}`)
      .join(' '),
  };
}

/** The scenarios a tap → download violates, or [] for a clearly worded download button. */
export function classifyDownloadTap(s: UiSnapshot): string[] {
  const { target, screen } = textOf(s);
  const out: string[] = [];
  if (START_GAME_WORDS.test(target) || START_GAME_WORDS.test(screen)) out.push('3.1.2');
  if (REWARD_WORDS.test(target) || REWARD_WORDS.test(screen)) out.push('3.1.3');
  if (!DOWNLOAD_WORDS.test(target)) {
    const elsewhere = s.nodes.some((n) => n.clickable && DOWNLOAD_WORDS.test(`${n.text} ${n.desc}`));
    out.push(elsewhere ? '3.1.4' : '3.1.1');
  }
  return out;
}

export const deceptiveDownload: Rule = {
  id: 'deceptive-download',
  severity: 'high',
  summary: 'a download or install prompt after a tap on an element with no download wording or a lure',
  run(ctx) {
    const snaps = readUiSnapshots(ctx);
    if (snaps === null) return 'the database has no UI snapshots (recorded from schema 5 on)';
    const taps = snaps.filter((s) => s.kind === 'tap');
    // Without a tap there is nothing to judge (an untapped download is reported only beside taps):
    // the prompts are not read at all (tens of thousands of rows on a million-event run).
    if (taps.length === 0) return [];
    const prompts = ctx.db
      .prepare<[number], { id: number; time: number; sdk: string | null; args: string | null }>(
        `SELECT e.id, e.time, sd.name AS sdk, sa.text AS args FROM events e
         LEFT JOIN sdks sd ON sd.id = e.sdk_id LEFT JOIN summaries sa ON sa.id = e.args_id
         WHERE e.run_id = ? AND e.category_id = (SELECT id FROM categories WHERE name = 'install-prompt')
         ORDER BY e.time, e.id`,
      )
      .all(ctx.run.id);
    if (prompts.length === 0) return [];
    // One finding per tap that led to downloads (several prompts after one tap are one deception).
    const byTap = new Map<UiSnapshot, typeof prompts>();
    const untapped: typeof prompts = [];
    for (const p of prompts) {
      // The snapshot is taken before the tap is sent, so it is never later than what the tap caused:
      // the latest tap at or before the prompt (taps are in time order), if within AFTER_TAP_MS.
      let lo = 0;
      let hi = taps.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (taps[mid]!.time <= p.time) lo = mid + 1;
        else hi = mid;
      }
      const last = taps[lo - 1];
      const tap = last && p.time - last.time <= AFTER_TAP_MS ? last : undefined;
      if (!tap) untapped.push(p);
      else byTap.set(tap, [...(byTap.get(tap) ?? []), p]);
    }
    const out: FindingDraft[] = [];
    // What the app showed (notifications, toasts, dialogs) in the minute before: the words that lured.
    let popups: PopupIndex | undefined;
    const shownBefore = (time: number) => {
      popups ??= new PopupIndex(ctx.db, ctx.run.id);
      const ps = popups.between(time - LURE_MS, time, 3);
      return ps.length ? ` Shown before: ${ps.map(describePopup).join('; ')}.` : '';
    };
    // Taps on the same element with the same verdict are one finding (the first tap's texts).
    const merged = new Map<string, { tap: UiSnapshot; ps: typeof prompts; scenarios: string[] }>();
    for (const [tap, ps] of byTap) {
      const scenarios = classifyDownloadTap(tap);
      if (scenarios.length === 0) continue;
      const key = `${targetLabel(tap.target)}|${scenarios.join(',')}|${ps[0]!.sdk}`;
      const m = merged.get(key);
      if (m) m.ps.push(...ps);
      else merged.set(key, { tap, ps: [...ps], scenarios });
    }
    for (const { tap, ps, scenarios } of merged.values()) {
      const first = ps[0]!;
      const why: string[] = [];
      if (scenarios.includes('3.1.2')) why.push('the prompt invites to start a game');
      if (scenarios.includes('3.1.3')) why.push('the prompt lures with a reward');
      if (scenarios.includes('3.1.4')) why.push('the tap was not on the download button');
      if (scenarios.includes('3.1.1')) why.push('nothing tapped or shown says download or install');
      out.push({
        rule: this.id,
        severity: this.severity,
        category: 'install-prompt',
        sdk: first.sdk,
        count: ps.length,
        evidence: ps.map((p) => p.id).slice(0, ctx.limits.evidence),
        scenarios,
        title: `tap on ${targetLabel(tap.target)} started an APK download by ${sdkShort(first.sdk)} (${scenarios.join(', ')})`,
        detail:
          `At ${ctx.at(tap.time)}${tap.step ? ` (step "${tap.step}")` : ''} the user tapped ${targetLabel(tap.target)}; ` +
          `${sdkLabel(first.sdk)} then started ${ps.length} download/install prompt(s)${first.args ? ` (${first.args})` : ''}: ` +
          `${why.join('; ')}. Screen at the tap: ${describeNodes(tap.nodes, 16)}${shownBefore(first.time)}`,
      });
    }
    if (untapped.length > 0 && taps.length > 0) {
      const first = untapped[0]!;
      out.push({
        rule: this.id,
        severity: this.severity,
        category: 'install-prompt',
        sdk: first.sdk,
        count: untapped.length,
        evidence: untapped.map((p) => p.id).slice(0, ctx.limits.evidence),
        scenarios: ['3.1.1'],
        title: `${untapped.length} APK download(s) by ${sdkShort(first.sdk)} with no tap before them`,
        detail:
          `${sdkLabel(first.sdk)} started a download or install prompt at ${ctx.at(first.time)} with no tap in the ` +
          `${AFTER_TAP_MS / 1000} s before it: no prompt the user could read.${first.args ? ` ${first.args}.` : ''}${shownBefore(first.time)}`,
      });
    }
    return out;
  },
};
