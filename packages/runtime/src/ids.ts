/**
 * Tuple-tree ids are random 64-bit values kept as two int32 halves: JavaScript numbers
 * hold 53 bits and BigInt is slow, while int32 halves stay small integers in V8 and XOR
 * without allocating. A zero half-pair is never handed out, so zero can mean "untracked".
 */
export function randomHalf(): number {
  return (Math.random() * 4294967296) | 0;
}

/** A map key for a root id: its low 53 bits as a safe integer. */
export function rootKey(hi: number, lo: number): number {
  return (hi & 0x1fffff) * 4294967296 + (lo >>> 0);
}
