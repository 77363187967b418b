/** Strings every component sends again and again (keys, commands, the default stream): read without a new string. */
const COMMON_STRINGS = ['command', 'id', 'anchors', 'stream', 'tuple', 'need_task_ids', 'task', 'comp', 'emit', 'ack', 'fail', 'sync', 'next', 'log', 'msg', 'level', 'default'];

/** An ASCII string and a test for it in a buffer. */
export interface WordText {
  text: string;
  /** Whether `text` is at `at` of `buf` (the caller checked it fits); `view` is a DataView over `buf`. */
  holdsAt: (buf: Buffer, view: DataView, at: number) => boolean;
}

/** The common string of each length and first byte (no two share both), so a string is compared with one candidate at most. */
const commonByHead: (WordText | undefined)[] = new Array(32 * 256).fill(undefined);
for (const text of COMMON_STRINGS) {
  const at = head(text.length, text.charCodeAt(0));
  if (commonByHead[at] !== undefined) throw new Error(`common strings ${commonByHead[at]!.text} and ${text} share a length and first byte`);
  commonByHead[at] = wordText(text);
}

/**
 * `text` with a test compiled for it: one compare per four bytes (a big-endian int32 read
 * through the DataView) and one per byte left over, each against a constant. The texts are
 * the readers' own literals, never input. On the bench machine this is four times as fast
 * as a loop over an array of the words, which cost half of reading an emit.
 */
export function wordText(text: string): WordText {
  const bytes = Buffer.from(text, 'latin1');
  const whole = bytes.length & ~3;
  const tests: string[] = [];
  for (let i = 0; i < whole; i += 4) tests.push(`view.getInt32(at + ${i}) === ${bytes.readInt32BE(i)}`);
  for (let i = whole; i < bytes.length; i++) tests.push(`buf[at + ${i}] === ${bytes[i]}`);
  const holdsAt = new Function('buf', 'view', 'at', `return ${tests.length > 0 ? tests.join(' && ') : 'true'};`) as WordText['holdsAt'];
  return { text, holdsAt };
}

function head(length: number, firstByte: number): number {
  return length * 256 + firstByte;
}

/** Whether char code `c` stands for itself inside a JSON string: printable ASCII other than a quote or backslash (one compare for both ends of the range: below 0x20 wraps around to a large number). */
export function isJsonPlain(c: number): boolean {
  return c !== 0x22 && c !== 0x5c && ((c - 0x20) >>> 0) <= 0x7e - 0x20;
}

/** Past this length an ASCII string is cut from the buffer by Buffer's own decoder rather than built from its char codes. */
const SHORT_STRING = 16;

/** The common string spelled by the bytes of `buf` from `start` to `end`, if any; `view` is a DataView over `buf`. */
export function commonStringAt(buf: Buffer, view: DataView, start: number, end: number): string | undefined {
  const length = end - start;
  const common = length > 0 && length < 32 ? commonByHead[head(length, buf[start])] : undefined;
  return common !== undefined && common.holdsAt(buf, view, start) ? common.text : undefined;
}

/** The bytes of `buf` from `start` to `end`, which the caller has checked are all ASCII, as a new string. */
export function asciiString(buf: Buffer, start: number, end: number): string {
  return end - start <= SHORT_STRING ? shortString(buf, start, end - start) : buf.toString('latin1', start, end);
}

/** Up to SHORT_STRING char codes as a string: one allocation up to 8 (ids, names), two past that; no string per character. */
function shortString(buf: Buffer, at: number, length: number): string {
  const fromCharCode = String.fromCharCode;
  switch (length) {
    case 0:
      return '';
    case 1:
      return fromCharCode(buf[at]);
    case 2:
      return fromCharCode(buf[at], buf[at + 1]);
    case 3:
      return fromCharCode(buf[at], buf[at + 1], buf[at + 2]);
    case 4:
      return fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3]);
    case 5:
      return fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3], buf[at + 4]);
    case 6:
      return fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3], buf[at + 4], buf[at + 5]);
    case 7:
      return fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3], buf[at + 4], buf[at + 5], buf[at + 6]);
    case 8:
      return fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3], buf[at + 4], buf[at + 5], buf[at + 6], buf[at + 7]);
    default:
      return shortString(buf, at, 8) + shortString(buf, at + 8, length - 8);
  }
}
