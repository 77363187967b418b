import { TopoError } from '@topo/topology-dsl';

/** Frames are `[u32 length][u8 type][payload]`, the length counting type and payload. */
export const FRAME_HEADER_BYTES = 4;

/** Bytes in front of a frame's payload: the length and the type. */
export const FRAME_PREFIX_BYTES = FRAME_HEADER_BYTES + 1;

/** Writes the header into the first FRAME_PREFIX_BYTES of `frame`, whose payload follows them (no copy). */
export function sealFrame(frame: Buffer, type: number): Buffer {
  frame.writeUInt32BE(frame.length - FRAME_HEADER_BYTES, 0);
  frame[FRAME_HEADER_BYTES] = type;
  return frame;
}

export function encodeFrame(type: number, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + 1 + payload.length);
  frame.writeUInt32BE(payload.length + 1, 0);
  frame[4] = type;
  frame.set(payload, 5);
  return frame;
}

/**
 * Splits a byte stream into frames. Chunks are kept as they arrive and each frame is
 * copied out once when complete, so a large frame costs linear time, never a rescan.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private needed = -1;

  /**
   * `limitName` follows the limit in errors, saying where it comes from (e.g.
   * `(topo.worker.max.frame.bytes)`). The limit may change between frames (setLimit), so
   * that a connection buffers little until its peer has proved who it is.
   */
  constructor(
    private maxFrameBytes: number,
    private readonly onFrame: (type: number, payload: Buffer) => void,
    private limitName = '',
  ) {}

  /** The limit for every frame whose header has not been read yet, including the rest of the current chunk's. */
  setLimit(maxFrameBytes: number, limitName: string): void {
    this.maxFrameBytes = maxFrameBytes;
    this.limitName = limitName;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.needed < 0) {
        if (this.buffered < FRAME_HEADER_BYTES) return;
        const length = this.take(FRAME_HEADER_BYTES).readUInt32BE(0);
        if (length === 0) throw new TopoError('frame header says 0 bytes, but every frame holds at least its type byte', { length });
        if (length > this.maxFrameBytes) {
          throw new TopoError(`frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}${this.limitName === '' ? '' : ` ${this.limitName}`}`, { length });
        }
        this.needed = length;
      }
      if (this.buffered < this.needed) return;
      const frame = this.take(this.needed);
      this.needed = -1;
      this.onFrame(frame[0], frame.subarray(1));
    }
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.chunks[0];
        const part = Math.min(chunk.length, n - filled);
        chunk.copy(out, filled, 0, part);
        filled += part;
        if (part === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(part);
      }
    }
    this.buffered -= n;
    return out;
  }
}
