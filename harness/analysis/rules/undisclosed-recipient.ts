// Personal data sent to a known third party (an organisation in the endpoint map) that the
// privacy policy does not name: neither the SDK that owns the endpoint nor the SDK that sent it.
// Unknown hosts are never judged: they may be the app's own servers.

import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { sdkShort } from '../context.ts';
import { destination, groupBy, runTransmissions, transmissionEvidence } from '../transmissions.ts';
import type { Rule } from '../types.ts';

export const undisclosedRecipient: Rule = {
  id: 'undisclosed-recipient',
  severity: 'medium',
  summary: 'personal data sent to a third party the privacy policy does not name',
  run(ctx) {
    const profile = ctx.profile;
    if (!profile) return 'needs an app profile (the privacy policy lists the SDKs it shares data with)';
    const named = new Set(profile.privacyPolicy.sdks.map((s) => s.toLowerCase()));
    const isNamed = (id: string | null) => id !== null && named.has(id.toLowerCase());
    const rows = runTransmissions(ctx).filter(
      (r) => r.known && r.category && !isNamed(r.endpointSdk) && !isNamed(r.sdk),
    );
    return groupBy(rows, (r) => `${r.category}|${r.organisation}|${r.sdk}`).map((g) => {
      const first = g[0]!;
      return {
        rule: this.id,
        severity: this.severity,
        category: first.category as DataCategory,
        sdk: first.sdk,
        count: g.length,
        evidence: transmissionEvidence(g, ctx.limits.evidence),
        title: `${first.category} sent to ${first.organisation}, not named in the privacy policy`,
        detail:
          `${sdkShort(first.sdk)} sent a ${first.category} value to ${destination(first)} ${g.length} time(s); ` +
          `the privacy policy names ${profile.privacyPolicy.sdks.join(', ') || 'no SDKs'}, not ${first.endpointSdk ?? first.organisation}. ` +
          `First sent at ${ctx.at(first.sentMs)} in phase ${first.phase}.`,
      };
    });
  },
};
