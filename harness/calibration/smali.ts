// The calibration app as smali source: MainActivity calls Calls.run(this), which calls every
// Calls.c<N>() in turn; each c<N> logs its marker, then makes its one call inside its own
// try/catch (a throw is caught and the next call runs). Lazy SDK entries get stub classes.
import type { SampleValue } from '../../agent/catalog/types.ts';
import type { AndroidApi } from '../android-api/types.ts';
import { CALLS_CLASS, type CalibrationCall, MARKER_TAG } from './plan.ts';
import type { Expr } from './receivers.ts';
import { activityClass, stubClasses } from './smali-app.ts';

const PRIM: Record<string, string> = {
  void: 'V',
  boolean: 'Z',
  byte: 'B',
  short: 'S',
  char: 'C',
  int: 'I',
  long: 'J',
  float: 'F',
  double: 'D',
};

/** Frida type name → JVM descriptor. */
export function descriptor(t: string): string {
  if (PRIM[t]) return PRIM[t];
  if (t.startsWith('[')) return t.replaceAll('.', '/');
  return `L${t.replaceAll('.', '/')};`;
}

export const isWide = (t: string) => t === 'long' || t === 'double';
export const isObject = (t: string) => !(t in PRIM);

/** A smali string literal. */
export function lit(s: string): string {
  return JSON.stringify(s).replace(/\\u007f/g, '\\u007f');
}

interface Value {
  reg: number;
  type: string;
}

class MethodGen {
  readonly lines: string[] = [];
  private next = 0;

  alloc(type: string): number {
    const r = this.next;
    this.next += isWide(type) ? 2 : 1;
    return r;
  }

  get registers(): number {
    return Math.max(this.next, 1);
  }

  emit(line: string): void {
    this.lines.push(`    ${line}`);
  }

  constant(type: string, value: number): Value {
    const reg = this.alloc(type);
    if (type === 'long') this.emit(`const-wide v${reg}, ${BigInt(Math.trunc(value))}L`);
    else if (type === 'double') {
      const bits = new BigUint64Array(new Float64Array([value]).buffer)[0] ?? 0n;
      this.emit(`const-wide v${reg}, 0x${bits.toString(16)}L`);
    } else if (type === 'float') {
      const bits = new Uint32Array(new Float32Array([value]).buffer)[0] ?? 0;
      this.emit(`const v${reg}, 0x${bits.toString(16)}`);
    } else this.emit(`const v${reg}, ${Math.trunc(value) | 0}`);
    return { reg, type };
  }

  compile(e: Expr): Value {
    switch (e.op) {
      case 'activity': {
        const reg = this.alloc('object');
        this.emit(`sget-object v${reg}, ${descriptor(CALLS_CLASS)}->ctx:Landroid/app/Activity;`);
        return { reg, type: 'android.app.Activity' };
      }
      case 'null': {
        const reg = this.alloc('object');
        this.emit(`const v${reg}, 0x0`);
        return { reg, type: 'java.lang.Object' };
      }
      case 'string': {
        const reg = this.alloc('object');
        this.emit(`const-string v${reg}, ${lit(e.value)}`);
        return { reg, type: 'java.lang.String' };
      }
      case 'number':
        return this.constant(e.type, e.value);
      case 'class': {
        const reg = this.alloc('object');
        this.emit(`const-class v${reg}, ${descriptor(e.cls)}`);
        return { reg, type: 'java.lang.Class' };
      }
      case 'string-array': {
        // filled-new-array/range takes any registers (new-array only v0–v15).
        const values = e.values.map((value) => this.compile({ op: 'string', value }));
        const base = this.next;
        for (const v of values) this.emit(`move-object/16 v${this.alloc('object')}, v${v.reg}`);
        if (values.length === 0) this.emit('filled-new-array {}, [Ljava/lang/String;');
        else this.emit(`filled-new-array/range {v${base} .. v${this.next - 1}}, [Ljava/lang/String;`);
        const reg = this.alloc('object');
        this.emit(`move-result-object v${reg}`);
        return { reg, type: '[Ljava.lang.String;' };
      }
      case 'new': {
        const reg = this.alloc('object');
        this.emit(`new-instance v${reg}, ${descriptor(e.cls)}`);
        const args = e.args.map((a, i) => this.cast(this.compile(a), e.params[i] ?? 'java.lang.Object'));
        this.invoke('direct', e.cls, '<init>', e.params, 'void', { reg, type: e.cls }, args);
        return { reg, type: e.cls };
      }
      case 'invoke': {
        const target = e.target ? this.cast(this.compile(e.target), e.cls) : undefined;
        const args = e.args.map((a, i) => this.cast(this.compile(a), e.params[i] ?? 'java.lang.Object'));
        const out = this.invoke(e.kind, e.cls, e.method, e.params, e.returns, target, args);
        return out ?? { reg: this.compile({ op: 'null' }).reg, type: 'java.lang.Object' };
      }
    }
  }

