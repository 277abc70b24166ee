// A personal value the app read, sent off the device before the user agreed to the policy.

import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { sdkShort } from '../context.ts';
import { destination, groupBy, runTransmissions, transmissionEvidence } from '../transmissions.ts';
import type { Rule } from '../types.ts';

export const transmissionBeforeConsent: Rule = {
  id: 'transmission-before-consent',
  severity: 'high',
  summary: 'personal data sent off the device before the user agreed to the privacy policy',
  run(ctx) {
    const phases = new Set(ctx.limits.preConsentPhases);
    const rows = runTransmissions(ctx).filter((r) => phases.has(r.phase) && r.category);
    return groupBy(rows, (r) => `${r.category}|${r.sdk}|${r.organisation}`).map((g) => {
      const first = g[0]!;
      const encodings = [...new Set(g.map((r) => r.encoding))].join(', ');
      return {
        rule: this.id,
        severity: this.severity,
        category: first.category as DataCategory,
        sdk: first.sdk,
        count: g.length,
        evidence: transmissionEvidence(g, ctx.limits.evidence),
        title: `${first.category} sent to ${first.organisation ?? 'an unknown host'} before consent by ${sdkShort(first.sdk)}`,
        detail:
          `${sdkShort(first.sdk)} sent a ${first.category} value the app had read (${first.readSdk ? `read by ${sdkShort(first.readSdk)}` : 'read earlier'}) ` +
          `to ${destination(first)} ${g.length} time(s) while the run was in phase ${first.phase}, before the user agreed ` +
          `to the privacy policy; encoded as ${encodings}. First sent at ${ctx.at(first.sentMs)} via ${first.sendHook}.`,
      };
    });
  },
};
