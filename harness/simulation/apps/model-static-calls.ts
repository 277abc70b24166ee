// The app model's equivalent of an APK's code: every Java call the model *could* make (in any
// screen, timer, dialog or permission callback, visited or not), matched against the catalog
// like the DEX scan matches the APK's method references, one call site per call in the model.
import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { loadAndroidApi } from '../../android-api/load.ts';
import { CatalogTargets } from '../../apk/catalog-targets.ts';
import type { StaticCall } from '../../apk/dex-scan.ts';
import { defaultAttributor } from '../../knowledge/sdks.ts';
import { allCalls } from './bundled-classes.ts';
import type { AppModel } from './model-types.ts';
import { buildStack } from './stack.ts';

/** The model's sensitive Java calls per SDK, in the shape of the APK scan's `calls`. */
export function modelStaticCalls(m: AppModel): StaticCall[] {
  const targets = new CatalogTargets(loadAndroidApi(), new Map());
  const attributor = defaultAttributor();
  const activity = m.screens[0]?.activity ?? `${m.packageName}.MainActivity`;
  const byKey = new Map<string, StaticCall>();
  for (const call of allCalls(m)) {
    if (call.kind !== 'java') continue;
    const matched = call.overload
      ? targets.resolve(call.className, call.method, call.overload)
      : targets.resolveAnyOverload(call.className, call.method);
    if (matched.length === 0) continue;
    const stack = buildStack(call, m.packageName, 'app-start', activity, m.applicationClass);
    const sdk = attributor.attribute(stack, { appPackage: m.packageName }).sdk ?? 'app';
    const caller = stack[0]?.replace(/\(.*$/, '') ?? '';
    for (const e of matched) {
      const key = `${sdk}\n${e.id}`;
      let s = byKey.get(key);
      if (!s) {
        s = {
          sdk,
          hook: e.id,
          api: `${e.className}.${e.method}`,
          category: e.category as DataCategory,
          callSites: 0,
          callers: [],
        };
        byKey.set(key, s);
      }
      s.callSites++;
      if (s.callers.length < 5 && caller && !s.callers.includes(caller)) s.callers.push(caller);
    }
  }
  return [...byKey.values()].sort((a, b) =>
    a.sdk === b.sdk ? a.hook.localeCompare(b.hook) : a.sdk.localeCompare(b.sdk),
  );
}
