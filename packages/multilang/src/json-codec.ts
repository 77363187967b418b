import { DEFAULT_STREAM } from '@topo/topology-dsl';
import { excerpt, ProtocolViolation } from './protocol-violation.js';
import type { FrameRun, MessageDecoder, Serializer } from './serializer.js';

const LF = 10;
const CR = 13;

/**
 * Storm's JSON framing as its engine reads it: lines ended by LF, CR or CRLF, gathered
 * until a line that is exactly `end`, joined with `\n` and parsed as one value (blank
 * lines before the first line of a message are dropped, as Storm drops them).
 *
 * Each byte is looked at once. The complete lines of a chunk are decoded to text in one
 * go and split with `indexOf` from where the last search stopped; an unfinished line is
 * kept as a list of chunk slices, concatenated once when it ends. A message larger than
 * `maxMessageBytes` is rejected as soon as it grows past the limit, so a runaway
 * component cannot exhaust memory (bytes while a line arrives, characters once decoded).
 */
export class JsonDecoder implements MessageDecoder {
  /** The first line of the message in progress (most messages have one), and any more. */
  private firstLine: string | undefined;
  private moreLines: string[] | undefined;
  private messageLength = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** The previous chunk ended in CR: a LF at the start of the next one completes a CRLF. */
  private afterCR = false;

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly maxMessageBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let pos = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (chunk.length > 0 && chunk[0] === LF) pos = 1;
    }
    if (this.partialBytes > 0) {
      const lf = chunk.indexOf(LF, pos);
      const cr = chunk.indexOf(CR, pos);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) {
        this.holdPartial(pos === 0 ? chunk : chunk.subarray(pos));
        return;
      }
      this.partial.push(chunk.subarray(pos, end));
      const line = Buffer.concat(this.partial).toString('utf8');
      this.partial = [];
      this.partialBytes = 0;
      pos = this.skipLineEnd(chunk, end);
      this.line(line);
    }
    const last = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
    if (last >= pos) {
      // UTF-8 never encodes a character with the bytes of LF or CR, so cutting after a line end is safe.
      this.lines_(chunk.toString('utf8', pos, last + 1));
      pos = last + 1;
      if (chunk[last] === CR && pos === chunk.length) this.afterCR = true;
    }
    if (pos < chunk.length) this.holdPartial(chunk.subarray(pos));
  }

  /** Splits text that ends with a line end into lines (LF, CR or CRLF). */
  private lines_(text: string): void {
    const n = text.length;
    let pos = 0;
    let nextLF = -2;
    let nextCR = -2;
    while (pos < n) {
      if (nextLF !== -1 && nextLF < pos) nextLF = text.indexOf('\n', pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = text.indexOf('\r', pos);
      const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
      let next = end + 1;
      if (text.charCodeAt(end) === 13 && next < n && text.charCodeAt(next) === 10) next++;
      // A one-line ack or emit in Topo's form, with its "end" line after it, is read where it lies: no string for either line.
      if (this.firstLine === undefined && end - pos <= this.maxMessageBytes && isEndLine(text, next)) {
        const message = fastAck(text, pos, end) ?? fastEmit(text, pos, end);
        if (message !== undefined) {
          pos = next + 4;
          if (text.charCodeAt(next + 3) === 13 && pos < n && text.charCodeAt(pos) === 10) pos++;
          this.onMessage(message);
          continue;
        }
      }
      // An "end" line is recognized in place: no string for it.
      if (end - pos === 3 && text.charCodeAt(pos) === 101 && text.charCodeAt(pos + 1) === 110 && text.charCodeAt(pos + 2) === 100) this.finishMessage();
      else this.line(text.slice(pos, end));
      pos = next;
    }
  }

  private skipLineEnd(chunk: Buffer, end: number): number {
    if (chunk[end] !== CR) return end + 1;
    if (end + 1 === chunk.length) {
      this.afterCR = true;
      return end + 1;
    }
    return chunk[end + 1] === LF ? end + 2 : end + 1;
  }

  private holdPartial(piece: Buffer): void {
    this.partialBytes += piece.length;
    this.checkSize(this.messageLength + this.partialBytes);
    this.partial.push(piece);
  }

  private line(line: string): void {
    if (line.length === 3 && line === 'end') {
      this.finishMessage();
      return;
    }
    if (this.firstLine === undefined) {
      // Storm appends a line only once the message has text, so blank lines ahead of it vanish.
      if (line.length === 0) return;
      this.firstLine = line;
    } else {
      (this.moreLines ??= []).push(line);
    }
    this.messageLength += line.length + 1;
    this.checkSize(this.messageLength);
  }

  private finishMessage(): void {
    const first = this.firstLine;
    const more = this.moreLines;
    this.firstLine = undefined;
    this.moreLines = undefined;
    this.messageLength = 0;
    if (first === undefined) throw new ProtocolViolation('sent an empty message (an "end" line with no JSON before it)');
    const text = more === undefined ? first : [first, ...more].join('\n');
    this.onMessage(fastAck(text, 0, text.length) ?? fastEmit(text, 0, text.length) ?? parse(text));
  }

  private checkSize(length: number): void {
    if (length > this.maxMessageBytes) {
      throw new ProtocolViolation(`sent a message larger than the limit of ${this.maxMessageBytes} bytes (topo.shell.max.message.bytes)`);
    }
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProtocolViolation(`sent malformed JSON (${(error as Error).message}): ${excerpt(text)}`);
  }
}