  /** check-cast object values to what the use site declares (null passes). */
  cast(v: Value, type: string): Value {
    if (isObject(type) && v.type !== type && type !== 'java.lang.Object') {
      this.emit(`check-cast v${v.reg}, ${descriptor(type)}`);
      return { reg: v.reg, type };
    }
    return v;
  }

  /** invoke-<kind>/range over a fresh contiguous block; returns the result register, if any. */
  invoke(
    kind: 'static' | 'virtual' | 'interface' | 'direct',
    cls: string,
    method: string,
    params: string[],
    returns: string,
    target: Value | undefined,
    args: Value[],
  ): Value | undefined {
    const operands = target ? [target, ...args] : args;
    const ref = `${descriptor(cls)}->${method}(${params.map(descriptor).join('')})${descriptor(returns)}`;
    if (operands.length === 0) this.emit(`invoke-${kind} {}, ${ref}`);
    else {
      const base = this.next;
      for (const o of operands) {
        const r = this.alloc(o.type);
        const move = isWide(o.type) ? 'move-wide/16' : isObject(o.type) ? 'move-object/16' : 'move/16';
        this.emit(`${move} v${r}, v${o.reg}`);
      }
      this.emit(`invoke-${kind}/range {v${base} .. v${this.next - 1}}, ${ref}`);
    }
    if (returns === 'void') return undefined;
    const reg = this.alloc(returns);
    this.emit(
      `${isWide(returns) ? 'move-result-wide' : isObject(returns) ? 'move-result-object' : 'move-result'} v${reg}`,
    );
    return { reg, type: returns };
  }
}

/** A sample value as an argument of `type` (the app builds the thing the summariser looks for). */
function argExpr(type: string, v: SampleValue): Expr {
  if (!isObject(type)) return { op: 'number', type, value: typeof v === 'number' ? v : v === true ? 1 : 0 };
  if (['android.content.Context', 'android.app.Activity', 'android.content.ContextWrapper'].includes(type))
    return { op: 'activity' };
  if (type === 'android.content.ContentResolver')
    return {
      op: 'invoke',
      kind: 'virtual',
      cls: 'android.content.Context',
      method: 'getContentResolver',
      params: [],
      returns: type,
      target: { op: 'activity' },
      args: [],
    };
  if (typeof v === 'string' && (type === 'java.lang.String' || type === 'java.lang.CharSequence'))
    return { op: 'string', value: v };
  if (v === null || typeof v !== 'object') return { op: 'null' };
  if ('$array' in v && type === '[Ljava.lang.String;')
    return { op: 'string-array', values: v.$array.filter((x): x is string => typeof x === 'string') };
  if (!('$class' in v)) return { op: 'null' };
  const m = v.$methods ?? {};
  if (type === 'android.net.Uri' && typeof m['toString'] === 'string')
    return {
      op: 'invoke',
      kind: 'static',
      cls: 'android.net.Uri',
      method: 'parse',
      params: ['java.lang.String'],
      returns: 'android.net.Uri',
      args: [{ op: 'string', value: m['toString'] }],
    };
  if (type === 'android.content.Intent') {
    const action = typeof m['getAction'] === 'string' ? m['getAction'] : null;
    const comp = m['getComponent'];
    const compClass =
      comp &&
      typeof comp === 'object' &&
      '$methods' in comp &&
      typeof comp.$methods?.['getClassName'] === 'string'
        ? comp.$methods['getClassName']
        : null;
    const base: Expr = action
      ? { op: 'new', cls: type, params: ['java.lang.String'], args: [{ op: 'string', value: action }] }
      : { op: 'new', cls: type, params: [], args: [] };
    if (!compClass) return base;
    const pkg = compClass.slice(0, compClass.lastIndexOf('.'));
    return {
      op: 'invoke',
      kind: 'virtual',
      cls: type,
      method: 'setClassName',
      params: ['java.lang.String', 'java.lang.String'],
      returns: type,
      target: base,
      args: [
        { op: 'string', value: pkg },
        { op: 'string', value: compClass },
      ],
    };
  }
  return { op: 'null' };
}

