/** Record layout of acker traffic in an IntRing: [type, rootHi, rootLo, xorHi, xorLo, spoutTask]. */
export const ACKER_RECORD_WIDTH = 6;
export const ACK_INIT = 1;
export const ACK_ACK = 2;
export const ACK_FAIL = 3;

/** Record layout of acker results to a spout: [spoutTask, type, rootHi, rootLo]. */
export const RESULT_RECORD_WIDTH = 4;
export const RESULT_ACK = 1;
export const RESULT_FAIL = 2;
