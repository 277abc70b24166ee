// The run's UI snapshots (ui_snapshots: what was on screen at the consent tap and at each tap),
// read back for the rules that judge wording: consent-dialog, deceptive-download, reward-for-identity.
import type { UiTarget, UiText } from '../run/ui-snapshot.ts';
import type { AnalysisContext } from './context.ts';

export interface UiSnapshot {
  id: number;
  time: number;
  kind: string;
  step: string | null;
  target: UiTarget | null;
  nodes: UiText[];
}

const cache = new WeakMap<AnalysisContext, UiSnapshot[] | null>();

/** Snapshots in time order; null when the database predates them (schema < 5). */
export function readUiSnapshots(ctx: AnalysisContext): UiSnapshot[] | null {
  if (cache.has(ctx)) return cache.get(ctx)!;
  let out: UiSnapshot[] | null = null;
  const has = ctx.db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ui_snapshots'")
    .get();
  if (has) {
    out = ctx.db
      .prepare<
        [number],
        { id: number; time: number; kind: string; step: string | null; target: string | null; nodes: string }
      >(
        `SELECT u.id, u.time, u.kind, st.label AS step, u.target, u.nodes FROM ui_snapshots u
         LEFT JOIN steps st ON st.id = u.step_id WHERE u.run_id = ? ORDER BY u.time, u.id`,
      )
      .all(ctx.run.id)
      .map((r) => ({
        id: r.id,
        time: r.time,
        kind: r.kind,
        step: r.step,
        target: r.target ? (JSON.parse(r.target) as UiTarget) : null,
        nodes: JSON.parse(r.nodes) as UiText[],
      }));
  }
  cache.set(ctx, out);
  return out;
}

/** "«title» «message» [button] [x] checkbox" — the snapshot's texts as one quoted line. */
export function describeNodes(nodes: readonly UiText[], max = 12): string {
  const parts = nodes
    .filter((n) => n.text || n.desc)
    .slice(0, max)
    .map((n) => {
      const t = n.text || n.desc;
      if (n.checkable) return `[${n.checked ? 'x' : ' '}] ${JSON.stringify(t)}`;
      return n.clickable ? `[${JSON.stringify(t)}]` : JSON.stringify(t);
    });
  return parts.join(' ');
}

export function targetLabel(t: UiTarget | null): string {
  if (!t) return 'an unidentified element';
  const name = t.text || t.desc;
  return name ? `${t.cls} ${JSON.stringify(name)}` : `${t.cls}${t.id ? ` ${t.id}` : ''} (no text)`;
}
