/** Frame types on a worker-to-worker connection. */
export const FRAME_HELLO = 1;
export const FRAME_CHALLENGE = 2;
export const FRAME_PROOF = 3;
export const FRAME_READY = 4;
export const FRAME_BATCH = 5;
export const FRAME_BACKPRESSURE = 6;
