import { DEFAULT_STREAM } from '@topo/topology-dsl';
import { asciiString, commonStringAt, isJsonPlain, wordText, type WordText } from './ascii-strings.js';
import { HOT, HotCommand, MAX_HOT_ANCHORS } from './bolt-output.js';
import { digitCount, leadingDecimalId } from './decimal-digits.js';
import { flatMessage, MAX_FLAT_ENTRIES, NOT_FLAT } from './flat-message.js';

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Digits an integer may have and still be exact in a double, so it reads as JSON.parse reads it. */
const MAX_DIGITS = 15;
/** Big-endian words of `true`, and of `fals` (then `e`) and `null`, to match a literal in one compare. */
const TRUE = 0x74727565;
const FALS = 0x66616c73;
const NULL = 0x6e756c6c;

/** The fixed text of the messages Topo itself writes, exactly as written: an ack or fail and an emit (TypeScript adapter), a tuple (engine). */
const ACK_HEAD = wordText('{"command":"ack","id":"');
const FAIL_HEAD = wordText('{"command":"fail","id":"');
const EMIT_HEAD = wordText('{"command":"emit","anchors":[');
const STREAM_KEY = wordText(',"stream":"');
const TUPLE_KEY = wordText(',"tuple":');
/** The default stream between the keys around it, the usual run in an emit. */
const DEFAULT_STREAM_THEN_TUPLE_KEY = wordText(',"stream":"default","tuple":');
const NO_TASK_IDS_END = wordText(',"need_task_ids":false}');
const TASK_IDS_END = wordText(',"need_task_ids":true}');
const TUPLE_HEAD = wordText('{"id":"');
const COMP_KEY = wordText(',"comp":"');
const TASK_KEY = wordText(',"task":');

/**
 * Reads, in one pass over its bytes, a one-line JSON message of the shape nearly all
 * multi-lang traffic has: an object of up to 15 entries whose values are integers of up
 * to 15 digits, `true`, `false`, `null`, strings of printable ASCII without escapes, or
 * arrays of those. Emits, acks, fails, syncs and logs from Topo's adapters, Storm's and
 * pystorm (compact or with spaces, keys in any order), and the engine's tuples, all have
 * it. Reading bytes directly, a message costs no text for its line, and keys, commands
 * and the default stream no new strings.
 *
 * Anything else (a fraction or exponent, an escape, a byte outside printable ASCII in a
 * string, a nested object or array, a `__proto__` key, text after the object) gives
 * NOT_FLAT, and the caller hands the line to JSON.parse, which then gives the same object
 * or the error. What this reader accepts is valid JSON that JSON.parse reads the same.
 *
 * With `hotForms`, Topo's acks, fails and emits whose ids are in the engine's decimal
 * form are read into `hot` instead, and `read` gives HOT.
 */
