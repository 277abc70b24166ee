// Rows a reader took in chunk order (no ORDER BY: SQLite's sorter cost more than the read) put in
// (offset, id) order in JS. The chunk order is one sorted run per phase, or the whole read when
// messages arrived in time order, so the check usually settles it in one pass.

/**
 * Positions of rows (offsets[i], ids[i]) in (offset, id) order: null when they are so already
 * (one pass), else sorted (several sorted runs, e.g. one per phase, merge in few passes).
 */
export function timeOrder(offsets: readonly number[], ids: readonly number[]): number[] | null {
  const n = offsets.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++)
    sorted = offsets[i - 1]! < offsets[i]! || (offsets[i - 1] === offsets[i] && ids[i - 1]! < ids[i]!);
  if (sorted) return null;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => offsets[a]! - offsets[b]! || ids[a]! - ids[b]!);
}
