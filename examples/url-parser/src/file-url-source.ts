import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TopoError } from '@topo/topology-dsl';
import type { UrlSource } from './url-source.js';

/** The URLs shipped with the example, found next to this module whatever the cwd. */
export const BUNDLED_URLS_FILE = fileURLToPath(new URL('../data/urls.txt', import.meta.url));

/**
 * The non-blank lines of a file, in order; with `loop` it starts over at the end, which
 * turns a few thousand URLs into an endless stream for load and replay experiments.
 */
export class FileUrlSource implements UrlSource {
  readonly lines: readonly string[];
  private index = 0;

  constructor(
    readonly file: string,
    private readonly options: { loop: boolean },
  ) {
    const absolute = path.resolve(file);
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new TopoError(`cannot read URL file ${absolute}: ${error instanceof Error ? error.message : String(error)}`, { file: absolute, cause: error });
    }
    this.lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (this.lines.length === 0) throw new TopoError(`URL file ${absolute} has no URLs`, { file: absolute });
  }

  get ended(): boolean {
    return !this.options.loop && this.index >= this.lines.length;
  }

  next(): string | undefined {
    if (this.index >= this.lines.length) {
      if (!this.options.loop) return undefined;
      this.index = 0;
    }
    return this.lines[this.index++];
  }

  close(): void {}
}
