import { HOT, type BoltOutputSink } from './bolt-output.js';
import { FlatJsonReader } from './flat-json-reader.js';
import { NOT_FLAT } from './flat-message.js';
import { JsonWriter } from './json-writer.js';
import { excerpt, ProtocolViolation } from './protocol-violation.js';
import type { FrameRun, MessageDecoder, Serializer } from './serializer.js';

const LF = 10;
const CR = 13;

/**
 * Storm's JSON framing as its engine reads it: lines ended by LF, CR or CRLF, gathered
 * until a line that is exactly `end`, joined with `\n` and parsed as one value (blank
 * lines before the first line of a message are dropped, as Storm drops them).
 *
 * Each byte is looked at once. The complete lines of a chunk are split with `indexOf`
 * from where the last search stopped. A message on one line (nearly all of them) is read
 * from the bytes by a FlatJsonReader, or else its line is decoded to text for JSON.parse;
 * an unfinished line is kept as a list of chunk slices, concatenated once when it ends.
 * A message larger than `maxMessageBytes` is rejected as soon as it grows past the limit,
 * so a runaway component cannot exhaust memory (bytes while a line arrives, characters
 * once decoded).
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
  private readonly flat: FlatJsonReader;

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly maxMessageBytes: number,
    private readonly boltOutput?: BoltOutputSink,
  ) {
    this.flat = new FlatJsonReader(boltOutput !== undefined);
  }

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
      this.lines_(chunk, pos, last + 1);
      pos = last + 1;
      if (chunk[last] === CR && pos === chunk.length) this.afterCR = true;
    }
    if (pos < chunk.length) this.holdPartial(chunk.subarray(pos));
  }

  /**
   * Splits the bytes of `chunk` from `pos` to `n`, which end with a line end, into lines
   * (LF, CR or CRLF). A one-line message with its "end" line after it is read where it
   * lies by the flat reader, which covers nearly all traffic; other lines become text.
   */
  private lines_(chunk: Buffer, pos: number, n: number): void {
    let nextLF = -2;
    let nextCR = -2;
    while (pos < n) {
      if (nextLF !== -1 && nextLF < pos) nextLF = chunk.indexOf(LF, pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = chunk.indexOf(CR, pos);
      const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
      let next = end + 1;
      if (chunk[end] === CR && next < n && chunk[next] === LF) next++;
      if (this.firstLine === undefined && end - pos <= this.maxMessageBytes && isEndLine(chunk, next, n)) {
        const message = this.flat.read(chunk, pos, end);
        if (message !== NOT_FLAT) {
          pos = next + 4;
          if (chunk[next + 3] === CR && pos < n && chunk[pos] === LF) pos++;
          if (message === HOT) this.flat.hot.deliver(this.boltOutput!);
          else this.onMessage(message);
          continue;
        }
      }
      if (isEndLine(chunk, pos, n)) this.finishMessage();
      // UTF-8 never encodes a character with the bytes of LF or CR, so a line's bytes are whole characters.
      else this.line(chunk.toString('utf8', pos, end));
      pos = next;
    }
  }

  unfinished(): string | undefined {
    if (this.firstLine === undefined && this.partialBytes === 0) return undefined;
    return `${this.messageLength + this.partialBytes} bytes of a message with no "end" line after them`;
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
    this.onMessage(parse(text));
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

/** Whether the line at `at` of `chunk` is exactly "end" and ends before `n` (the bytes up to `n` end with a line end). */
function isEndLine(chunk: Buffer, at: number, n: number): boolean {
  if (at + 3 >= n || chunk[at] !== 101 || chunk[at + 1] !== 110 || chunk[at + 2] !== 100) return false;
  const after = chunk[at + 3];
  return after === LF || after === CR;
}

const END = '\nend\n';
const writer = new JsonWriter();

/** Storm's JSON serializer: compact JSON, then `\nend\n`, one write per message. */
export const jsonSerializer: Serializer = {
  name: 'json',
  createDecoder: (onMessage, maxMessageBytes, boltOutput) => new JsonDecoder(onMessage, maxMessageBytes, boltOutput),
  encode: (message) => JSON.stringify(message) + END,
  encodeTuple: (id, comp, stream, task, values) => writer.tuple(id, comp, stream, task, values),
  createFrameRun: (): FrameRun => new JsonWriter(),
  encodeEmit: (anchors, stream, values, needTaskIds, task) => writer.emit(anchors, stream, values, needTaskIds, task),
  encodeFinish: (command, id) => writer.finish(command, id),
};
