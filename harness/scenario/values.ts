// Typed readers for scenario values. Each reports into a Reporter and returns undefined on a
// problem, so validation carries on and collects every error in the file.
import { describeType, didYouMean, type Path, type Reporter, show } from './issues.ts';
import { normalisePermission } from './permissions.ts';
import { type Point, TARGET_KINDS, type Target } from './types.ts';

export type Raw = Record<string, unknown>;

export function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DURATION_UNITS = ['h', 'm', 's', 'ms'] as const;
const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;

/** "1m30s", "500ms", "2h", "1.5s" or a number of seconds → milliseconds; undefined if malformed. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return undefined;
  let ms = 0;
  let last = -1;
  let rest = s;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m) return undefined;
    const unit = m[2] as (typeof DURATION_UNITS)[number];
    const order = DURATION_UNITS.indexOf(unit);
    if (order <= last) return undefined; // units in order, each once: "1m30s", not "30s1m"
    last = order;
    ms += Number(m[1]) * UNIT_MS[unit];
    rest = rest.slice(m[0].length);
  }
  return Math.round(ms);
}

/** "text=Agree", "id=com.foo:id/ok", "~acc", "//xpath", or plain text. */
export function parseTargetShorthand(s: string): { ok: Target } | { error: string } {
  if (s.startsWith('~')) return nonEmpty('accessibility-id', s.slice(1));
  if (s.startsWith('/') || s.startsWith('(/')) return { ok: { by: 'xpath', value: s } };
  const m = /^([a-z][a-z-]*)=(.*)$/s.exec(s);
  if (m) {
    const kind = m[1]!;
    if ((TARGET_KINDS as readonly string[]).includes(kind)) return nonEmpty(kind as Target['by'], m[2]!);
    const hint = didYouMean(kind, TARGET_KINDS);
    // "txt=Agree" is a typo; "a=b" is probably just text
    if (hint !== '') return { error: `unknown target kind "${kind}"${hint}` };
  }
  return nonEmpty('text', s);
}

function nonEmpty(by: Target['by'], value: string): { ok: Target } | { error: string } {
  return value.trim() === '' ? { error: `empty ${by} target` } : { ok: { by, value } };
}

/** Reads one mapping's fields, each with its own path; reports unknown keys. */
export class Fields {
  constructor(
    readonly r: Reporter,
    readonly path: Path,
    readonly obj: Raw,
    /** Where to point for a key (a shorthand scalar's own node, usually [...path, key]). */
    readonly locOf: (key: string) => Path = (key) => [...path, key],
  ) {}

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  /** Reports every key not in `allowed` (pointing at the key itself). */
  only(allowed: readonly string[], hint?: (key: string) => string | undefined): void {
    for (const key of Object.keys(this.obj)) {
      if (allowed.includes(key)) continue;
      const extra = hint?.(key) ?? didYouMean(key, allowed);
      this.r.add(this.path, `unknown key "${key}"${extra}`, { loc: this.locOf(key), at: 'key' });
    }
  }

  fail(key: string, message: string): undefined {
    return this.r.add([...this.path, key], message, { loc: this.locOf(key) });
  }

  missing(key: string, what = key): undefined {
    return this.r.add(this.path, `missing ${what}`, { loc: this.path });
  }

  private expected(key: string, what: string, v: unknown): undefined {
    return this.fail(key, `expected ${what}, got ${typeof v === 'string' ? show(v) : describeType(v)}`);
  }

