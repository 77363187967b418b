import { randomFillSync } from 'node:crypto';

/**
 * Tuple-tree ids are random 64-bit values kept as two int32 halves: JavaScript numbers
 * hold 53 bits and BigInt is slow, while int32 halves stay small integers in V8 and XOR
 * without allocating. A zero half-pair is never handed out, so zero can mean "untracked".
 *
 * The halves come from Marsaglia's xorshift128 (period 2^128 - 1), seeded from the OS per
 * process: ids need to be unpredictable to collisions, not to adversaries, and this is a
 * few int operations where Math.random() costs a double multiply and truncation per half.
 */
const seed = randomFillSync(new Int32Array(4));
if ((seed[0] | seed[1] | seed[2] | seed[3]) === 0) seed[3] = 1;
let x = seed[0];
let y = seed[1];
let z = seed[2];
let w = seed[3];

export function randomHalf(): number {
  const t = x ^ (x << 11);
  x = y;
  y = z;
  z = w;
  w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
  return w;
}
