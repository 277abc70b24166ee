// Loads an app model (scenarios/models/*.yaml, format in docs/app-models.md) into AppModel,
// with one-line InputErrors naming file:line:col and the key path.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadAndroidApi } from '../../android-api/load.ts';
import type { AndroidApi } from '../../android-api/types.ts';
import { errorMessage, InputError } from '../../errors.ts';
import {
  ACTION_KEYS,
  type CallScope,
  checkApi,
  parseAction,
  parseCalls,
  parseDialog,
  resolveFrom,
  resolveProcess,
} from './model-calls.ts';
import {
  type AppModel,
  CALL_CONDITIONS,
  type HiddenOp,
  type ModelElement,
  type ModelScreen,
  type ModelTimer,
  type PermissionRequest,
} from './model-types.ts';
import { YamlCursor } from './yaml-cursor.ts';

const TOP_KEYS = [
  'package',
  'label',
  'version',
  'application',
  'processes',
  'sdks',
  'permissions',
  'on-start',
  'screens',
  'timers',
  'on-background',
  'on-foreground',
  'permission-requests',
  'hidden-ops',
  'abis',
  'receivers',
] as const;

const PACKAGE_RE = /^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/;
/** Default screen size (a 1080×2340 phone) and the automatic layout of elements without bounds. */
export const SCREEN_WIDTH = 1080;
export const SCREEN_HEIGHT = 2340;

export interface LoadModelOptions {
  /** API index to check `api:` entries against; false skips the check. Default: loadAndroidApi(). */
  api?: AndroidApi | false;
}

