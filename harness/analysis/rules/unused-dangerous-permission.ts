// A dangerous permission the manifest declares that the run never exercised: no event in any
// category it guards. Permissions whose categories the hooks do not cover are not judged.
import { CATALOG } from '../../../agent/catalog/index.ts';
import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { categoriesGuardedBy, isDangerous, permissionInfo } from '../../knowledge/permissions.ts';
import { requestCounts, shortPermission } from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';

/** Categories a permission guards: the knowledge map plus catalog entries that name it. */
export function guardedCategories(permission: string): DataCategory[] {
  const out = new Set<DataCategory>(categoriesGuardedBy(permission));
  for (const e of CATALOG) if (e.permission === permission) out.add(e.category);
  return [...out].sort();
}

export const unusedDangerousPermission: Rule = {
  id: 'unused-dangerous-permission',
  severity: 'low',
  summary: 'a declared dangerous permission that the run never exercised',
  run(ctx) {
    const declared = ctx.declared;
    if (!declared)
      return 'needs the manifest permissions: inspect the APK (run with an app) or give a profile with apk:';
    const used = new Set<string>(ctx.groups.map((g) => g.category));
    const requested = requestCounts(ctx);
    const out: FindingDraft[] = [];
    for (const p of [...declared].sort()) {
      if (!isDangerous(p)) continue;
      const cats = guardedCategories(p);
      if (cats.length === 0 || cats.some((c) => used.has(c))) continue;
      const asked = requested.get(p) ?? 0;
      out.push({
        rule: this.id,
        severity: this.severity,
        category: cats[0]!,
        sdk: null,
        count: 0,
        evidence: [],
        title: `${shortPermission(p)} declared but never used`,
        detail:
          `The manifest declares the dangerous permission ${p} (group ${permissionInfo(p)?.group ?? 'none'}), ` +
          `which guards ${cats.join(', ')}; no hooked access to ${cats.length > 1 ? 'these categories' : 'it'} ` +
          `happened in this run${asked ? `, although the app requested it ${asked} time(s)` : ''}. ` +
          'Unneeded dangerous permissions widen what the app could read (data minimisation).',
      });
    }
    return out;
  },
};
