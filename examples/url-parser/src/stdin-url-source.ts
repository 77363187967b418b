import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { UrlSource } from './url-source.js';

/** Lines read ahead of the spout; past this the stream is paused, so memory stays bounded. */
const MAX_BUFFERED = 1024;

/**
 * Non-blank lines of a stream (stdin in the topology), as they arrive; ends when the
 * stream does. `next()` never waits: with nothing buffered it returns `undefined` and
 * the spout is asked again later.
 */
export class StdinUrlSource implements UrlSource {
  private readonly buffer: string[] = [];
  private readonly lines: Interface;
  private paused = false;
  private inputEnded = false;

  constructor(input: Readable) {
    this.lines = createInterface({ input, crlfDelay: Infinity });
    this.lines.on('line', (line) => {
      if (line.trim() === '') return;
      this.buffer.push(line);
      if (this.buffer.length >= MAX_BUFFERED && !this.paused) {
        this.paused = true;
        this.lines.pause();
      }
    });
    this.lines.on('close', () => {
      this.inputEnded = true;
    });
  }

  get ended(): boolean {
    return this.inputEnded && this.buffer.length === 0;
  }

  next(): string | undefined {
    const line = this.buffer.shift();
    if (this.paused && this.buffer.length < MAX_BUFFERED / 2) {
      this.paused = false;
      this.lines.resume();
    }
    return line;
  }

  close(): void {
    this.lines.close();
  }
}
