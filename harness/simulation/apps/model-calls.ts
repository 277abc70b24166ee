// Parsing of model calls (`api:` / `native:` entries) and actions (what a tap, dialog button or
// timer does), with each Java `api` checked against the Android API index.

import { typeMatches } from '../../android-api/load.ts';
import type { AndroidApi } from '../../android-api/types.ts';
import { parseSend, type SendSpec } from './model-send.ts';
import {
  CALL_CONDITIONS,
  type CallCondition,
  type DialogSpec,
  type ModelAction,
  type ModelCall,
} from './model-types.ts';
import type { YamlCursor } from './yaml-cursor.ts';

/** What call parsing needs to know about the model being loaded. */
export interface CallScope {
  packageName: string;
  sdks: Record<string, string>;
  processes: string[];
  /** null: no API checking (index unavailable or switched off). */
  api: AndroidApi | null;
  /** References checked once the whole file is read. */
  screenRefs: { id: string; at: YamlCursor }[];
  /** `keep:` names defined, and the `send:` templates that use them. */
  keepNames?: Set<string>;
  keepRefs?: { id: string; at: YamlCursor }[];
  requestRefs: { id: string; at: YamlCursor }[];
}

const CALL_KEYS = [
  'api',
  'native',
  'overload',
  'args',
  'result',
  'self',
  'from',
  'stack',
  'times',
  'count',
  'thread',
  'process',
  'requires',
  'if-denied',
  'op',
  'when',
  'keep',
  'send',
] as const;

export function resolveProcess(scope: CallScope, c: YamlCursor): string {
  const raw = c.str();
  const full = raw.startsWith(':') ? `${scope.packageName}${raw}` : raw;
  if (!scope.processes.includes(full))
    c.fail(`unknown process '${raw}' (declared: ${scope.processes.join(', ')})`);
  return full;
}

export function resolveFrom(scope: CallScope, c: YamlCursor | undefined): string {
  if (!c) return scope.packageName;
  const raw = c.str();
  if (raw === 'app') return scope.packageName;
  const alias = scope.sdks[raw];
  if (alias) return alias;
  const prefixes = [scope.packageName, ...Object.values(scope.sdks)];
  if (prefixes.some((p) => raw === p || raw.startsWith(`${p}.`))) return raw;
  return c.fail(
    `unknown caller '${raw}': use 'app', an sdks alias (${Object.keys(scope.sdks).join(', ') || 'none'}) or a package under one`,
  );
}

function isBundled(scope: CallScope, className: string): boolean {
  return [scope.packageName, ...Object.values(scope.sdks)].some((p) => className.startsWith(`${p}.`));
}

/** Checks `Class.method` (and overload / argument count) against the API index. */
export function checkApi(
  scope: CallScope,
  at: YamlCursor,
  className: string,
  method: string,
  overload?: string[],
  argc?: number,
): void {
  const api = scope.api;
  if (!api || isBundled(scope, className)) return;
  if (!api.get(className)) {
    at.fail(
      `unknown class '${className}' (not in the Android API index; list its package under sdks if an SDK bundles it)`,
    );
  }
  const methods = api.findMethods(className, method);
  if (methods.length === 0) at.fail(`'${className}' has no method '${method}'`);
  if (overload) {
    const hit = methods.some(
      (m) =>
        m.params.length === overload.length && m.params.every((p, i) => typeMatches(overload[i] ?? '', p)),
    );
    if (!hit) {
      const known = methods.map((m) => `(${m.params.join(', ')})`).join(' ');
      at.fail(`no overload ${method}(${overload.join(', ')}) in '${className}' (declared: ${known})`);
    }
  } else if (argc !== undefined && !methods.some((m) => m.params.length === argc)) {
    const counts = [...new Set(methods.map((m) => m.params.length))].join(' or ');
    at.fail(`'${className}.${method}' takes ${counts} argument(s), the call gives ${argc}`);
  }
}

export interface CallDefaults {
  when?: CallCondition;
  process?: string;
}

