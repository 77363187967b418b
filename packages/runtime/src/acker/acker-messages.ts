/** Record layout of acker traffic in an IntRing or a batch frame: [type, rootHi, rootLo, xorHi, xorLo, spoutTask]. */
export const ACKER_RECORD_WIDTH = 6;
export const ACK_INIT = 1;
export const ACK_ACK = 2;
export const ACK_FAIL = 3;
/** A fail because tuples of the tree could not be delivered (their worker unreachable), not because a bolt failed one. */
export const ACK_LOST = 4;

/** Record layout of acker results to a spout: [spoutTask, type, rootHi, rootLo]. */
export const RESULT_RECORD_WIDTH = 4;
export const RESULT_ACK = 1;
export const RESULT_FAIL = 2;
/** The tree failed through an ACK_LOST: the spout hears `fail(msgId, 'lost')`. */
export const RESULT_LOST = 3;

/** Writes one acker message at `at` of `d` (an IntRing's or a batch frame's ints). */
export function writeAckerRecord(d: Int32Array, at: number, type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void {
  d[at] = type;
  d[at + 1] = rootHi;
  d[at + 2] = rootLo;
  d[at + 3] = xorHi;
  d[at + 4] = xorLo;
  d[at + 5] = spoutTask;
}

/** Writes one verdict at `at` of `d`. */
export function writeResultRecord(d: Int32Array, at: number, spoutTask: number, result: number, rootHi: number, rootLo: number): void {
  d[at] = spoutTask;
  d[at + 1] = result;
  d[at + 2] = rootHi;
  d[at + 3] = rootLo;
}
