// A position-aware walk over a parsed YAML document: every read either returns a typed value
// or throws an InputError naming file:line:col and the dotted path of the offending node.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { SampleValue } from '../../../agent/catalog/types.ts';
import { InputError } from '../../errors.ts';

interface Ctx {
  file: string;
  lines: LineCounter;
}

export class YamlCursor {
  constructor(
    readonly node: Node | null,
    readonly path: string,
    private readonly ctx: Ctx,
    private readonly offset: number,
  ) {}

  /** Parses `text`; YAML syntax errors become InputErrors with their position. */
  static parse(text: string, file: string): YamlCursor {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      const first = err.message.split('\n')[0] ?? err.message;
      throw new InputError(`${file}:${pos.line}:${pos.col}: ${first}`);
    }
    return new YamlCursor(doc.contents as Node | null, '', { file, lines }, 0);
  }

  get file(): string {
    return this.ctx.file;
  }

  /** "file:line:col" of this node. */
  where(): string {
    const at = this.node?.range?.[0] ?? this.offset;
    const pos = this.ctx.lines.linePos(at);
    return `${this.ctx.file}:${pos.line}:${pos.col}`;
  }

  fail(message: string): never {
    throw new InputError(`${this.where()}: ${this.path || '(top)'}: ${message}`);
  }

  isMap(): boolean {
    return isMap(this.node);
  }

  isSeq(): boolean {
    return isSeq(this.node);
  }

  isScalar(): boolean {
    return isScalar(this.node);
  }

  private child(node: Node | null, key: string | number, offset: number): YamlCursor {
    const path = typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    return new YamlCursor(node, path, this.ctx, offset);
  }

  /** The map's keys; fails on keys outside `allowed`. */
  keys(allowed: readonly string[]): string[] {
    if (!isMap(this.node)) this.fail('expected a mapping');
    const out: string[] = [];
    for (const pair of this.node.items) {
      const k = pair.key;
      const name = isScalar(k) ? String(k.value) : '';
      if (!allowed.includes(name)) {
        const at = this.child(isScalar(k) ? k : null, name, this.node.range?.[0] ?? this.offset);
        at.fail(`unknown key (expected one of: ${allowed.join(', ')})`);
      }
      out.push(name);
    }
    return out;
  }

  has(key: string): boolean {
    return isMap(this.node) && this.node.has(key);
  }

  get(key: string): YamlCursor | undefined {
    if (!isMap(this.node)) this.fail('expected a mapping');
    for (const pair of this.node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key) {
        const keyEnd = pair.key.range?.[1] ?? this.offset;
        return this.child(pair.value as Node | null, key, keyEnd);
      }
    }
    return undefined;
  }

  need(key: string): YamlCursor {
    const c = this.get(key);
    if (!c) this.fail(`missing required key '${key}'`);
    return c;
  }

  items(): YamlCursor[] {
    if (!isSeq(this.node)) this.fail('expected a list');
    const base = this.node.range?.[0] ?? this.offset;
    return this.node.items.map((n, i) => this.child(n as Node | null, i, base));
  }

  /** A list, or a single item treated as a one-item list. */
  itemsOrOne(): YamlCursor[] {
    return isSeq(this.node) ? this.items() : [this];
  }

  str(): string {
    if (!isScalar(this.node) || typeof this.node.value !== 'string') this.fail('expected a string');
    return this.node.value;
  }

  /** A scalar read as a string (numbers allowed, e.g. a version 1.2). */
  text(): string {
    if (!isScalar(this.node) || this.node.value === null || typeof this.node.value === 'object') {
      this.fail('expected a string');
    }
    return String(this.node.value);
  }

  num(min = Number.NEGATIVE_INFINITY): number {
    if (!isScalar(this.node) || typeof this.node.value !== 'number' || !Number.isFinite(this.node.value)) {
      this.fail('expected a number');
    }
    if (this.node.value < min) this.fail(`expected a number ≥ ${min}`);
    return this.node.value;
  }

  bool(): boolean {
    if (!isScalar(this.node) || typeof this.node.value !== 'boolean') this.fail('expected true or false');
    return this.node.value;
  }

  strList(): string[] {
    return this.itemsOrOne().map((c) => c.str());
  }

  oneOf<T extends string>(allowed: readonly T[]): T {
    const v = this.str();
    if (!(allowed as readonly string[]).includes(v)) this.fail(`expected one of: ${allowed.join(', ')}`);
    return v as T;
  }

  /** A SampleValue (agent/catalog/types.ts): scalars, { $class … }, { $array }, { $list }. */
  sample(): SampleValue {
    const n = this.node;
    if (n === null) return null;
    if (isScalar(n)) {
      const v = n.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      this.fail('unsupported scalar');
    }
    if (isSeq(n)) this.fail('a list value must be written { $array: [...] } or { $list: [...] }');
    if (!isMap(n)) this.fail('expected a sample value');
    if (this.has('$array')) {
      this.keys(['$array']);
      return {
        $array: this.need('$array')
          .items()
          .map((c) => c.sample()),
      };
    }
    if (this.has('$list')) {
      this.keys(['$list']);
      return {
        $list: this.need('$list')
          .items()
          .map((c) => c.sample()),
      };
    }
    if (!this.has('$class')) this.fail('an object value needs $class (or $array / $list)');
    this.keys(['$class', '$methods', '$fields']);
    const out: {
      $class: string;
      $methods?: Record<string, SampleValue>;
      $fields?: Record<string, SampleValue>;
    } = {
      $class: this.need('$class').str(),
    };
    for (const k of ['$methods', '$fields'] as const) {
      const m = this.get(k);
      if (!m) continue;
      if (!m.isMap()) m.fail('expected a mapping of name → value');
      const rec: Record<string, SampleValue> = {};
      for (const name of m.keys(m.allKeys())) rec[name] = m.need(name).sample();
      out[k] = rec;
    }
    return out;
  }

  /** Every key of a mapping (for free-form maps). */
  allKeys(): string[] {
    if (!isMap(this.node)) this.fail('expected a mapping');
    return this.node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  }
}
