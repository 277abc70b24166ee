// A small XPath subset over the simulated UI tree, enough for the locators scenario scripts use
// with Appium (documented in docs/app-models.md):
//   steps      /tag  //tag  /*  //*            (child and descendant axes; tag = class name)
//   predicates [@attr='v'] [@attr!='v'] [@attr] [contains(@attr,'v')] [starts-with(@attr,'v')]
//              [text()='v'] [contains(text(),'v')] [n] (1-based position)  combined with and / or
//   several predicates per step: //*[@clickable='true'][2]
import { InputError } from '../../errors.ts';

export interface XNode {
  tag: string;
  attrs: Readonly<Record<string, string>>;
  children: readonly XNode[];
}

type Expr =
  | { kind: 'cmp'; attr: string; op: '=' | '!='; value: string }
  | { kind: 'has'; attr: string }
  | { kind: 'fn'; fn: 'contains' | 'starts-with'; attr: string; value: string }
  | { kind: 'index'; n: number }
  | { kind: 'and' | 'or'; left: Expr; right: Expr };

interface Step {
  descendant: boolean;
  tag: string;
  predicates: Expr[];
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  fail(msg: string): never {
    throw new InputError(`xpath '${this.src}' at ${this.pos + 1}: ${msg}`);
  }

  private ws(): void {
    while (this.src[this.pos] === ' ') this.pos++;
  }

  private eat(s: string): boolean {
    this.ws();
    if (this.src.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  private expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected '${s}'`);
  }

  private name(): string {
    this.ws();
    const m = /^[A-Za-z_][\w.$-]*/.exec(this.src.slice(this.pos));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  private literal(): string {
    this.ws();
    const q = this.src[this.pos];
    if (q !== "'" && q !== '"') this.fail('expected a quoted string');
    const end = this.src.indexOf(q, this.pos + 1);
    if (end < 0) this.fail('unterminated string');
    const v = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    return v;
  }

  /** `@name` or `text()` → the attribute name. */
  private attrRef(): string {
    if (this.eat('@')) return this.name();
    if (this.eat('text()')) return 'text';
    this.fail('expected @attribute or text()');
  }

  private term(): Expr {
    this.ws();
    if (this.eat('(')) {
      const e = this.or();
      this.expect(')');
      return e;
    }
    const num = /^\d+/.exec(this.src.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { kind: 'index', n: Number(num[0]) };
    }
    for (const fn of ['contains', 'starts-with'] as const) {
      if (this.eat(`${fn}(`)) {
        const attr = this.attrRef();
        this.expect(',');
        const value = this.literal();
        this.expect(')');
        return { kind: 'fn', fn, attr, value };
      }
    }
    const attr = this.attrRef();
    if (this.eat('!=')) return { kind: 'cmp', attr, op: '!=', value: this.literal() };
    if (this.eat('=')) return { kind: 'cmp', attr, op: '=', value: this.literal() };
    return { kind: 'has', attr };
  }

  private and(): Expr {
    let left = this.term();
    while (this.eat(' and ') || this.eat('and ')) left = { kind: 'and', left, right: this.term() };
    return left;
  }

  private or(): Expr {
    let left = this.and();
    while (this.eat(' or ') || this.eat('or ')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  parse(): Step[] {
    const steps: Step[] = [];
    while (this.pos < this.src.length) {
      this.ws();
      let descendant: boolean;
      if (this.eat('//')) descendant = true;
      else if (this.eat('/')) descendant = false;
      else if (steps.length === 0)
        descendant = true; // a relative path searches everywhere
      else this.fail("expected '/' or '//'");
      const tag = this.eat('*') ? '*' : this.name();
      const predicates: Expr[] = [];
      while (this.eat('[')) {
        predicates.push(this.or());
        this.expect(']');
      }
      steps.push({ descendant, tag, predicates });
      this.ws();
    }
    if (steps.length === 0) this.fail('empty expression');
    return steps;
  }
}

function test(e: Expr, node: XNode, position: number): boolean {
  switch (e.kind) {
    case 'cmp': {
      // As in XPath, a comparison with a missing attribute is false either way.
      const v = node.attrs[e.attr];
      return v !== undefined && (e.op === '=' ? v === e.value : v !== e.value);
    }
    case 'has':
      return node.attrs[e.attr] !== undefined;
    case 'fn': {
      const v = node.attrs[e.attr] ?? '';
      return e.fn === 'contains' ? v.includes(e.value) : v.startsWith(e.value);
    }
    case 'index':
      return position === e.n;
    case 'and':
      return test(e.left, node, position) && test(e.right, node, position);
    case 'or':
      return test(e.left, node, position) || test(e.right, node, position);
  }
}

function descendants(node: XNode, out: XNode[]): void {
  for (const c of node.children) {
    out.push(c);
    descendants(c, out);
  }
}

/** Compiles once; the result evaluates against a document root (the `hierarchy` node). */
export function compileXPath(expr: string): (root: XNode) => XNode[] {
  const steps = new Parser(expr.trim()).parse();
  return (root) => {
    // The document node above `hierarchy`, so '/hierarchy/…' works as in Appium.
    let context: XNode[] = [{ tag: '#document', attrs: {}, children: [root] }];
    for (const step of steps) {
      const next: XNode[] = [];
      for (const ctx of context) {
        const candidates: XNode[] = [];
        if (step.descendant) descendants(ctx, candidates);
        else candidates.push(...ctx.children);
        let matched = candidates.filter((n) => step.tag === '*' || n.tag === step.tag);
        for (const p of step.predicates) matched = matched.filter((n, i) => test(p, n, i + 1));
        for (const n of matched) if (!next.includes(n)) next.push(n);
      }
      context = next;
    }
    return context;
  };
}
