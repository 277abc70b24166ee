// Farm plan YAML: which apps × which scenarios on which devices, with retries, a per-job
// timeout, a --fail-on threshold and where the one database and the artefacts go (docs/farm.md).
// Every validation error names file:line:col of the offending node.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { InputError } from '../errors.ts';
import { SEVERITIES, type Severity } from '../scenario/types.ts';
import { parseDuration } from '../scenario/values.ts';

export const APP_KINDS = ['model', 'apk', 'package'] as const;
export type AppKind = (typeof APP_KINDS)[number];

export interface PlanApp {
  kind: AppKind;
  /** Absolute path for model/apk; the package name for an installed package. */
  ref: string;
  /** Analysis context for this app's runs: a built-in pack id or absolute paths. */
  pack?: string;
  rules?: string;
  profile?: string;
}

const APP_KEYS = ['app', 'pack', 'rules', 'profile'] as const;

export type PlanDevice =
  | { kind: 'serial'; serial: string }
  | { kind: 'all' }
  | { kind: 'sim'; count: number }
  | { kind: 'appium'; url: string; pool: Record<string, unknown>[] };

export interface FarmPlan {
  file: string;
  apps: PlanApp[];
  /** Absolute scenario paths. */
  scenarios: string[];
  devices: PlanDevice[];
  retries: number;
  jobTimeoutMs: number;
  failOn?: Severity;
  db: string;
  out: string;
}

const KEYS = ['apps', 'scenarios', 'devices', 'retries', 'job-timeout', 'fail-on', 'db', 'out'] as const;

class PlanReader {
  private readonly lines = new LineCounter();
  readonly root: Node | null;
  constructor(
    readonly file: string,
    text: string,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    const first = doc.errors[0];
    if (first) throw new InputError(`${this.at(first.pos[0])}: ${first.message.split('\n')[0]}`);
    this.root = doc.contents as Node | null;
  }

  at(offset: number | undefined): string {
    const p = this.lines.linePos(offset ?? 0);
    return `${this.file}:${p.line}:${p.col}`;
  }

  fail(node: Node | null | undefined, msg: string): never {
    throw new InputError(`${this.at(node?.range?.[0])}: ${msg}`);
  }

  path(node: Node, base: string): string {
    const v = this.text(node);
    return isAbsolute(v) ? v : resolve(base, v);
  }

  text(node: Node | null | undefined): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '')
      this.fail(node, 'expected a non-empty string');
    return node.value;
  }

  int(node: Node, min: number): number {
    if (
      !isScalar(node) ||
      typeof node.value !== 'number' ||
      !Number.isInteger(node.value) ||
      node.value < min
    )
      this.fail(node, `expected an integer ≥ ${min}`);
    return node.value;
  }

  list(node: Node | null | undefined, what: string): Node[] {
    if (!isSeq(node) || node.items.length === 0) this.fail(node, `${what}: expected a non-empty list`);
    return node.items as Node[];
  }
}

/** An app: a scalar (model, APK or package), or { app, pack?, rules?, profile? }. */
function appOf(r: PlanReader, node: Node, base: string): PlanApp {
  if (!isMap(node)) return appRef(r, node, base);
  for (const pair of node.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(APP_KEYS as readonly string[]).includes(k))
      r.fail(pair.key as Node, `unknown app key "${k}" (expected one of ${APP_KEYS.join(', ')})`);
  }
  const get = (k: (typeof APP_KEYS)[number]) => node.get(k, true) as Node | undefined;
  if (get('app') === undefined) r.fail(node, 'missing key app');
  const app = appRef(r, get('app')!, base);
  const packNode = get('pack');
  if (packNode !== undefined) {
    const v = r.text(packNode);
    // A built-in pack id stays an id; anything else is a file next to the plan.
    app.pack = /^[a-z0-9-]+$/.test(v) && !/\.ya?ml$/i.test(v) ? v : r.path(packNode, base);
  }
  if (get('rules') !== undefined) app.rules = r.path(get('rules')!, base);
  if (get('profile') !== undefined) app.profile = r.path(get('profile')!, base);
  return app;
}

function appRef(r: PlanReader, node: Node, base: string): PlanApp {
  const v = r.text(node);
  if (/\.ya?ml$/i.test(v)) return { kind: 'model', ref: r.path(node, base) };
  if (/\.apk$/i.test(v)) return { kind: 'apk', ref: r.path(node, base) };
  if (!/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/.test(v))
    r.fail(node, `"${v}" is neither an APK, an app model (.yaml) nor a package name`);
  return { kind: 'package', ref: v };
}