export function loadAppModel(path: string, options: LoadModelOptions = {}): AppModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read app model: ${errorMessage(err)}`, { cause: err });
  }
  // A farm job reads its model three times (device install, app info, bundled calls) and a farm
  // runs many jobs of one model: parse a file's text once per process (default API check only);
  // each caller gets its own copy, so no caller sees another's changes.
  if (options.api !== undefined) return parseAppModel(text, path, options);
  const hit = parsed.get(path);
  if (hit?.text === text) return structuredClone(hit.model);
  const model = parseAppModel(text, path, options);
  parsed.set(path, { text, model: structuredClone(model) });
  return model;
}

const parsed = new Map<string, { text: string; model: AppModel }>();

/** A model file as parsed here (default API check), to hand to another thread (adoptAppModel). */
export interface ParsedAppModel {
  path: string;
  text: string;
  model: AppModel;
}

/** Parses `path` here if not yet parsed (throws as loadAppModel does) and returns it to share. */
export function parsedAppModel(path: string): ParsedAppModel {
  loadAppModel(path);
  const hit = parsed.get(path);
  if (!hit) throw new Error(`${path}: app model not cached`);
  return { path, ...hit };
}

/**
 * Takes another thread's parse of a model file (a farm's device worker: the farm's own thread
 * parsed it, saving the worker's cold YAML parse). loadAppModel uses it only while the file's
 * text is the same; a model this thread parsed itself is kept (false).
 */
export function adoptAppModel(m: ParsedAppModel): boolean {
  if (parsed.has(m.path)) return false;
  parsed.set(m.path, { text: m.text, model: m.model });
  return true;
}

function defaultApi(): AndroidApi | null {
  try {
    return loadAndroidApi();
  } catch {
    return null; // no index installed: models load unchecked
  }
}

export function parseAppModel(text: string, file: string, options: LoadModelOptions = {}): AppModel {
  const name = basename(file);
  const root = YamlCursor.parse(text, name);
  if (!root.isMap()) root.fail('an app model is a mapping (package, screens, …)');
  root.keys(TOP_KEYS);
  const pkgAt = root.need('package');
  const packageName = pkgAt.str();
  if (!PACKAGE_RE.test(packageName)) pkgAt.fail(`'${packageName}' is not a package name`);

  const sdks: Record<string, string> = {};
  const sdksAt = root.get('sdks');
  if (sdksAt) {
    if (sdksAt.isSeq()) {
      for (const s of sdksAt.items()) sdks[s.str().split('.').slice(-1)[0] ?? s.str()] = s.str();
    } else for (const k of sdksAt.keys(sdksAt.allKeys())) sdks[k] = sdksAt.need(k).str();
  }
  const processes = [packageName];
  const processStarts: Record<string, number> = {};
  for (const item of root.get('processes')?.items() ?? []) {
    // ':push' or { name: ':push', start-after: 30 } (seconds after the main process runs).
    const p = item.isMap() ? item.need('name') : item;
    if (item.isMap()) item.keys(['name', 'start-after']);
    const raw = p.str();
    const full = raw.startsWith(':') ? `${packageName}${raw}` : raw;
    if (!full.startsWith(packageName))
      p.fail(`process '${raw}' must be ':name' or start with ${packageName}`);
    if (processes.includes(full)) p.fail(`duplicate process '${raw}'`);
    processes.push(full);
    const after = item.isMap() ? item.get('start-after')?.num(0) : undefined;
    processStarts[full] = (after ?? 0) * 1000;
  }
  const scope: CallScope = {
    packageName,
    sdks,
    processes,
    api: options.api === false ? null : (options.api ?? defaultApi()),
    screenRefs: [],
    requestRefs: [],
    keepNames: new Set(),
    keepRefs: [],
  };
  const permissions = root.get('permissions')?.strList() ?? [];
  const screens = (root.get('screens')?.items() ?? []).map((s) => parseScreen(scope, s));
  if (screens.length === 0) root.fail("an app model needs at least one entry in 'screens'");
  const ids = new Set<string>();
  for (const [i, s] of screens.entries()) {
    if (ids.has(s.id)) root.need('screens').items()[i]?.fail(`duplicate screen id '${s.id}'`);
    ids.add(s.id);
  }
  const startIdx = (root.get('screens')?.items() ?? []).findIndex((s) => s.get('start')?.bool() === true);
  const requests = (root.get('permission-requests')?.items() ?? []).map((r) =>
    parseRequest(scope, r, permissions),
  );
  const startRequests = (root.get('permission-requests')?.items() ?? [])
    .filter((r) => r.get('at')?.str() === 'start')
    .map((r) => r.need('id').str());

  const model: AppModel = {
    file: name,
    packageName,
    label: root.get('label')?.text() ?? packageName,
    versionName: root.get('version')?.text() ?? '1.0',
    applicationClass: qualify(packageName, root.get('application')?.str() ?? '.App'),
    processes,
    processStarts,
    abis: root.get('abis')?.strList() ?? [],
    sdks,
    permissions,
    receivers: (root.get('receivers')?.items() ?? []).map((r) => {
      r.keys(['name', 'actions']);
      return { name: qualify(packageName, r.need('name').str()), actions: r.need('actions').strList() };
    }),
    onStart: parseCalls(scope, root.get('on-start')),
    screens,
    startScreen: screens[Math.max(startIdx, 0)]?.id ?? '',
    timers: (root.get('timers')?.items() ?? []).map((t) => parseTimer(scope, t)),
    onBackground: parseCalls(scope, root.get('on-background')),
    onForeground: parseCalls(scope, root.get('on-foreground')),
    permissionRequests: requests,
    startRequests,
    hiddenOps: (root.get('hidden-ops')?.items() ?? []).map((h) => parseHiddenOp(scope, h)),
  };
  for (const ref of scope.screenRefs) {
    if (!ids.has(ref.id)) ref.at.fail(`unknown screen '${ref.id}' (screens: ${[...ids].join(', ')})`);
  }
  for (const ref of scope.keepRefs ?? []) {
    if (!scope.keepNames?.has(ref.id))
      ref.at.fail(`unknown kept value '${ref.id}' (give a read 'keep: ${ref.id}')`);
  }
  const reqIds = new Set(requests.map((r) => r.id));
  for (const ref of scope.requestRefs) {
    if (!reqIds.has(ref.id)) ref.at.fail(`unknown permission request '${ref.id}'`);
  }
  return model;
}

/** '.Foo' → '<package>.Foo', as in the manifest. */
function qualify(packageName: string, name: string): string {
  return name.startsWith('.') ? `${packageName}${name}` : name;
}

function parseScreen(scope: CallScope, c: YamlCursor): ModelScreen {
  c.keys(['id', 'activity', 'start', 'elements', 'on-enter', 'request-permissions', 'dialog', 'dialog-when']);
  const activity = qualify(scope.packageName, c.need('activity').str());
  const requestPermissions: string[] = [];
  for (const r of c.get('request-permissions')?.itemsOrOne() ?? []) {
    requestPermissions.push(r.str());
    scope.requestRefs.push({ id: r.str(), at: r });
  }
  const dialog = c.get('dialog');
  const elements = (c.get('elements')?.items() ?? []).map((e, i) => parseElement(scope, e, i));
  return {
    id: c.need('id').str(),
    activity,
    elements,
    onEnter: parseCalls(scope, c.get('on-enter')),
    requestPermissions,
    ...(dialog ? { dialog: parseDialog(scope, dialog) } : {}),
    dialogPreConsent:
      (c.get('dialog-when')?.oneOf(['always', 'pre-consent'] as const) ?? 'pre-consent') === 'pre-consent',
  };
}

const ELEMENT_KEYS = [
  'class',
  'text',
  'resource-id',
  'id',
  'content-desc',
  'desc',
  'clickable',
  'long-clickable',
  'checkable',
  'checked',
  'enabled',
  'password',
  'bounds',
  'on-tap',
  'on-long-press',
  'on-check',
  'on-uncheck',
] as const;

function parseBounds(c: YamlCursor): [number, number, number, number] {
  let nums: number[];
  if (c.isSeq()) nums = c.items().map((n) => n.num(0));
  else {
    const m = /^\[(\d+),(\d+)\]\[(\d+),(\d+)\]$/.exec(c.str().replace(/\s+/g, ''));
    if (!m) c.fail("expected [left, top, right, bottom] or '[l,t][r,b]'");
    nums = m.slice(1).map(Number);
  }
  const [l = 0, t = 0, r = 0, b = 0] = nums;
  if (nums.length !== 4 || r <= l || b <= t) c.fail('expected 4 numbers with right > left and bottom > top');
  return [l, t, r, b];
}

function parseElement(scope: CallScope, c: YamlCursor, index: number): ModelElement {
  c.keys(ELEMENT_KEYS);
  const tap = c.get('on-tap');
  const longPress = c.get('on-long-press');
  if (tap) tap.keys(ACTION_KEYS);
  if (longPress) longPress.keys(ACTION_KEYS);
  const rawId = (c.get('resource-id') ?? c.get('id'))?.str() ?? '';
  const resourceId = rawId === '' || rawId.includes(':id/') ? rawId : `${scope.packageName}:id/${rawId}`;
  const checkable = c.get('checkable')?.bool() ?? c.has('checked');
  const className =
    c.get('class')?.str() ??
    (checkable ? 'android.widget.Switch' : tap ? 'android.widget.Button' : 'android.widget.TextView');
  const top = 240 + index * 150; // automatic vertical layout for elements without bounds
  const onCheck = parseCalls(scope, c.get('on-check'));
  const onUncheck = parseCalls(scope, c.get('on-uncheck'));
  return {
    className,
    text: c.get('text')?.text() ?? '',
    resourceId,
    contentDesc: (c.get('content-desc') ?? c.get('desc'))?.text() ?? '',
    clickable:
      c.get('clickable')?.bool() ?? (tap !== undefined || checkable || className.endsWith('EditText')),
    longClickable: c.get('long-clickable')?.bool() ?? longPress !== undefined,
    checkable,
    checked: c.get('checked')?.bool() ?? false,
    enabled: c.get('enabled')?.bool() ?? true,
    password: c.get('password')?.bool() ?? false,
    bounds: c.has('bounds') ? parseBounds(c.need('bounds')) : [60, top, SCREEN_WIDTH - 60, top + 120],
    ...(tap ? { onTap: parseAction(scope, tap) } : {}),
    ...(longPress ? { onLongPress: parseAction(scope, longPress) } : {}),
    ...(onCheck.length ? { onCheck } : {}),
    ...(onUncheck.length ? { onUncheck } : {}),
  };
}

function parseTimer(scope: CallScope, c: YamlCursor): ModelTimer {
  c.keys(['every', 'after', 'when', 'process', ...ACTION_KEYS]);
  if (c.has('every') === c.has('after')) c.fail("a timer needs exactly one of 'every' or 'after' (seconds)");
  const once = c.has('after');
  const seconds = (c.get('every') ?? c.need('after')).num(once ? 0 : 0.001);
  const when = c.get('when')?.oneOf(CALL_CONDITIONS) ?? 'always';
  const processAt = c.get('process');
  const defaults = processAt ? { process: resolveProcess(scope, processAt) } : {};
  return { everyMs: seconds * 1000, once, when, action: parseAction(scope, c, defaults), where: c.where() };
}

function parseRequest(scope: CallScope, c: YamlCursor, declared: string[]): PermissionRequest {
  c.keys([
    'id',
    'permissions',
    'api',
    'from',
    'at',
    'retry-after',
    'max-retries',
    'on-grant',
    'on-deny',
    'finish-on-deny',
  ]);
  const permsAt = c.need('permissions');
  const permissions = permsAt.strList();
  for (const [i, p] of permissions.entries()) {
    if (!declared.includes(p))
      permsAt.itemsOrOne()[i]?.fail(`'${p}' is not in the model's 'permissions' (the manifest)`);
  }
  c.get('at')?.oneOf(['start'] as const);
  const retry = c.get('retry-after')?.num(0);
  return {
    id: c.need('id').str(),
    permissions,
    api: requestApi(scope, c.get('api')),
    from: resolveFrom(scope, c.get('from')),
    ...(retry !== undefined ? { retryAfterMs: retry * 1000 } : {}),
    maxRetries: c.get('max-retries')?.num(0) ?? (retry !== undefined ? 1 : 0),
    onGrant: parseCalls(scope, c.get('on-grant')),
    onDeny: parseCalls(scope, c.get('on-deny')),
    ...(c.get('finish-on-deny')?.bool() ? { finishOnDeny: true } : {}),
    where: c.where(),
  };
}

function requestApi(scope: CallScope, at: YamlCursor | undefined): string {
  if (!at) return 'android.app.Activity.requestPermissions';
  const api = at.str();
  const dot = api.lastIndexOf('.');
  if (dot <= 0) at.fail(`expected Class.method, got '${api}'`);
  checkApi(scope, at, api.slice(0, dot), api.slice(dot + 1));
  return api;
}

function parseHiddenOp(scope: CallScope, c: YamlCursor): HiddenOp {
  c.keys(['op', 'every', 'process']);
  const every = c.get('every')?.num(0.001);
  const processAt = c.get('process');
  return {
    op: c.need('op').str(),
    ...(every !== undefined ? { everyMs: every * 1000 } : {}),
    process: processAt ? resolveProcess(scope, processAt) : scope.packageName,
    where: c.where(),
  };
}
