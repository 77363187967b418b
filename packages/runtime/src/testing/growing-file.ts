import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A file another process appends lines to, read from where the last read stopped. Tests
 * poll such logs every few milliseconds while a topology writes hundreds of thousands of
 * lines into them: reading the whole file each time made the polling test take a core of
 * its own from the processes under test.
 */
export class GrowingFile {
  private offset = 0;
  /** The start of a line whose end has not been written yet. */
  private partial = '';

  constructor(readonly file: string) {}

  /** The complete lines appended since the last call (none while the file does not exist). */
  newLines(): string[] {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return [];
      const chunk = Buffer.allocUnsafe(size - this.offset);
      const read = readSync(fd, chunk, 0, chunk.length, this.offset);
      this.offset += read;
      const lines = (this.partial + chunk.toString('latin1', 0, read)).split('\n');
      this.partial = lines.pop()!;
      return lines.filter((line) => line !== '');
    } finally {
      closeSync(fd);
    }
  }
}
