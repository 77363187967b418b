/** Bytes of each chunk messages are written into; a message larger than this gets a chunk of its own. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes messages back to back into shared chunks and hands out what was written as views:
 * the base of the serializers' writers. Views stay valid, as a full chunk is left to them
 * and a fresh one started. A subclass writes each message with a `try*` method that
 * returns its end offset, or -1 when the chunk is too small, and retries in `fresh` chunks.
 */
export abstract class ChunkWriter {
  protected chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  protected pos = 0;
  /** Where the bytes written and not yet taken begin, and those of them in earlier chunks. */
  private untaken = 0;
  private readonly untakenPieces: Buffer[] = [];

  /** Everything written since the last take, as one buffer; undefined if nothing was. */
  take(): Buffer | undefined {
    const pieces = this.untakenPieces;
    const last = this.pos > this.untaken ? this.chunk.subarray(this.untaken, this.pos) : undefined;
    this.untaken = this.pos;
    if (pieces.length === 0) return last;
    if (last !== undefined) pieces.push(last);
    const all = Buffer.concat(pieces);
    pieces.length = 0;
    return all;
  }

  /** The rest of the chunk was too small: a fresh one, four times bigger each time the message still does not fit. */
  protected fresh(attempt: number): number {
    if (this.pos > this.untaken) this.untakenPieces.push(this.chunk.subarray(this.untaken, this.pos));
    this.chunk = Buffer.allocUnsafe(attempt === 0 ? CHUNK_BYTES : this.chunk.length * 4);
    this.pos = this.untaken = 0;
    return 0;
  }
}

/** Copies `bytes` into `buf` at `at` (a loop: faster than `set` for the few bytes of a key); returns the end. */
export function copy(buf: Buffer, at: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) buf[at + i] = bytes[i];
  return at + bytes.length;
}