function deviceOf(r: PlanReader, node: Node): PlanDevice {
  if (isScalar(node)) {
    const v = r.text(node);
    return v === 'all' ? { kind: 'all' } : { kind: 'serial', serial: v };
  }
  if (!isMap(node) || node.items.length !== 1)
    r.fail(node, 'expected a serial, all, { sim: N } or { appium: {...} }');
  const pair = node.items[0]!;
  const key = isScalar(pair.key) ? String(pair.key.value) : '';
  const value = pair.value as Node;
  if (key === 'sim') return { kind: 'sim', count: r.int(value, 1) };
  if (key !== 'appium') r.fail(pair.key as Node, `unknown device kind "${key}" (expected sim or appium)`);
  if (!isMap(value)) r.fail(value, 'appium: expected { url, pool: [capabilities…] }');
  const url = value.get('url', true) as Node | undefined;
  const urlText = r.text(url);
  if (!/^https?:\/\//.test(urlText)) r.fail(url, `appium url: expected http(s)://…, got "${urlText}"`);
  const pool = r.list(value.get('pool', true) as Node | undefined, 'appium.pool').map((c) => {
    if (!isMap(c)) r.fail(c, 'appium.pool: each entry is a capabilities map');
    return c.toJSON() as Record<string, unknown>;
  });
  return { kind: 'appium', url: urlText, pool };
}

/** Parses a plan's text; relative paths resolve against the plan's folder. */
export function parsePlan(text: string, file: string): FarmPlan {
  const r: PlanReader = new PlanReader(file, text);
  const root = r.root;
  if (!isMap(root)) r.fail(root, 'expected a mapping with apps, scenarios, devices');
  const base = dirname(resolve(file));
  for (const pair of root.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(KEYS as readonly string[]).includes(k))
      r.fail(pair.key as Node, `unknown key "${k}" (expected one of ${KEYS.join(', ')})`);
  }
  const get = (k: (typeof KEYS)[number]) => root.get(k, true) as Node | undefined;
  const apps = get('apps') === undefined ? [] : r.list(get('apps'), 'apps').map((n) => appOf(r, n, base));
  const scenarios = r.list(get('scenarios'), 'scenarios').map((n) => r.path(n, base));
  const devices = r.list(get('devices'), 'devices').map((n) => deviceOf(r, n));
  const retriesNode = get('retries');
  const timeoutNode = get('job-timeout');
  let jobTimeoutMs = 30 * 60_000;
  if (timeoutNode !== undefined) {
    const ms = parseDuration(isScalar(timeoutNode) ? timeoutNode.value : undefined);
    if (ms === undefined || ms <= 0)
      r.fail(timeoutNode, 'job-timeout: expected a positive duration (e.g. 10m, 90s)');
    jobTimeoutMs = ms as number;
  }
  const failOnNode = get('fail-on');
  let failOn: Severity | undefined;
  if (failOnNode !== undefined) {
    const v = r.text(failOnNode);
    if (!(SEVERITIES as readonly string[]).includes(v))
      r.fail(failOnNode, `fail-on: expected one of ${SEVERITIES.join(', ')}, got "${v}"`);
    failOn = v as Severity;
  }
  const dbNode = get('db');
  const outNode = get('out');
  return {
    file,
    apps,
    scenarios,
    devices,
    retries: retriesNode === undefined ? 1 : r.int(retriesNode, 0),
    jobTimeoutMs,
    ...(failOn ? { failOn } : {}),
    db: dbNode === undefined ? resolve(base, 'overreach.db') : r.path(dbNode, base),
    out: outNode === undefined ? resolve(base, 'farm-out') : r.path(outNode, base),
  };
}

export function loadPlan(file: string): FarmPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(
      `${file}: cannot read the farm plan (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  return parsePlan(text, file);
}

export interface FarmJob {
  id: number;
  /** Undefined: the scenario's own app. */
  app?: PlanApp;
  scenario: string;
}

/** jobs = apps × scenarios (or one job per scenario when the plan names no apps). */
export function planJobs(plan: FarmPlan): FarmJob[] {
  const apps: (PlanApp | undefined)[] = plan.apps.length > 0 ? plan.apps : [undefined];
  const jobs: FarmJob[] = [];
  for (const app of apps)
    for (const scenario of plan.scenarios)
      jobs.push({ id: jobs.length + 1, scenario, ...(app ? { app } : {}) });
  return jobs;
}