  str(key: string, required = false): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return required ? this.missing(key) : undefined;
    if (typeof v !== 'string') return this.fail(key, `expected string, got ${describeType(v)}`);
    if (v.trim() === '') return this.fail(key, 'expected a non-empty string');
    return v;
  }

  bool(key: string, fallback: boolean): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') return this.fail(key, `expected true or false, got ${show(v)}`);
    return v;
  }

  num(
    key: string,
    opts: { required?: boolean; min?: number; max?: number; int?: boolean; what?: string },
  ): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return opts.required ? this.missing(key) : undefined;
    const type = opts.int ? 'integer' : 'number';
    if (typeof v !== 'number' || !Number.isFinite(v))
      return this.fail(key, `expected ${type}, got ${describeType(v)}`);
    if (opts.int && !Number.isInteger(v)) return this.fail(key, `expected integer, got ${v}`);
    const { min, max } = opts;
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      const range =
        max === undefined ? `≥ ${min}` : min === undefined ? `≤ ${max}` : `between ${min} and ${max}`;
      return this.fail(key, `expected ${opts.what ?? type} ${range}, got ${v}`);
    }
    return v;
  }

  duration(key: string, opts: { required?: boolean; fallback?: number } = {}): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return opts.required ? this.missing(key) : opts.fallback;
    const ms = parseDuration(v);
    if (ms === undefined) return this.expected(key, 'a duration like "30s" or "2m"', v);
    if (ms <= 0) return this.fail(key, `expected a duration greater than zero, got ${show(v)}`);
    return ms;
  }

  oneOf<T extends string>(
    key: string,
    list: readonly T[],
    opts: { required?: boolean; fallback?: T } = {},
  ): T | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return opts.required ? this.missing(key) : opts.fallback;
    if (typeof v === 'string' && (list as readonly string[]).includes(v)) return v as T;
    const choices = list.map((x) => `"${x}"`).join(', ');
    const hint = typeof v === 'string' ? didYouMean(v, list) : '';
    return this.fail(key, `expected one of ${choices}, got ${show(v)}${hint}`);
  }

  /** A string or a list of non-empty strings, as a list. */
  labels(key: string, fallback: readonly string[]): string[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return [...fallback];
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list))
      return this.fail(key, `expected a string or a list of strings, got ${describeType(v)}`);
    if (list.length === 0) return this.fail(key, 'expected at least one label');
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string' && item.trim() !== '') out.push(item);
      else this.r.add([...this.path, key, i], `expected a non-empty string, got ${describeType(item)}`);
    });
    return out.length === list.length ? out : undefined;
  }

  permission(key: string, required: boolean): string | undefined {
    const v = this.str(key, required);
    if (v === undefined) return undefined;
    const p = normalisePermission(v);
    return 'ok' in p ? p.ok : this.fail(key, p.error);
  }

  /** A target given as `key` (shorthand or mapping) or inline keys among `inline`. */
  target(key: string, inline: readonly Target['by'][], required: boolean): Target | undefined {
    const present = inline.filter((k) => this.has(k));
    const v = this.obj[key];
    const names =
      inline.length === TARGET_KINDS.length
        ? 'text, id, accessibility-id or xpath'
        : `${key}, ${inline.join(', ')}`;
    if (v !== undefined && v !== null) {
      if (present.length > 0)
        return this.fail(key, `give the target once: "${key}" or "${present[0]}", not both`);
      if (typeof v === 'string') {
        const t = parseTargetShorthand(v);
        return 'ok' in t ? t.ok : this.fail(key, t.error);
      }
      if (!isRaw(v)) return this.expected(key, `a target (${names})`, v);
      const sub = new Fields(this.r, [...this.path, key], v, (k) => [...this.locOf(key), k]);
      sub.only(TARGET_KINDS);
      const kinds = TARGET_KINDS.filter((k) => sub.has(k));
      if (kinds.length === 0) return sub.missing('', `target (${names})`);
      return sub.inlineTarget(kinds);
    }
    if (present.length === 0) return required ? this.missing(key, `target (${names})`) : undefined;
    return this.inlineTarget(present);
  }

  private inlineTarget(kinds: readonly Target['by'][]): Target | undefined {
    if (kinds.length > 1) return this.fail(kinds[1]!, `give one target, got ${kinds.join(' and ')}`);
    const by = kinds[0]!;
    const value = this.str(by, true);
    return value === undefined ? undefined : { by, value };
  }

  /** `[x, y]`: pixels (numbers ≥ 0) or percentages ("50%"), both the same unit. */
  point(key: string): Point | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    const bad = () =>
      this.expected(key, 'a point [x, y] in pixels or percent, like [540, 1200] or ["50%", "80%"]', v);
    if (!Array.isArray(v) || v.length !== 2) return bad();
    const parts = v.map((c: unknown) => {
      if (typeof c === 'number' && Number.isFinite(c) && c >= 0) return { n: c, unit: 'px' as const };
      const m = typeof c === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(c.trim()) : null;
      if (m && Number(m[1]) <= 100) return { n: Number(m[1]), unit: '%' as const };
      return undefined;
    });
    const [x, y] = parts;
    if (!x || !y || x.unit !== y.unit) return bad();
    return { x: x.n, y: y.n, unit: x.unit };
  }
}
