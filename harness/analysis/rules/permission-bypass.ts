// Access without holding the permission that guards it. Side channels (native libc reads of MAC,
// ARP, serial files and properties, reflection, system properties, NetworkInterface MACs) are
// judged against every permission guarding the category they revealed; direct APIs against the
// catalog entry's permission (and its category's alternatives when the entry's permission is
// one of them). "Held" = declared in the manifest (app_permissions, minus maxSdkVersion below the
// device's API level) and not refused by the user at that moment (permission results in the trace).
import { CATALOG_BY_ID } from '../../../agent/catalog/index.ts';
import type { CatalogEntry } from '../../../agent/catalog/types.ts';
import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { CATEGORY_PERMISSIONS } from '../../knowledge/category-permissions.ts';
import { streamRows, timeBase } from '../../store/event-rows.ts';
import { isPersonal, sdkLabel } from '../context.ts';
import {
  deniedSpans,
  intersectSpans,
  readPermissionEvents,
  type Span,
  shortPermission,
} from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';

const SIDE_SUMMARIES = new Set([
  'reflection-target',
  'property-key',
  'native-property',
  'native-property-info',
]);
const SIDE_HOOKS = new Set(['network-interface.get-hardware-address']);

export function isSideChannel(entry: CatalogEntry): boolean {
  return entry.kind === 'native' || SIDE_SUMMARIES.has(entry.summary ?? '') || SIDE_HOOKS.has(entry.id);
}

/** Permissions any one of which makes the access legitimate; empty = no permission needed. */
export function guardingPermissions(entry: CatalogEntry, category: DataCategory): string[] {
  const forCategory = [...CATEGORY_PERMISSIONS[category]];
  if (isSideChannel(entry)) return forCategory;
  const own =
    (entry.kind === 'java' ? entry.permissionByCategory?.[category] : undefined) ?? entry.permission;
  if (!own) return [];
  return forCategory.includes(own) ? forCategory : [own];
}

export const permissionBypass: Rule = {
  id: 'permission-bypass',
  severity: 'high',
  summary: 'data accessed without holding the guarding permission (side channels)',
  run(ctx) {
    const declared = ctx.declared;
    if (!declared)
      return 'needs the manifest permissions: inspect the APK (run with an app) or give a profile with apk:';
    const denied = deniedSpans(readPermissionEvents(ctx));
    const out: FindingDraft[] = [];
    for (const g of ctx.byCategorySdk((x) => isPersonal(x.category))) {
      // Per API of the group: the same category can come through several hooks.
      const apis = ctx.inCategory(g.categoryId).filter((x) => x.sdkId === g.sdkId);
      const byApi = new Map<number, { hook: string; n: number }>();
      for (const a of apis) byApi.set(a.apiId, { hook: a.hook, n: (byApi.get(a.apiId)?.n ?? 0) + a.n });
      for (const [apiId, { hook, n }] of byApi) {
        const entry = CATALOG_BY_ID.get(hook);
        if (!entry) continue;
        const guards = guardingPermissions(entry, g.category);
        if (guards.length === 0) continue;
        const held = guards.filter((p) => declared.has(p));
        let where = 'api_id = ?';
        const params: unknown[] = [apiId];
        let count = n;
        let refusedNote = '';
        if (held.length > 0) {
          // Declared: a bypass only while the user's latest answer for every held guard was "denied".
          let spans: Span[] | null = null;
          for (const p of held) {
            const d = denied.get(p) ?? [];
            spans = spans === null ? d : intersectSpans(spans, d);
          }
          if (!spans || spans.length === 0) continue;
          // Offsets from the run's time base on the physical table: the view's `time` is computed.
          const base = timeBase(ctx.db, ctx.run.id);
          where += ` AND (${spans.map(() => '(offset_ms >= ? AND offset_ms < ?)').join(' OR ')})`;
          for (const [s, e] of spans) params.push(s - base, Number.isFinite(e) ? e - base : 1e300);
          count = Number(
            ctx.db
              .prepare(
                `SELECT count(*) FROM ${streamRows(ctx.db, { category: true })} AND e.sdk_id IS ? AND ${where}`,
              )
              .pluck()
              .get(ctx.run.id, g.categoryId, g.sdkId, ...params),
          );
          if (count === 0) continue;
          refusedNote = ` The app declares ${held.map(shortPermission).join(', ')}, but the user had refused it (from ${ctx.at(spans[0]![0])}).`;
        }
        const evidence = ctx.groupEvidence(g, where, params);
        const e = ctx.event(evidence[0]!);
        const side = isSideChannel(entry);
        const who = sdkLabel(g.sdk);
        const need = guards.map(shortPermission).join(' or ');
        out.push({
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count,
          evidence,
          title: side
            ? `${g.category} read through a side channel (${hook}) without ${need}`
            : `${e.api} called without ${need}`,
          detail:
            (side
              ? `${who} read ${g.category} ${count} time(s) through ${e.api}${e.args ? ` (${e.args})` : ''}, a path the ` +
                `platform does not guard with the permission that protects ${g.category} (${need}).`
              : `${who} called ${e.api} ${count} time(s); it requires ${need}.`) +
            (held.length === 0 ? ' The app does not hold it (not in its manifest).' : refusedNote) +
            ` ${ctx.firstAccess(evidence[0])}`,
        });
      }
    }
    return out;
  },
};
