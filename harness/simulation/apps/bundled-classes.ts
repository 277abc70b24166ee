// Classes the app bundles (its own and its SDKs'): absent from the platform, so the simulated
// runtime learns them from the model. Each is defined on its SDK's class loader the first time a
// process calls it, which is also what lets the agent's lazy hooks (OAID SDKs, Play services
// location …) install, as they do on a device when the SDK's class loader loads the class.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import { fridaToApiType } from '../../android-api/load.ts';
import type { ApiClass, ApiMethod, ApiType } from '../../android-api/types.ts';
import type { AppModel, JavaCall, ModelAction, ModelCall } from './model-types.ts';

export interface BundledClass {
  /** 'app' for the app's own classes, else the SDK prefix naming its class loader. */
  loader: string;
  cls: ApiClass;
}

function typeOf(v: SampleValue | undefined): ApiType {
  if (v === undefined) return 'void';
  if (v === null) return 'java.lang.Object';
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if ('$array' in v) return `[${v.$array.length > 0 ? typeOf(v.$array[0]) : 'java.lang.Object'}`;
  if ('$list' in v) return 'java.util.List';
  return v.$class;
}

function actionCalls(a: ModelAction | undefined): ModelCall[] {
  if (!a) return [];
  return [...a.calls, ...(a.dialog?.buttons.flatMap((b) => actionCalls(b.action)) ?? [])];
}

/** Every call written in the model, wherever it sits (run or not). */
export function allCalls(model: AppModel): ModelCall[] {
  return [
    ...model.onStart,
    ...model.onBackground,
    ...model.onForeground,
    ...model.screens.flatMap((s) => [
      ...s.onEnter,
      ...(s.dialog?.buttons.flatMap((b) => actionCalls(b.action)) ?? []),
      ...s.elements.flatMap((e) => [
        ...actionCalls(e.onTap),
        ...actionCalls(e.onLongPress),
        ...(e.onCheck ?? []),
        ...(e.onUncheck ?? []),
      ]),
    ]),
    ...model.timers.flatMap((t) => actionCalls(t.action)),
    ...model.permissionRequests.flatMap((r) => [...r.onGrant, ...r.onDeny]),
  ];
}

/** The bundled classes a model calls, with every method signature its calls use. */
export function bundledClasses(model: AppModel): Map<string, BundledClass> {
  const prefixes: [string, string][] = [
    [model.packageName, 'app'],
    ...Object.values(model.sdks).map((p): [string, string] => [p, p]),
  ];
  const out = new Map<string, BundledClass>();
  for (const call of allCalls(model)) {
    if (call.kind !== 'java') continue;
    const loader = prefixes.find(([p]) => call.className.startsWith(`${p}.`))?.[1];
    if (!loader) continue;
    const entry = out.get(call.className) ?? {
      loader,
      cls: {
        name: call.className,
        superclass: 'java.lang.Object',
        interfaces: [],
        isInterface: false,
        isAbstract: false,
        methods: [],
        constructors: [],
      },
    };
    const m = methodOf(call);
    const sig = m.params.join(',');
    if (!entry.cls.methods.some((x) => x.name === m.name && x.params.join(',') === sig))
      entry.cls.methods.push(m);
    out.set(call.className, entry);
  }
  return out;
}

function methodOf(call: JavaCall): ApiMethod {
  return {
    name: call.method,
    params: call.overload ? call.overload.map(fridaToApiType) : call.args.map(typeOf),
    returns: typeOf(call.result),
    // Without a receiver in the model, the call is a static one (SDK entry points usually are).
    isStatic: call.self === undefined,
  };
}
