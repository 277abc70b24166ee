// Personal data the privacy policy does not declare, or declares only for other SDKs, or read
// by an SDK the policy's SDK list does not name.
import type { Declaration } from '../../profile/profile.ts';
import { isPersonal, sdkLabel, sdkShort } from '../context.ts';
import type { Rule } from '../types.ts';

const isKnownSdk = (sdk: string | null): sdk is string => sdk !== null && !sdk.startsWith('third-party:');

export const undeclaredCollection: Rule = {
  id: 'undeclared-collection',
  severity: 'high',
  summary: 'personal data the privacy policy does not declare (for this SDK)',
  run(ctx) {
    const profile = ctx.profile;
    if (!profile) return 'needs an app profile (--profile) with the privacy-policy declarations';
    const pp = profile.privacyPolicy;
    const named = new Set(pp.sdks);
    const why = (category: string, sdk: string | null, decls: Declaration[]): string | null => {
      if (decls.length === 0)
        return `the privacy policy (${profile.file}) does not declare ${category} at all`;
      // A declaration without `sdk` covers the app, unidentified code and the SDKs the policy names.
      const covered = decls.some((d) =>
        d.sdk === undefined ? !isKnownSdk(sdk) || named.has(sdk) : d.sdk === sdk,
      );
      if (covered) return null;
      const forSdks = decls.filter((d) => d.sdk !== undefined).map((d) => d.sdk);
      if (forSdks.length === decls.length)
        return `the privacy policy declares ${category} only for ${forSdks.join(', ')}, not for ${sdkLabel(sdk)}`;
      return `the privacy policy declares ${category}, but its SDK list does not name ${sdkLabel(sdk)}`;
    };
    const out = [];
    for (const g of ctx.byCategorySdk((x) => isPersonal(x.category))) {
      const reason = why(
        g.category,
        g.sdk,
        pp.declares.filter((d) => d.category === g.category),
      );
      if (!reason) continue;
      const evidence = ctx.groupEvidence(g);
      const who = sdkLabel(g.sdk);
      out.push({
        rule: this.id,
        severity: this.severity,
        category: g.category,
        sdk: g.sdk,
        count: g.n,
        evidence,
        scenarios: [g.sdk === null || g.sdk === 'app' ? '1.1.3' : '1.1.6'],
        title: `${g.category} collected by ${sdkShort(g.sdk)} but not declared for it (${g.n}×)`,
        detail: `${who} accessed ${g.category} ${g.n} time(s), but ${reason}. ${ctx.firstAccess(evidence[0])}`,
      });
    }
    return out;
  },
};
