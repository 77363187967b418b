import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { DestinationStream } from 'pino';

export interface RotationLimits {
  /** `topo.worker.log.max.bytes`: the live file is rolled before it would pass this. */
  maxBytes: number;
  /** `topo.worker.log.max.files`: rolled files kept (`worker.log.1` newest .. `.N` oldest). */
  maxFiles: number;
}

/** Storm's worker.xml: 100 MB a file, 9 rolled files kept (about 1 GB per worker). */
export const DEFAULT_ROTATION: RotationLimits = { maxBytes: 100 * 1024 * 1024, maxFiles: 9 };

/**
 * A log file that rolls by size as Storm's worker.xml does: `worker.log` is renamed to
 * `worker.log.1` (the older ones shifted up, the oldest past `maxFiles` deleted) before
 * a write would take it past `maxBytes`, so a worker's logs never take more than
 * `maxBytes × (maxFiles + 1)` of disk, whatever its components log. Writes are
 * synchronous: a line is on disk when the call returns, so a crash loses nothing, and
 * logging stays off the hot paths (errors are throttled before they get here).
 */
export class RotatingFile implements DestinationStream {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly limits: RotationLimits = DEFAULT_ROTATION,
  ) {
    if (!(limits.maxBytes > 0) || !Number.isInteger(limits.maxFiles) || limits.maxFiles < 0) {
      throw new RangeError(`log rotation for ${file}: max bytes must be > 0 and max files an integer >= 0 (got ${limits.maxBytes} and ${limits.maxFiles})`);
    }
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
    this.size = fstatSync(this.fd).size;
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.limits.maxBytes) this.roll();
    writeSync(this.fd, line);
    this.size += bytes;
  }

  close(): void {
    closeSync(this.fd);
  }

  private roll(): void {
    closeSync(this.fd);
    const { maxFiles } = this.limits;
    rmSync(`${this.file}.${maxFiles}`, { force: true });
    for (let i = maxFiles - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (maxFiles > 0) renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, maxFiles > 0 ? 'a' : 'w');
    this.size = 0;
  }
}