/** The class a call site names: hidden classes are reached through their public supertype. */
export function callSiteClass(c: CalibrationCall, api: AndroidApi): { cls: string; isInterface: boolean } {
  const info = api.get(c.className);
  if (c.stub || !info?.hidden) return { cls: c.className, isInterface: info?.isInterface === true };
  const queue = [info.superclass, ...info.interfaces].filter((x): x is string => x !== null);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    const a = api.get(name);
    if (!a) continue;
    if (
      !a.hidden &&
      a.methods.some((m) => m.name === c.method && m.params.length === c.params.length && !m.hidden)
    )
      return { cls: name, isInterface: a.isInterface };
    queue.push(...[a.superclass, ...a.interfaces].filter((x): x is string => x !== null));
  }
  return { cls: c.className, isInterface: false };
}

function callMethod(c: CalibrationCall, api: AndroidApi): string {
  const g = new MethodGen();
  const tag = g.compile({ op: 'string', value: MARKER_TAG });
  const msg = g.compile({ op: 'string', value: `${c.index} ${c.hook} ${c.method}(${c.params.join(',')})` });
  g.invoke('static', 'android.util.Log', 'i', ['java.lang.String', 'java.lang.String'], 'int', undefined, [
    tag,
    msg,
  ]);
  if (c.frameworkOnly) {
    // Protected/private framework methods: a call from app code would fail verification.
    g.emit('return-void');
    return methodText(c.index, g);
  }
  g.lines.push('    :try_start');
  const site = callSiteClass(c, api);
  const args = () => c.args.map((a) => g.cast(g.compile(argExpr(a.type, a.value)), a.type));
  if (c.method === '$init') {
    const reg = g.alloc('object');
    g.emit(`new-instance v${reg}, ${descriptor(c.className)}`);
    g.invoke('direct', c.className, '<init>', c.params, 'void', { reg, type: c.className }, args());
  } else if (c.isStatic || c.stub) {
    g.invoke('static', site.cls, c.method, c.params, c.returns, undefined, args());
  } else {
    // Without a way to obtain the receiver, the call site is still emitted (on null: it throws).
    const target = g.cast(g.compile(c.receiver ?? { op: 'null' }), site.cls);
    g.invoke(
      site.isInterface ? 'interface' : 'virtual',
      site.cls,
      c.method,
      c.params,
      c.returns,
      target,
      args(),
    );
  }
  g.lines.push(
    '    :try_end',
    '    .catch Ljava/lang/Throwable; {:try_start .. :try_end} :caught',
    '    :caught',
    '    return-void',
  );
  return methodText(c.index, g);
}

/** The smali text of call method c<index>, from its generated body. */
function methodText(index: number, g: { registers: number; lines: readonly string[] }): string {
  return [
    `.method public static c${index}()V`,
    `    .registers ${g.registers}`,
    ...g.lines,
    '.end method',
    '',
  ].join('\n');
}

export interface SmaliFile {
  /** Path under the smali source root, e.g. com/overreach/calibration/Calls.smali. */
  path: string;
  text: string;
}

export const pathOf = (cls: string) => `${cls.replaceAll('.', '/')}.smali`;

function callsClass(calls: readonly CalibrationCall[], api: AndroidApi): SmaliFile {
  const run = [
    '.method public static run(Landroid/app/Activity;)V',
    '    .registers 3',
    `    sput-object p0, ${descriptor(CALLS_CLASS)}->ctx:Landroid/app/Activity;`,
    ...calls.map((c) => `    invoke-static {}, ${descriptor(CALLS_CLASS)}->c${c.index}()V`),
    `    const-string v0, ${lit(MARKER_TAG)}`,
    `    const-string v1, ${lit('done')}`,
    '    invoke-static {v0, v1}, Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I',
    '    return-void',
    '.end method',
    '',
  ];
  const text = [
    `.class public final ${descriptor(CALLS_CLASS)}`,
    '.super Ljava/lang/Object;',
    '',
    '.field public static ctx:Landroid/app/Activity;',
    '',
    ...run,
    ...calls.map((c) => callMethod(c, api)),
  ].join('\n');
  return { path: pathOf(CALLS_CLASS), text };
}

export function smaliSources(calls: readonly CalibrationCall[], api: AndroidApi): SmaliFile[] {
  return [activityClass(), callsClass(calls, api), ...stubClasses(calls)];
}
