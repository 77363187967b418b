import type { FrameRun } from './serializer.js';

/** Where a FrameWriter's batches go; returns false when the destination wants a pause. */
export type FrameSink = (data: string | Buffer) => boolean;

/**
 * What a pipe's write buffer may hold before its writer pauses. A stream's own limit
 * (16 KiB) is below one pipe's capacity (64 KiB), so pausing there makes the two
 * processes take turns; with room for two pipefuls, each keeps working while the other
 * catches up. More is worse: with 1 MiB the pass-through bench ran 10 to 20% slower and
 * with 8 MiB at half speed, the writer's queue of pending chunks costing more CPU per
 * tuple than the waits it saves.
 */
export const WRITE_BUFFER_LIMIT = 1 << 17;

/** Writes to a stream, reporting it full only past WRITE_BUFFER_LIMIT (its 'drain' still follows, as it is past its own limit too). */
export function streamSink(stream: { write(data: string | Buffer): boolean; readonly writableLength: number }): FrameSink {
  return (data) => {
    stream.write(data);
    return stream.writableLength < WRITE_BUFFER_LIMIT;
  };
}

/**
 * Batches frames: everything written during one turn of the event loop goes out in a
 * single write, flushed in a microtask (or at once with `flush()`). Text frames are
 * concatenated as text, byte frames as bytes. Hot messages may be appended straight
 * to an attached FrameRun instead (then call `appended()`); what it holds goes out ahead
 * of the next frame written, so the order of messages is kept.
 */
export class FrameWriter {
  private text = '';
  private buffers: Buffer[] = [];
  private scheduled = false;
  private run: FrameRun | undefined;
  /** The last write was refused: the destination is full until it drains. */
  full = false;

  constructor(private readonly sink: FrameSink) {}

  /** Where the caller appends hot messages from now on (once the wire format is known). */
  attach(run: FrameRun): void {
    this.run = run;
  }

  /** Something was appended to the attached run: it goes out with this turn's frames. */
  appended(): void {
    this.schedule();
  }

  write(frame: string | Buffer): void {
    this.takeRun();
    this.add(frame);
    this.schedule();
  }

  /** Frames are kept in order: as text while all are strings, as buffers once one is bytes (a JSON run is bytes, other JSON frames text). */
  private add(frame: string | Buffer): void {
    if (typeof frame === 'string') {
      if (this.buffers.length === 0) this.text += frame;
      else this.buffers.push(Buffer.from(frame));
      return;
    }
    if (this.text.length > 0) {
      this.buffers.push(Buffer.from(this.text));
      this.text = '';
    }
    this.buffers.push(frame);
  }

  private takeRun(): void {
    const frame = this.run?.take();
    if (frame !== undefined) this.add(frame);
  }

  private schedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushLater);
    }
  }

  private readonly flushLater = (): void => {
    this.scheduled = false;
    this.flush();
  };

  flush(): void {
    this.takeRun();
    if (this.text.length > 0) {
      const text = this.text;
      this.text = '';
      if (!this.sink(text)) this.full = true;
    } else if (this.buffers.length > 0) {
      const data = this.buffers.length === 1 ? this.buffers[0] : joined(this.buffers);
      this.buffers = [];
      if (!this.sink(data)) this.full = true;
    }
  }

  /** Drops what has not been written (the destination is gone). */
  discard(): void {
    this.takeRun();
    this.text = '';
    this.buffers = [];
  }
}

/** `parts` as one buffer: a view when they lie back to back in one allocation (as the msgpack writer leaves them), else a copy. */
function joined(parts: Buffer[]): Buffer {
  const first = parts[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    if (part.buffer !== first.buffer || part.byteOffset !== end) return Buffer.concat(parts);
    end += part.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