export function parseCall(scope: CallScope, c: YamlCursor, defaults: CallDefaults = {}): ModelCall {
  c.keys(CALL_KEYS);
  const common = {
    from: resolveFrom(scope, c.get('from')),
    times: (c.get('times') ?? c.get('count'))?.num(1) ?? 1,
    thread: c.get('thread')?.str() ?? 'main',
    process: c.get('process')
      ? resolveProcess(scope, c.need('process'))
      : (defaults.process ?? scope.processes[0] ?? scope.packageName),
    ifDenied: c.get('if-denied')?.oneOf(['skip', 'call'] as const) ?? 'skip',
    when: c.get('when')?.oneOf(CALL_CONDITIONS) ?? defaults.when ?? 'always',
    where: c.where(),
  } as const;
  const stack = c.get('stack')?.strList();
  const requires = c.get('requires')?.str();
  const op = c.get('op')?.str();
  const keepAt = c.get('keep');
  const keep = keepAt?.str();
  if (keepAt && keep !== undefined) {
    if (!/^[A-Za-z_][\w-]*$/.test(keep)) keepAt.fail(`keep: expected a name like 'imei', got '${keep}'`);
    scope.keepNames?.add(keep);
  }
  const extra = {
    ...(stack ? { stack } : {}),
    ...(requires ? { requires } : {}),
    ...(op ? { op } : {}),
    ...(keep ? { keep } : {}),
  };
  const sendAt = c.get('send');
  if (sendAt) {
    if (c.has('api') || c.has('native')) c.fail("a call has one of 'api', 'native' or 'send'");
    return sendCall(parseSend(scope, sendAt), { ...common, ...extra });
  }
  const args = c
    .get('args')
    ?.items()
    .map((a) => a.sample());
  const result = c.get('result');
  const resultValue = result ? { result: result.sample() } : {};
  if (c.has('api') === c.has('native')) c.fail("a call needs exactly one of 'api' or 'native'");
  const native = c.get('native');
  if (native) {
    native.keys(['module', 'symbol', 'args']);
    const mod = native.get('module');
    const nativeArgs =
      native
        .get('args')
        ?.items()
        .map((a) => a.sample()) ??
      args ??
      [];
    return {
      kind: 'native',
      ...common,
      ...extra,
      ...resultValue,
      module: mod && mod.node !== null ? mod.str() : null,
      symbol: native.need('symbol').str(),
      args: nativeArgs,
    };
  }
  const apiAt = c.need('api');
  const full = apiAt.str();
  const dot = full.lastIndexOf('.');
  if (dot <= 0 || dot === full.length - 1) apiAt.fail(`expected Class.method, got '${full}'`);
  const className = full.slice(0, dot);
  const method = full.slice(dot + 1);
  const overload = c.get('overload')?.strList();
  checkApi(scope, apiAt, className, method, overload, args?.length);
  const self = c.get('self');
  return {
    kind: 'java',
    ...common,
    ...extra,
    ...resultValue,
    className,
    method,
    ...(overload ? { overload } : {}),
    args: args ?? [],
    ...(self ? { self: self.sample() } : {}),
  };
}

/** The library call a send is seen as (its stack, its `call` event); runSend makes the real ones. */
function sendCall(send: SendSpec, base: Omit<ModelCall, 'kind' | 'args'>): ModelCall {
  const java = (className: string, method: string): ModelCall => ({
    ...base,
    kind: 'java',
    className,
    method,
    args: [],
    self: { $class: className },
    send,
  });
  switch (send.via) {
    case 'okhttp':
      return java('okhttp3.internal.connection.RealCall', 'execute');
    case 'url-connection':
      return java('com.android.okhttp.internal.huc.HttpURLConnectionImpl', 'connect');
    case 'webview':
      return java('android.webkit.WebView', 'loadUrl');
    case 'tls':
      return { ...base, kind: 'native', module: 'libssl.so', symbol: 'SSL_write', args: [], send };
    case 'socket':
      return { ...base, kind: 'native', module: 'libc.so', symbol: 'sendto', args: [], send };
  }
}

export function parseCalls(
  scope: CallScope,
  c: YamlCursor | undefined,
  defaults: CallDefaults = {},
): ModelCall[] {
  if (!c || c.node === null) return [];
  return c.itemsOrOne().map((item) => parseCall(scope, item, defaults));
}

export const ACTION_KEYS = [
  'calls',
  'goto',
  'consent',
  'revoke-consent',
  'dialog',
  'exit-app',
  'request-permissions',
  'finish',
  'lose-device',
] as const;

/** Reads the action keys of a mapping that may hold other keys (the caller checks those). */
export function parseAction(scope: CallScope, c: YamlCursor, defaults: CallDefaults = {}): ModelAction {
  const action: ModelAction = { calls: parseCalls(scope, c.get('calls'), defaults), requestPermissions: [] };
  const go = c.get('goto');
  if (go) {
    action.goto = go.str();
    scope.screenRefs.push({ id: action.goto, at: go });
  }
  if (c.get('consent')?.bool()) action.consent = true;
  if (c.get('revoke-consent')?.bool()) action.revokeConsent = true;
  if (c.get('finish')?.bool()) action.finish = true;
  const lose = c.get('lose-device');
  if (lose) {
    if (lose.isSeq()) action.loseDevice = lose.strList();
    else if (lose.bool()) action.loseDevice = true;
  }
  const exit = c.get('exit-app');
  if (exit) {
    if (exit.isScalar() && typeof exit.sample() === 'boolean') {
      if (exit.bool()) action.exitApp = true;
    } else action.exitApp = exit.str();
  }
  const dialog = c.get('dialog');
  if (dialog) action.dialog = parseDialog(scope, dialog, defaults);
  const req = c.get('request-permissions');
  if (req) {
    for (const item of req.itemsOrOne()) {
      const id = item.str();
      action.requestPermissions.push(id);
      scope.requestRefs.push({ id, at: item });
    }
  }
  return action;
}

export function parseDialog(scope: CallScope, c: YamlCursor, defaults: CallDefaults = {}): DialogSpec {
  c.keys(['title', 'message', 'buttons', 'cancelable']);
  const buttons = c.need('buttons').items();
  if (buttons.length === 0) c.need('buttons').fail('a dialog needs at least one button');
  return {
    title: c.get('title')?.text() ?? '',
    message: c.get('message')?.text() ?? '',
    cancelable: c.get('cancelable')?.bool() ?? true,
    buttons: buttons.map((b, i) => {
      if (b.isScalar())
        return {
          text: b.text(),
          resourceId: `android:id/button${i + 1}`,
          action: { calls: [], requestPermissions: [] },
        };
      b.keys(['text', 'id', ...ACTION_KEYS]);
      return {
        text: b.need('text').text(),
        resourceId: b.get('id')?.str() ?? `android:id/button${i + 1}`,
        action: parseAction(scope, b, defaults),
      };
    }),
  };
}
