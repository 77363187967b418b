import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TopoError } from '@topo/topology-dsl';
import type { UrlSource } from './url-source.js';

/** The URLs shipped with the example, found next to this module whatever the cwd. */
export const BUNDLED_URLS_FILE = fileURLToPath(new URL('../data/urls.txt', import.meta.url));

/** Which lines of a file one of several spout tasks reads: those whose position modulo `of` is `index`. */
export interface FileShare {
  index: number;
  of: number;
}

/**
 * The non-blank lines of a file, in order; with `loop` it starts over at the end, which
 * turns a few thousand URLs into an endless stream for load and replay experiments.
 * With a `share`, only every `of`-th line from `index` on, so that the tasks of a spout
 * read the file once between them rather than once each.
 *
 * Its `position` is how many lines it has returned (passes included when looping), which
 * `rewind` goes back to: what makes FileUrlSpout rewindable.
 */
export class FileUrlSource implements UrlSource {
  readonly lines: readonly string[];
  private read = 0;

  constructor(
    readonly file: string,
    private readonly options: { loop: boolean; share?: FileShare },
  ) {
    const absolute = path.resolve(file);
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new TopoError(`cannot read URL file ${absolute}: ${error instanceof Error ? error.message : String(error)}`, { file: absolute, cause: error });
    }
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (lines.length === 0) throw new TopoError(`URL file ${absolute} has no URLs`, { file: absolute });
    const share = options.share;
    this.lines = share === undefined || share.of === 1 ? lines : lines.filter((_, i) => i % share.of === share.index);
  }

  get ended(): boolean {
    return !this.options.loop && this.read >= this.lines.length;
  }

  next(): string | undefined {
    if (this.ended) return undefined;
    return this.lineAt(this.read++);
  }

  /** How many lines `next()` has returned: the number of the line it returns next, counting from 0. */
  get position(): number {
    return this.read;
  }

  /** Continues with line number `position` (0: from the start); the lines after it are returned again. */
  rewind(position: number): void {
    this.read = position;
  }

  /** The line `next()` returns as line number `n`. */
  lineAt(n: number): string {
    return this.lines[n % this.lines.length];
  }

  close(): void {}
}
