// Which methods a reflective Method.invoke must be reported for: every Java catalog entry's
// "class.method", plus the public class a hidden implementation class stands for (reflection
// code looks methods up on PackageManager, not on ApplicationPackageManager).
import type { DataCategory } from '../protocol/messages.ts';
import { CATALOG } from './index.ts';

export interface ReflectionTarget {
  id: string;
  category: DataCategory;
  personal: boolean;
}

const PUBLIC_NAMES: Record<string, string[]> = {
  'android.app.ApplicationPackageManager': ['android.content.pm.PackageManager'],
  'android.app.ContextImpl': ['android.content.Context', 'android.content.ContextWrapper'],
  'android.view.WindowManagerImpl': ['android.view.WindowManager', 'android.view.ViewManager'],
};

let targets: Map<string, ReflectionTarget> | undefined;

/** "declaring.Class.method" → the catalog entry it belongs to (built on first use). */
export function reflectionTargets(): ReadonlyMap<string, ReflectionTarget> {
  if (targets) return targets;
  const map = new Map<string, ReflectionTarget>();
  for (const e of CATALOG) {
    if (e.kind !== 'java' || e.summary === 'reflection-target' || e.category === 'lifecycle') continue;
    const target = { id: e.id, category: e.category, personal: e.personal === true };
    for (const cls of [e.className, ...(PUBLIC_NAMES[e.className] ?? [])]) {
      const key = `${cls}.${e.method}`;
      if (!map.has(key)) map.set(key, target);
    }
  }
  targets = map;
  return map;
}
