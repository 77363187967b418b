/**
 * Where a root is in a tuple's `more` list ([rootHi, rootLo, edgeHi, edgeLo, ...]) once
 * the list is long: a window's result is anchored to every tuple of its window, and a
 * linear search per anchor made that quadratic (a sixteenth of a count window's cost at
 * 100 tuples). One tuple is indexed at a time: an emit anchors one new tuple to all its
 * anchors in a row, so the index is built once per tuple and then answers each anchor
 * in O(1). It keeps the last such tuple's list and index until the next one.
 */
let indexed: number[] | undefined;
const byRootLo = new Map<number, number>();

/** Lists shorter than this (eight roots) are searched linearly. */
export const INDEXED_FROM = 32;

/** The position of the root in `more`, or -1. */
export function rootPosition(more: number[], rootHi: number, rootLo: number): number {
  if (more !== indexed) {
    indexed = more;
    byRootLo.clear();
    for (let i = more.length - 4; i >= 0; i -= 4) byRootLo.set(more[i + 1], i);
  }
  const at = byRootLo.get(rootLo);
  if (at === undefined) return -1;
  if (more[at] === rootHi) return at;
  // Two roots that share their low half: as rare as a 32-bit collision.
  for (let i = 0; i < more.length; i += 4) if (more[i] === rootHi && more[i + 1] === rootLo) return i;
  return -1;
}

/** Records a root just appended at `at`. */
export function rootAdded(more: number[], rootLo: number, at: number): void {
  if (more === indexed && !byRootLo.has(rootLo)) byRootLo.set(rootLo, at);
}
