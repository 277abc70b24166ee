// Prompts that push the user to download or install other apps (APK downloads, install intents).
import { sdkLabel, sdkShort } from '../context.ts';
import type { Rule } from '../types.ts';

export const installInducement: Rule = {
  id: 'install-inducement',
  severity: 'medium',
  summary: 'prompts to download or install other apps',
  run(ctx) {
    return ctx
      .byCategorySdk((g) => g.category === 'install-prompt')
      .map((g) => {
        const evidence = ctx.groupEvidence(g);
        const who = sdkLabel(g.sdk);
        return {
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count: g.n,
          evidence,
          title: `${sdkShort(g.sdk)} prompted ${g.n}× to download or install another app`,
          detail:
            `${who} started ${g.n} APK download(s) or install prompt(s), inducing the user to install other ` +
            `software. ${ctx.firstAccess(evidence[0])}`,
        };
      });
  },
};
