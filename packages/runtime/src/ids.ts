/**
 * Tuple-tree ids are random 64-bit values kept as two int32 halves: JavaScript numbers
 * hold 53 bits and BigInt is slow, while int32 halves stay small integers in V8 and XOR
 * without allocating. A zero half-pair is never handed out, so zero can mean "untracked".
 */
export function randomHalf(): number {
  return (Math.random() * 4294967296) | 0;
}