export class FlatJsonReader {
  readonly hot = new HotCommand();
  private pos = 0;
  private end = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** `buf` read a word at a time. */
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, 0);
  private readonly keys: string[] = new Array<string>(MAX_FLAT_ENTRIES).fill('');
  private readonly values: unknown[] = new Array<unknown>(MAX_FLAT_ENTRIES).fill(null);

  constructor(private readonly hotForms = false) {}

  /** The message on the line of `buf` from `start` to `end` (its line end excluded). */
  read(buf: Buffer, start: number, end: number): Record<string, unknown> | typeof NOT_FLAT | typeof HOT {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
    this.pos = start;
    this.end = end;
    const topo = this.topoForm();
    if (topo !== NOT_FLAT) return topo;
    this.pos = start;
    if (this.next() !== OPEN_BRACE) return NOT_FLAT;
    this.pos++;
    const keys = this.keys;
    const values = this.values;
    let n = 0;
    if (this.next() === CLOSE_BRACE) this.pos++;
    else {
      for (;;) {
        if (n === MAX_FLAT_ENTRIES || this.next() !== QUOTE) return NOT_FLAT;
        const key = this.string();
        if (key === NOT_FLAT || key === '__proto__' || this.next() !== COLON) return NOT_FLAT;
        this.pos++;
        const value = this.value();
        if (value === NOT_FLAT) return NOT_FLAT;
        keys[n] = key;
        values[n++] = value;
        const after = this.next();
        this.pos++;
        if (after === CLOSE_BRACE) break;
        if (after !== COMMA) return NOT_FLAT;
      }
    }
    if (this.next() !== -1) return NOT_FLAT;
    return flatMessage(n, keys, values);
  }

  /**
   * The messages Topo writes, in exactly its form (the fixed text compared four bytes at a
   * time, only ids, names and values read): an ack or fail, an emit without a direct task,
   * a tuple from a named component. NOT_FLAT for anything else, which the general reading
   * then tries from the start.
   */
  private topoForm(): Record<string, unknown> | typeof NOT_FLAT | typeof HOT {
    const second = this.byteAt(this.pos + 2);
    if (second === 0x63) {
      const hot = this.hotForms;
      if (this.literal(EMIT_HEAD)) return hot ? this.hotEmit() : this.topoEmit();
      if (this.literal(ACK_HEAD)) return hot ? this.hotFinish(false) : this.topoFinish('ack');
      if (this.literal(FAIL_HEAD)) return hot ? this.hotFinish(true) : this.topoFinish('fail');
    } else if (second === 0x69 && this.literal(TUPLE_HEAD)) {
      return this.topoTuple();
    }
    return NOT_FLAT;
  }

  private topoFinish(command: 'ack' | 'fail'): Record<string, unknown> | typeof NOT_FLAT {
    const id = this.stringBody();
    if (id === NOT_FLAT || !this.closesLine()) return NOT_FLAT;
    return { command, id };
  }

  private topoEmit(): Record<string, unknown> | typeof NOT_FLAT {
    let anchors: string[];
    if (this.byteAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      anchors = [];
    } else {
      for (anchors = []; ; ) {
        if (this.byteAt(this.pos) !== QUOTE) return NOT_FLAT;
        this.pos++;
        const id = this.stringBody();
        if (id === NOT_FLAT) return NOT_FLAT;
        const after = this.byteAt(this.pos++);
        // One anchor, the usual case, makes an array of its exact size.
        if (after === CLOSE_BRACKET && anchors.length === 0) {
          anchors = [id];
          break;
        }
        anchors.push(id);
        if (after === CLOSE_BRACKET) break;
        if (after !== COMMA) return NOT_FLAT;
      }
    }
    if (!this.emitRest(anchors.length)) return NOT_FLAT;
    const { stream, tuple, needTaskIds } = this.hot;
    return { command: 'emit', anchors, stream, tuple, need_task_ids: needTaskIds };
  }

  private hotFinish(failed: boolean): typeof HOT | typeof NOT_FLAT {
    const id = this.hotId();
    if (id < 0 || !this.closesLine()) return NOT_FLAT;
    this.hot.finish(failed, id);
    return HOT;
  }

  private hotEmit(): typeof HOT | typeof NOT_FLAT {
    const hot = this.hot;
    let count = 0;
    if (this.byteAt(this.pos) === CLOSE_BRACKET) this.pos++;
    else {
      for (;;) {
        if (count === MAX_HOT_ANCHORS || this.byteAt(this.pos) !== QUOTE) return NOT_FLAT;
        this.pos++;
        const id = this.hotId();
        if (id < 0) return NOT_FLAT;
        hot.anchors[count++] = id;
        const after = this.byteAt(this.pos++);
        if (after === CLOSE_BRACKET) break;
        if (after !== COMMA) return NOT_FLAT;
      }
    }
    return this.emitRest(count) ? HOT : NOT_FLAT;
  }

  /**
   * An emit after its anchors (stream, tuple, need_task_ids) in Topo's form, with the
   * default stream and the keys around it compared in one go; read into `hot`, whose
   * anchors the caller has filled when it keeps them there. False for any other form.
   */
  private emitRest(anchorCount: number): boolean {
    let stream: string | typeof NOT_FLAT = DEFAULT_STREAM;
    if (!this.literal(DEFAULT_STREAM_THEN_TUPLE_KEY)) {
      if (!this.literal(STREAM_KEY)) return false;
      stream = this.stringBody();
      if (stream === NOT_FLAT || !this.literal(TUPLE_KEY)) return false;
    }
    if (this.byteAt(this.pos) !== OPEN_BRACKET) return false;
    const tuple = this.value();
    if (tuple === NOT_FLAT) return false;
    const needTaskIds = this.literal(NO_TASK_IDS_END) ? false : this.literal(TASK_IDS_END) ? true : undefined;
    if (needTaskIds === undefined || this.pos !== this.end) return false;
    this.hot.emitted(anchorCount, stream, tuple as unknown[], needTaskIds);
    return true;
  }

  /** A tuple id in the engine's decimal form from `pos` (just past its opening quote) to its closing quote, or -1. */
  private hotId(): number {
    const id = leadingDecimalId(this.buf, this.pos, this.end);
    const close = this.pos + digitCount(id);
    if (id < 0 || close >= this.end || this.buf[close] !== QUOTE) return -1;
    this.pos = close + 1;
    return id;
  }

  private topoTuple(): Record<string, unknown> | typeof NOT_FLAT {
    const id = this.stringBody();
    if (id === NOT_FLAT || !this.literal(COMP_KEY)) return NOT_FLAT;
    const comp = this.stringBody();
    if (comp === NOT_FLAT || !this.literal(STREAM_KEY)) return NOT_FLAT;
    const stream = this.stringBody();
    if (stream === NOT_FLAT || !this.literal(TASK_KEY)) return NOT_FLAT;
    const first = this.byteAt(this.pos);
    const task = first === MINUS || (first >= ZERO && first <= NINE) ? this.integer() : NOT_FLAT;
    if (task === NOT_FLAT || !this.literal(TUPLE_KEY)) return NOT_FLAT;
    const tuple = this.value();
    if (tuple === NOT_FLAT || !this.closesLine()) return NOT_FLAT;
    return { id, comp, stream, task, tuple };
  }

  /** Whether `text` is at `pos` (which then moves past it). */
  private literal(text: WordText): boolean {
    const length = text.text.length;
    if (this.pos + length > this.end || !text.holdsAt(this.buf, this.view, this.pos)) return false;
    this.pos += length;
    return true;
  }

  /** Whether the object's closing brace is the last byte of the line. */
  private closesLine(): boolean {
    return this.pos + 1 === this.end && this.buf[this.pos] === CLOSE_BRACE;
  }

  /** The byte at `at`, or -1 past the end of the line. */
  private byteAt(at: number): number {
    return at < this.end ? this.buf[at] : -1;
  }

  /** The byte at the next token (spaces and tabs skipped), or -1 at the end of the line. */
  private next(): number {
    const buf = this.buf;
    let pos = this.pos;
    while (pos < this.end && (buf[pos] === SPACE || buf[pos] === TAB)) pos++;
    this.pos = pos;
    return pos < this.end ? buf[pos] : -1;
  }

  private value(): unknown {
    if (this.next() !== OPEN_BRACKET) return this.scalar();
    this.pos++;
    const array: unknown[] = [];
    if (this.next() === CLOSE_BRACKET) {
      this.pos++;
      return array;
    }
    for (;;) {
      const item = this.scalar();
      if (item === NOT_FLAT) return NOT_FLAT;
      const after = this.next();
      this.pos++;
      // A one-value tuple, common, makes an array of its exact size.
      if (after === CLOSE_BRACKET && array.length === 0) return [item];
      array.push(item);
      if (after === CLOSE_BRACKET) return array;
      if (after !== COMMA) return NOT_FLAT;
    }
  }

  /** A string, integer or literal at the next token. */
  private scalar(): unknown {
    const first = this.next();
    if (first === QUOTE) return this.string();
    if (first === MINUS || (first >= ZERO && first <= NINE)) return this.integer();
    const at = this.pos;
    if (at + 4 > this.end) return NOT_FLAT;
    const word = this.view.getUint32(at);
    if (word === TRUE || word === NULL) {
      this.pos = at + 4;
      return word === TRUE ? true : null;
    }
    if (word === FALS && at + 5 <= this.end && this.buf[at + 4] === 0x65) {
      this.pos = at + 5;
      return false;
    }
    return NOT_FLAT;
  }

  /** The string whose opening quote is at `pos`. */
  private string(): string | typeof NOT_FLAT {
    this.pos++;
    return this.stringBody();
  }

  /** The string whose text starts at `pos` (just past its opening quote), and its closing quote. */
  private stringBody(): string | typeof NOT_FLAT {
    const buf = this.buf;
    const start = this.pos;
    const end = this.end;
    let close = start;
    for (; close < end; close++) {
      const c = buf[close];
      if (c === QUOTE) break;
      if (!isJsonPlain(c)) return NOT_FLAT;
    }
    if (close === end) return NOT_FLAT;
    this.pos = close + 1;
    return commonStringAt(buf, this.view, start, close) ?? asciiString(buf, start, close);
  }

  /** `-?(0|[1-9][0-9]*)` of up to MAX_DIGITS digits. A fraction or exponent after it is not a token the callers take, so such a number is never flat. */
  private integer(): number | typeof NOT_FLAT {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    const negative = buf[pos] === MINUS;
    if (negative) pos++;
    const digitsStart = pos;
    let value = 0;
    while (pos < end && buf[pos] >= ZERO && buf[pos] <= NINE) value = value * 10 + (buf[pos++] - ZERO);
    const digits = pos - digitsStart;
    if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && buf[digitsStart] === ZERO)) return NOT_FLAT;
    this.pos = pos;
    return negative ? -value : value;
  }
}