/** Whether the line at `at` is exactly "end" and ends within `text` (text always ends with a line end). */
function isEndLine(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 101 || text.charCodeAt(at + 1) !== 110 || text.charCodeAt(at + 2) !== 100) return false;
  const after = text.charCodeAt(at + 3);
  return after === 10 || after === 13;
}

const ACK_PREFIX = '{"command":"ack","id":"';

/**
 * An ack written exactly as Topo's adapters write one, read from `text` between `start`
 * and `end` without JSON.parse (the most frequent message, and a fifth of the cost);
 * undefined for anything else, which then goes through JSON.parse and yields the same object.
 */
function fastAck(text: string, start: number, end: number): { command: 'ack'; id: string } | undefined {
  const close = end - 2;
  const idStart = start + ACK_PREFIX.length;
  if (close < idStart || !text.startsWith(ACK_PREFIX, start) || text.charCodeAt(close) !== 34 || text.charCodeAt(close + 1) !== 125) return undefined;
  if (text.indexOf('"', idStart) !== close || !isPlain(text, idStart, close)) return undefined;
  return { command: 'ack', id: text.slice(idStart, close) };
}

const EMIT_PREFIX = '{"command":"emit","anchors":[';
const EMIT_STREAM = '],"stream":"';
const EMIT_TUPLE = '","tuple":';
const EMIT_SUFFIX_NO_IDS = ',"need_task_ids":false}';
const DEFAULT_STREAM_QUOTED = 'default"';

/**
 * An emit written exactly as the TypeScript adapter writes one (`command`, `anchors`,
 * `stream`, `tuple`, `need_task_ids: false`, in that order), read from `text` between
 * `start` and `end`: only the tuple goes through JSON.parse. The fixed text around it, ids
 * and stream without quotes or escapes, and a tuple that parses on its own leave no other
 * reading of the message, so the result is the object JSON.parse would give; anything
 * else returns undefined and takes that path.
 */
function fastEmit(text: string, start: number, end: number): Record<string, unknown> | undefined {
  const suffixStart = end - EMIT_SUFFIX_NO_IDS.length;
  const anchorsStart = start + EMIT_PREFIX.length;
  if (suffixStart < anchorsStart || !text.startsWith(EMIT_PREFIX, start) || !text.startsWith(EMIT_SUFFIX_NO_IDS, suffixStart)) return undefined;
  // The first "]" ends the anchors (a plain id holds none): a search that stops within the line, where one for the whole of EMIT_STREAM would run on through the chunk when this line lacks it.
  const anchorsEnd = text.indexOf(']', anchorsStart);
  if (anchorsEnd === -1 || anchorsEnd > suffixStart || !text.startsWith(EMIT_STREAM, anchorsEnd)) return undefined;
  const anchors = plainStrings(text, anchorsStart, anchorsEnd);
  if (anchors === undefined) return undefined;
  const streamStart = anchorsEnd + EMIT_STREAM.length;
  const streamEnd = text.indexOf('"', streamStart);
  if (streamEnd === -1 || streamEnd > suffixStart || !text.startsWith(EMIT_TUPLE, streamEnd) || !isPlain(text, streamStart, streamEnd)) return undefined;
  const tupleStart = streamEnd + EMIT_TUPLE.length;
  if (tupleStart > suffixStart) return undefined;
  let tuple: unknown;
  try {
    tuple = JSON.parse(text.slice(tupleStart, suffixStart));
  } catch {
    return undefined;
  }
  // The default stream, nearly always named, needs no string of its own.
  const stream = streamEnd - streamStart === 7 && text.startsWith(DEFAULT_STREAM_QUOTED, streamStart) ? DEFAULT_STREAM : text.slice(streamStart, streamEnd);
  return { command: 'emit', anchors, stream, tuple, need_task_ids: false };
}

