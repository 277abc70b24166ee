// Personal data the app's category does not need (policy pack: necessary + conditional +
// functional, plus what declared purposes justify; `custom` apps add their profile's list).
import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { allowedCategories, necessaryCategories } from '../../knowledge/policy/pack.ts';
import { isPersonal, sdkLabel, sdkShort } from '../context.ts';
import type { Rule } from '../types.ts';

const list = (s: Iterable<string>) => [...s].sort().join(', ') || 'nothing';

export const beyondNecessary: Rule = {
  id: 'beyond-necessary',
  severity: 'high',
  summary: 'personal data the app category does not need (policy pack)',
  run(ctx) {
    const profile = ctx.profile;
    if (!profile) return 'needs an app profile (--profile) for the app category';
    const opts = { strict: ctx.limits.necessity.strict, declarations: profile.privacyPolicy.declares };
    const necessary = necessaryCategories(ctx.pack, profile.category, opts);
    const allowed = allowedCategories(ctx.pack, profile.category, opts);
    for (const c of profile.necessary ?? []) {
      necessary.add(c);
      allowed.add(c);
    }
    const high = new Set<string>(ctx.limits.necessity.highCategories);
    const rule = ctx.pack.categories[profile.category] ?? ctx.pack.categories['default'];
    const ruleName = rule?.title
      ? `${rule.title}${rule.item ? `, item ${rule.item}` : ''}`
      : profile.category;
    const functional = [...allowed].filter((c) => !necessary.has(c));
    return ctx
      .byCategorySdk((g) => isPersonal(g.category) && !allowed.has(g.category as DataCategory))
      .map((g) => {
        const evidence = ctx.groupEvidence(g);
        const who = sdkLabel(g.sdk);
        return {
          rule: this.id,
          severity: high.has(g.category) ? 'high' : 'medium',
          category: g.category,
          sdk: g.sdk,
          count: g.n,
          evidence,
          title: `${g.category} is not necessary for app category ${profile.category} (${sdkShort(g.sdk)}, ${g.n}×)`,
          detail:
            `Under ${ctx.pack.name} an app of category ${profile.category} (${ruleName}) needs ${list(necessary)}` +
            `${functional.length ? `; its basic function may also use ${list(functional)}` : ''}. ` +
            `${who} accessed ${g.category} ${g.n} time(s) anyway. ${ctx.firstAccess(evidence[0])}`,
        };
      });
  },
};
