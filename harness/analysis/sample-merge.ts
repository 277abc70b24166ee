// Evidence from the roll-up's samples (context.ts evidence()): each group's first events in
// (time, id) order, merged up to a limit without sorting the lists joined.

/** Whether event (id, time) `a` comes before `b` in (time, id) order. */
export function before(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[1] < b[1] || (a[1] === b[1] && a[0] < b[0]);
}

/** The first `limit` of two lists in (time, id) order, merged (a sort of both joined, without it). */
export function mergeFirst(
  a: readonly (readonly [number, number])[],
  b: readonly (readonly [number, number])[],
  limit: number,
): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length))
    out.push(j >= b.length || (i < a.length && !before(b[j]!, a[i]!)) ? a[i++]! : b[j++]!);
  return out;
}