/** `"a","b"` (or nothing) between `start` and `end` as strings, if none holds a quote, backslash or control character. */
function plainStrings(text: string, start: number, end: number): string[] | undefined {
  const out: string[] = [];
  if (start === end) return out;
  let pos = start;
  for (;;) {
    if (text.charCodeAt(pos) !== 34) return undefined;
    const close = text.indexOf('"', pos + 1);
    if (close === -1 || close >= end || !isPlain(text, pos + 1, close)) return undefined;
    out.push(text.slice(pos + 1, close));
    pos = close + 1;
    if (pos === end) return out;
    if (text.charCodeAt(pos) !== 44) return undefined;
    pos++;
  }
}

function isPlain(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 || c < 32) return false;
  }
  return true;
}

const END = '\nend\n';

/** The constant middle of a tuple message for one source component and stream. */
const tupleHeads = new Map<string | null, Map<string, string>>();

function tupleHead(comp: string | null, stream: string): string {
  let byStream = tupleHeads.get(comp);
  if (byStream === undefined) tupleHeads.set(comp, (byStream = new Map()));
  let head = byStream.get(stream);
  if (head === undefined) byStream.set(stream, (head = `","comp":${comp === null ? 'null' : JSON.stringify(comp)},"stream":${JSON.stringify(stream)},"task":`));
  return head;
}

function jsonTuple(id: string, comp: string | null, stream: string, task: number, values: readonly unknown[]): string {
  // Engine ids are decimal strings and need no escaping; names and values go through JSON.stringify.
  return '{"id":"' + id + tupleHead(comp, stream) + task + ',"tuple":' + JSON.stringify(values) + '}' + END;
}

function jsonEmit(anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): string {
  const message: Record<string, unknown> = { command: 'emit', anchors, stream, tuple: values, need_task_ids: needTaskIds };
  if (task !== undefined) message.task = task;
  return JSON.stringify(message) + END;
}

function jsonFinish(command: 'ack' | 'fail', id: string): string {
  return JSON.stringify({ command, id }) + END;
}

class JsonFrameRun implements FrameRun {
  private text = '';

  addTuple(id: string, comp: string | null, stream: string, task: number, values: readonly unknown[]): void {
    this.text += jsonTuple(id, comp, stream, task, values);
  }

  addEmit(anchors: readonly string[], stream: string, values: readonly unknown[], needTaskIds: boolean, task: number | undefined): void {
    this.text += jsonEmit(anchors, stream, values, needTaskIds, task);
  }

  addFinish(command: 'ack' | 'fail', id: string): void {
    this.text += jsonFinish(command, id);
  }

  take(): string | undefined {
    const text = this.text;
    this.text = '';
    return text.length > 0 ? text : undefined;
  }
}

/** Storm's JSON serializer: compact JSON, then `\nend\n`, one write per message. */
export const jsonSerializer: Serializer = {
  name: 'json',
  createDecoder: (onMessage, maxMessageBytes) => new JsonDecoder(onMessage, maxMessageBytes),
  encode: (message) => JSON.stringify(message) + END,
  encodeTuple: jsonTuple,
  createFrameRun: () => new JsonFrameRun(),
  encodeEmit: jsonEmit,
  encodeFinish: jsonFinish,
};
