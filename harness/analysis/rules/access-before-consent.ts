// Personal data read before the user could consent (the scenario's pre-consent phase).
import { isPersonal, sdkLabel, sdkShort } from '../context.ts';
import type { Rule } from '../types.ts';
import { readUiSnapshots } from '../ui-snapshots.ts';

export const accessBeforeConsent: Rule = {
  id: 'access-before-consent',
  severity: 'high',
  summary: 'personal data accessed before the user agreed to the privacy policy',
  run(ctx) {
    const phases = new Set(ctx.limits.preConsentPhases);
    const keep = (g: { category: string; phase: string }) => isPersonal(g.category) && phases.has(g.phase);
    // MIIT: with a consent dialog on record 1.1.2 (app) / 1.1.5 (SDK), without one 1.1.1 / 1.1.4.
    const dialog = (readUiSnapshots(ctx) ?? []).some((s) => s.kind === 'consent');
    return ctx.byCategorySdk(keep).map((g) => {
      const evidence = ctx.groupEvidence(g, '1', [], keep);
      const who = sdkLabel(g.sdk);
      return {
        rule: this.id,
        severity: this.severity,
        category: g.category,
        sdk: g.sdk,
        count: g.n,
        evidence,
        scenarios: [
          g.sdk === null || g.sdk === 'app' ? (dialog ? '1.1.2' : '1.1.1') : dialog ? '1.1.5' : '1.1.4',
        ],
        title: `${g.category} accessed ${g.n}× before consent by ${sdkShort(g.sdk)}`,
        detail:
          `${who} accessed ${g.category} ${g.n} time(s) while the run was in phase ${[...phases].join('/')}, ` +
          `i.e. before the user agreed to the privacy policy; personal data may only be collected after consent. ` +
          `${ctx.firstAccess(evidence[0])} Last at ${ctx.at(g.last)}.`,
      };
    });
  },
};
