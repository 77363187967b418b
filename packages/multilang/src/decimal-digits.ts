/**
 * Non-negative integers as decimal digits on bytes: how the engine writes its tuple ids
 * (and the JSON writer its integers) without a string, and reads ids back without one.
 */

/** Digits of a tuple id in the engine's form: more could not be a number it handed out. */
const MAX_ID_DIGITS = 15;

/** Decimal digits of `n`, a non-negative safe integer. */
export function digitCount(n: number): number {
  if (n < 100_000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5;
  if (n < 10_000_000_000) return n < 1_000_000 ? 6 : n < 10_000_000 ? 7 : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
  let digits = 11;
  for (let rest = Math.floor(n / 1e11); rest >= 1; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

/** Writes `n`, a non-negative safe integer, as decimal digits at `at`; returns the end. */
export function writeDigits(buf: Buffer, at: number, n: number): number {
  const end = at + digitCount(n);
  if (n <= 0x7fffffff) {
    // In int32 range V8 divides by ten with a multiply; the double division below costs several times that.
    let v = n | 0;
    for (let i = end - 1; i >= at; i--) {
      const q = (v / 10) | 0;
      buf[i] = 0x30 + v - q * 10;
      v = q;
    }
    return end;
  }
  for (let i = end - 1; i >= at; i--, n = Math.floor(n / 10)) buf[i] = 0x30 + (n % 10);
  return end;
}

/**
 * The tuple id in the engine's form (`String` of a counter: digits, no leading zero) that
 * starts at `start` of `buf` and runs to the first non-digit before `end`, or -1 for
 * anything else. Its length is `digitCount` of it.
 */
export function leadingDecimalId(buf: Buffer, start: number, end: number): number {
  let n = 0;
  let at = start;
  for (; at < end; at++) {
    const digit = buf[at] - 0x30;
    if (digit < 0 || digit > 9) break;
    n = n * 10 + digit;
  }
  const length = at - start;
  return length < 1 || length > MAX_ID_DIGITS || (buf[start] === 0x30 && length > 1) ? -1 : n;
}

/**
 * The tuple id spelled by all the bytes of `buf` from `start` to `end` as the engine writes
 * ids (`String` of a counter: digits, no leading zero), or -1 for any other text.
 */
export function decimalId(buf: Buffer, start: number, end: number): number {
  const id = leadingDecimalId(buf, start, end);
  return id >= 0 && start + digitCount(id) === end ? id : -1;
}
