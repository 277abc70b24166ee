// YAML with positions: validation errors name `file:line:col` of the offending node, using the
// yaml package's node ranges and LineCounter. Shared by app profiles and policy packs.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import { InputError } from '../errors.ts';
import { yamlToJs } from '../util/yaml-value.ts';

export type YamlPath = (string | number)[];

// Loaded on first use: the yaml package costs ~30 ms of start-up that commands reading no YAML
// (a bare `ingest`, `query`) would otherwise pay.
let yamlModule: typeof Yaml | undefined;
const yaml = (): typeof Yaml => {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlModule;
};

/**
 * Loads the yaml package ahead of a command that reads YAML (analyze, report). In the compiled
 * CLI this import is the bundled copy (scripts/build-harness.mjs: one chunk, ~5 ms), where the
 * synchronous require above would load its ~60 CommonJS files from node_modules (~35 ms).
 */
export async function loadYaml(): Promise<void> {
  // A CommonJS package: its module.exports is the namespace's default (bundled) or both.
  const m = (await import('yaml')) as typeof Yaml & { default?: typeof Yaml };
  yamlModule ??= m.default ?? m;
}

export function formatPath(path: YamlPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(document)';
}

export class YamlSource {
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines: LineCounter = new (yaml().LineCounter)();

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.doc = yaml().parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const err = this.doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const where = pos ? `${pos.line}:${pos.col}` : '1:1';
      throw new InputError(`${file}:${where}: YAML: ${err.message.split('\n')[0]}`);
    }
    this.value = yamlToJs(this.doc, file);
  }

  /** "file:line:col" of the node at `path` (or of its nearest existing ancestor). */
  at(path: YamlPath, key = false): string {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const node = (sub.length === 0 ? this.doc.contents : this.doc.getIn(sub, true)) as
        | Node
        | null
        | undefined;
      let offset = node?.range?.[0];
      if (key && n === path.length && n > 0) offset = this.keyOffset(sub) ?? offset;
      if (offset !== undefined) {
        const { line, col } = this.lines.linePos(offset);
        return `${this.file}:${line}:${col}`;
      }
    }
    return `${this.file}:1:1`;
  }

  private keyOffset(path: YamlPath): number | undefined {
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    if (!yaml().isMap(parent)) return undefined;
    const name = path.at(-1);
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === name);
    return (pair?.key as Node | undefined)?.range?.[0];
  }

  fail(path: YamlPath, message: string, key = false): never {
    throw new InputError(`${this.at(path, key)}: ${formatPath(path)}: ${message}`);
  }

  isSeqAt(path: YamlPath): boolean {
    return yaml().isSeq(this.doc.getIn(path, true));
  }
}

/** Checks that `value` is a plain mapping with only `allowed` keys; returns it typed. */
export function expectMap(
  src: YamlSource,
  path: YamlPath,
  value: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    src.fail(path, `expected a mapping, got ${describe(value)}`);
  }
  const map = value as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    if (!allowed.includes(k))
      src.fail([...path, k], `unknown key (expected one of ${allowed.join(', ')})`, true);
  }
  return map;
}

export function expectString(src: YamlSource, path: YamlPath, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    src.fail(path, `expected a non-empty string, got ${describe(value)}`);
  return value;
}

export function expectList(src: YamlSource, path: YamlPath, value: unknown): unknown[] {
  if (!Array.isArray(value)) src.fail(path, `expected a list, got ${describe(value)}`);
  return value;
}

export function expectOneOf<T extends string>(
  src: YamlSource,
  path: YamlPath,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    src.fail(path, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
