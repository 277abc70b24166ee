// 1.1.7 / 1.1.8: the consent dialog itself, as the consent step saw it (ui_snapshots kind
// 'consent'): no refuse button, agreement worded as acknowledgement ("好的", "我知道了"), or a
// pre-ticked agreement box. The texts are the evidence (no events).

import type { FindingDraft, Rule } from '../types.ts';
import { describeNodes, readUiSnapshots, targetLabel } from '../ui-snapshots.ts';

/** Buttons that refuse or leave: 不同意, 拒绝, 暂不使用, 退出, Disagree, Decline … */
export const REFUSE_WORDS =
  /不同意|拒绝|暂不|不接受|退出|仅浏览|disagree|decline|reject|refuse|do not agree|don'?t agree|not now|exit|quit/i;
/** Acknowledgement instead of agreement (the notice's own examples first). */
export const ACK_ONLY =
  /^(好的|好|我知道了|知道了|我知道|朕知道了|明白了|ok|okay|got it|i know|i see)[!！.。]?$/i;
/** A checkbox about the policy. */
const POLICY_WORDS = /同意|隐私|协议|政策|条款|agree|privacy|policy|terms/i;

export const consentDialog: Rule = {
  id: 'consent-dialog',
  severity: 'medium',
  summary: 'the consent dialog lacks a refuse button, asks for "OK / I know", or is pre-ticked',
  run(ctx) {
    const snaps = readUiSnapshots(ctx)?.filter((s) => s.kind === 'consent');
    if (!snaps || snaps.length === 0) return 'no consent step recorded the consent dialog in this run';
    const out: FindingDraft[] = [];
    for (const s of snaps) {
      const texts = describeNodes(s.nodes, 16);
      const where = `at ${ctx.at(s.time)}${s.step ? ` (step "${s.step}")` : ''}`;
      const buttons = s.nodes.filter((n) => n.clickable && !n.checkable && (n.text || n.desc));
      const agree = s.target?.text || s.target?.desc || '';
      const base = { severity: this.severity, category: null, sdk: null, evidence: [] as number[], count: 0 };
      if (!buttons.some((b) => REFUSE_WORDS.test(b.text || b.desc)))
        out.push({
          ...base,
          rule: this.id,
          scenarios: ['1.1.7'],
          title: `consent dialog has no refuse button (${buttons.length} button(s))`,
          detail:
            `The consent dialog ${where} offers ${buttons.map((b) => JSON.stringify(b.text || b.desc)).join(', ') || 'no button'} ` +
            `and no button to refuse; the user cannot decline the privacy policy. Screen: ${texts}`,
        });
      if (ACK_ONLY.test(agree.trim()))
        out.push({
          ...base,
          rule: this.id,
          scenarios: ['1.1.7'],
          title: `consent is given by ${JSON.stringify(agree)} (acknowledgement, not agreement)`,
          detail:
            `The consent step tapped ${targetLabel(s.target)} ${where}: wording that acknowledges instead of ` +
            `asking for agreement ("好的" / "我知道了" style). Screen: ${texts}`,
        });
      for (const box of s.nodes.filter(
        (n) => n.checkable && n.checked && POLICY_WORDS.test(n.text || n.desc),
      ))
        out.push({
          ...base,
          rule: this.id,
          scenarios: ['1.1.8'],
          title: `consent checkbox ${JSON.stringify(box.text || box.desc)} is pre-ticked`,
          detail:
            `The ${box.cls} ${JSON.stringify(box.text || box.desc)} was already checked ${where}, before the user ` +
            `touched it: consent by default. Screen: ${texts}`,
        });
    }
    return out;
  },
};
