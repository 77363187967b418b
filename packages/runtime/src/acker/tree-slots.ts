/**
 * How a spout's root id says where its tree is tracked. The low half of a random root
 * picks the acker task (`lo mod ackers`); a spout in a worker with an acker chooses it so
 * that this is its own worker's acker, and so that `floor(lo / ackers) mod slots` is its
 * own position among the worker's spout tasks (its tree slot). Every ack of the tree then
 * reaches that worker and finds the task's table without a search. Both directions live
 * here so they cannot drift apart.
 */

/** Index among `ackers` (> 0) of the acker task that tracks roots with low half `lo`. */
export function ackerIndexOf(lo: number, ackers: number): number {
  return ackers === 1 ? 0 : (lo >>> 0) % ackers;
}

/** A random low half adjusted to name `localAcker` (index among `ackers`) and `slot` (among `slots`). */
export function rootLoFor(lo: number, ackers: number, localAcker: number, slots: number, slot: number): number {
  const modulus = ackers * slots;
  if (modulus < 2) return lo;
  const u = lo >>> 0;
  let v = u - (u % modulus) + localAcker + ackers * slot;
  if (v > 0xffffffff) v -= modulus;
  return v | 0;
}

/** The tree slot a root's low half names, read back in the worker its acker runs in. */
export function treeSlotOf(lo: number, ackers: number, slots: number): number {
  if (slots === 1) return 0;
  return Math.floor((lo >>> 0) / ackers) % slots;
}
