// 1.4.1: the app personalises (a check-setting step found a personalisation switch such as
// 个性化推荐) while no purpose its privacy policy declares (profile) mentions personalisation or
// targeted push. Without a check-setting step that found one, nothing is judged.
import type { Rule } from '../types.ts';

export const PERSONALISATION_PURPOSE = /personali[sz]|recommend|targeted|个性化|定向|定推|推荐/i;

export const undisclosedPersonalisation: Rule = {
  id: 'undisclosed-personalisation',
  severity: 'medium',
  summary: 'the app personalises but its privacy policy declares no personalisation purpose',
  run(ctx) {
    const profile = ctx.profile;
    if (!profile) return 'needs an app profile (--profile) with the privacy-policy purposes';
    const found = ctx.db
      .prepare<[number], { detail: string; started_at: number }>(
        "SELECT detail, started_at FROM steps WHERE run_id = ? AND kind = 'check-setting' AND detail LIKE 'found: %' ORDER BY started_at LIMIT 1",
      )
      .get(ctx.run.id);
    if (!found) {
      const any = ctx.db
        .prepare<[number], { n: number }>(
          "SELECT count(*) AS n FROM steps WHERE run_id = ? AND kind = 'check-setting'",
        )
        .get(ctx.run.id);
      return any?.n ? [] : 'no check-setting step in this run (it looks for the personalisation switch)';
    }
    const purposes = profile.privacyPolicy.declares.flatMap((d) => d.purposes);
    if (purposes.some((p) => PERSONALISATION_PURPOSE.test(p))) return [];
    const label = /^found: (.*) @ (.*)$/.exec(found.detail);
    return [
      {
        rule: this.id,
        severity: this.severity,
        category: null,
        sdk: null,
        count: 0,
        evidence: [],
        title: `the app offers ${JSON.stringify(label?.[1] ?? found.detail)} but the policy declares no personalisation`,
        detail:
          `check-setting found ${JSON.stringify(label?.[1] ?? found.detail)}${label ? ` in ${label[2]}` : ''} at ` +
          `${ctx.at(found.started_at)}: the app personalises content or pushes. The privacy policy (${profile.file}) ` +
          `declares the purposes ${[...new Set(purposes)].join(', ') || 'none'}, none of them personalisation or targeted push.`,
      },
    ];
  },
};
