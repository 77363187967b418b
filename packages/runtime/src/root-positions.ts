/**
 * Where a root is in a tuple's `more` list ([rootHi, rootLo, edgeHi, edgeLo, ...]) once
 * the list is long: a window's result is anchored to every tuple of its window, and a
 * linear search per anchor made that quadratic (a sixteenth of a count window's cost at
 * 100 tuples). One tuple is indexed at a time: an emit anchors one new tuple to all its
 * anchors in a row, so the index is built once per tuple and then answers each anchor
 * in O(1). The index is an open-addressing table of positions in one Int32Array, reused
 * from tuple to tuple: a Map allocated a number for each root's low half (outside V8's
 * small integers) and tripled the garbage of a count window.
 */
let indexed: number[] | undefined;
/** Position in `indexed` + 1 of each root, 0 for an empty slot; hashed on the root's low half. */
let slots = new Int32Array(256);
let mask = 255;
let count = 0;

/** Lists shorter than this (eight roots) are searched linearly. */
export const INDEXED_FROM = 32;

function slotOf(rootLo: number): number {
  return Math.imul(rootLo, 0x9e3779b1) >>> 0;
}

function place(rootLo: number, at: number): void {
  let s = slotOf(rootLo) & mask;
  while (slots[s] !== 0) s = (s + 1) & mask;
  slots[s] = at + 1;
}

/** Indexes every root of `more`, in a table kept at most half full so probes stay short. */
function rebuild(more: number[]): void {
  indexed = more;
  count = more.length / 4;
  if (count * 2 > slots.length) {
    let size = slots.length;
    while (count * 2 > size) size *= 2;
    slots = new Int32Array(size);
    mask = size - 1;
  } else slots.fill(0);
  for (let i = 0; i < more.length; i += 4) place(more[i + 1], i);
}

/** The position of the root in `more`, or -1. */
export function rootPosition(more: number[], rootHi: number, rootLo: number): number {
  if (more !== indexed) rebuild(more);
  for (let s = slotOf(rootLo) & mask; slots[s] !== 0; s = (s + 1) & mask) {
    const at = slots[s] - 1;
    if (more[at + 1] === rootLo && more[at] === rootHi) return at;
  }
  return -1;
}

/** Records a root just appended at `at`. */
export function rootAdded(more: number[], at: number): void {
  if (more !== indexed) return;
  if (++count * 2 > slots.length) rebuild(more);
  else place(more[at + 1], at);
}
