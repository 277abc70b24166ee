// The calibration app around the calls (smali.ts): its launcher activity and stub classes for
// the SDK classes of lazy entries (the manifest is in manifest.ts).
import { ACTIVITY_CLASS, CALLS_CLASS, type CalibrationCall } from './plan.ts';
import { descriptor, isObject, isWide, pathOf, type SmaliFile } from './smali.ts';

export function activityClass(): SmaliFile {
  const d = descriptor(ACTIVITY_CLASS);
  const text = `.class public ${d}
.super Landroid/app/Activity;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 2
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-static {p0}, ${descriptor(CALLS_CLASS)}->run(Landroid/app/Activity;)V
    return-void
.end method
`;
  return { path: pathOf(ACTIVITY_CLASS), text };
}

export /** Stub classes for lazy (SDK) entries: the methods the calls use, returning null/0/nothing. */
function stubClasses(calls: readonly CalibrationCall[]): SmaliFile[] {
  const byClass = new Map<string, CalibrationCall[]>();
  for (const c of calls) if (c.stub) byClass.set(c.className, [...(byClass.get(c.className) ?? []), c]);
  return [...byClass].map(([cls, list]) => {
    const seen = new Set<string>();
    const methods: string[] = [];
    for (const c of list) {
      const sig = `${c.method === '$init' ? '<init>' : c.method}(${c.params.map(descriptor).join('')})${descriptor(c.returns)}`;
      if (seen.has(sig)) continue;
      seen.add(sig);
      const regs = c.params.reduce((n, p) => n + (isWide(p) ? 2 : 1), 0);
      if (c.method === '$init') {
        methods.push(
          `.method public constructor ${sig}`,
          `    .registers ${regs + 1}`,
          '    invoke-direct {p0}, Ljava/lang/Object;-><init>()V',
          '    return-void',
          '.end method',
          '',
        );
        continue;
      }
      const ret =
        c.returns === 'void'
          ? ['    return-void']
          : isWide(c.returns)
            ? ['    const-wide v0, 0x0L', '    return-wide v0']
            : isObject(c.returns)
              ? ['    const v0, 0x0', '    return-object v0']
              : ['    const v0, 0x0', '    return v0'];
      methods.push(`.method public static ${sig}`, `    .registers ${regs + 2}`, ...ret, '.end method', '');
    }
    const hasCtor = seen.has('<init>()V') || [...seen].some((s) => s.startsWith('<init>('));
    const ctor = hasCtor
      ? []
      : [
          '.method public constructor <init>()V',
          '    .registers 1',
          '    invoke-direct {p0}, Ljava/lang/Object;-><init>()V',
          '    return-void',
          '.end method',
          '',
        ];
    const text = [
      `.class public ${descriptor(cls)}`,
      '.super Ljava/lang/Object;',
      '',
      ...ctor,
      ...methods,
    ].join('\n');
    return { path: pathOf(cls), text };
  });
}
