// 3.2.1: a screen that offers points, rewards or discounts for an ID-card number, real-name
// verification or biometrics (face, fingerprint), from the texts recorded at the runner's taps.
// Both in ONE text ("实名认证领红包"): a game's legally required 实名认证 banner next to an
// unrelated 领取 button is no lure.

import type { FindingDraft, Rule } from '../types.ts';
import { describeNodes, readUiSnapshots } from '../ui-snapshots.ts';

export const REWARD_LURE =
  /积分|奖励|红包|优惠|领取|现金|返现|福利|礼包|points|reward|bonus|cash|coupon|discount/i;
export const IDENTITY_WORDS =
  /身份证|实名|人脸|刷脸|面容|指纹|声纹|ID card|identity card|real[- ]name|face (scan|verification|recognition)|fingerprint|biometric/i;

export const rewardForIdentity: Rule = {
  id: 'reward-for-identity',
  severity: 'high',
  summary: 'a screen offers a reward for an ID number, real-name or biometric data',
  run(ctx) {
    const snaps = readUiSnapshots(ctx);
    if (snaps === null) return 'the database has no UI snapshots (recorded from schema 5 on)';
    if (snaps.length === 0) return 'no UI snapshot in this run (no tap or consent step)';
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const s of snaps) {
      const both = s.nodes.find((n) => {
        const t = `${n.text} ${n.desc}`;
        return REWARD_LURE.test(t) && IDENTITY_WORDS.test(t);
      });
      if (!both) continue;
      const key = `${both.text}|${both.desc}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        rule: this.id,
        severity: this.severity,
        category: null,
        sdk: null,
        count: 0,
        evidence: [],
        title: `reward offered for identity data: ${JSON.stringify((both.text || both.desc).slice(0, 60))}`,
        detail:
          `At ${ctx.at(s.time)}${s.step ? ` (step "${s.step}")` : ''} the screen offered a reward for identity ` +
          `data: ${JSON.stringify(both.text || both.desc)}. Screen: ${describeNodes(s.nodes, 16)}`,
      });
    }
    return out;
  },
};
