// A read that is already a finding (collected before consent, beyond necessity, undeclared …)
// whose value then also left the device: the same finding, one severity step higher, with the
// send as evidence. Runs after every other rule (it reads their drafts from the context).
import { SEVERITIES, type Severity } from '../../scenario/types.ts';
import { sdkShort } from '../context.ts';
import { destination, runTransmissions, transmissionEvidence } from '../transmissions.ts';
import type { Rule } from '../types.ts';

const OWN = new Set(['transmission-before-consent', 'undisclosed-recipient', 'finding-transmitted']);

function raised(s: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(s) + 1, SEVERITIES.length - 1)] ?? s;
}

export const findingTransmitted: Rule = {
  id: 'finding-transmitted',
  severity: 'critical',
  summary: 'a read that is already a finding, whose value was also sent off the device',
  run(ctx) {
    const rows = runTransmissions(ctx);
    if (rows.length === 0) return [];
    const drafts = ctx.drafts.filter((d) => !OWN.has(d.rule) && d.category !== null);
    return drafts.flatMap((d) => {
      const sent = rows.filter((r) => r.category === d.category && r.readSdk === d.sdk);
      if (sent.length === 0) return [];
      const first = sent[0]!;
      const orgs = [...new Set(sent.map(destination))].join(', ');
      return [
        {
          rule: this.id,
          severity: raised(d.severity),
          category: d.category,
          sdk: d.sdk,
          count: sent.length,
          evidence: transmissionEvidence(sent, ctx.limits.evidence),
          title: `${d.rule} (${d.category}, ${sdkShort(d.sdk)}) and the value was sent to ${first.organisation ?? 'an unknown host'}`,
          detail:
            `Finding "${d.title}" (${d.severity}) is about a read whose value then left the device: ` +
            `${sent.length} send(s) to ${orgs}, first at ${ctx.at(first.sentMs)} in phase ${first.phase} ` +
            `(encoded as ${first.encoding}). Severity raised from ${d.severity} to ${raised(d.severity)}.`,
        },
      ];
    });
  },
};
