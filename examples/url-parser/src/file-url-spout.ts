import { Spout, TopoError } from '@topo/topology-dsl';
import type { FileUrlSource } from './file-url-source.js';
import { SOURCE_KEY, fileUrlSourceFromConfig } from './url-source.js';

/**
 * Where a FileUrlSpout task is: `line` is the number of the next line it reads (lines
 * before it were all emitted), `failed` the lines whose trees failed and were not acked
 * since (only at-least-once topologies call `fail`), which a rewind emits again first.
 */
export interface FilePosition {
  line: number;
  failed: number[];
}

/**
 * UrlSpout's file source as a rewindable spout: in a stateful topology its position (a
 * line number in the task's share of the file) is saved with every checkpoint, and a
 * rollback or a restart rewinds it there, so the lines after it are emitted again and
 * the ones before are not. The message id is the line number, so a failed line is found
 * again without holding its URL. Reads `urlparser.file` and `urlparser.loop` as UrlSpout
 * does; stdin cannot rewind, so `urlparser.source` must be `file`.
 */
export class FileUrlSpout extends Spout {
  static outputs = ['url'] as const;

  private source!: FileUrlSource;
  private replays: number[] = [];
  private failed = new Set<number>();
  private reportedEnd = false;

  open(): void {
    const { componentId, taskIndex, componentTasks, config } = this.context;
    const kind = config[SOURCE_KEY] ?? 'file';
    if (kind !== 'file') {
      throw new TopoError(`${componentId}: FileUrlSpout reads files only (it rewinds to a line number); ${SOURCE_KEY} is ${JSON.stringify(kind)}`, { component: componentId, configKey: SOURCE_KEY });
    }
    this.source = fileUrlSourceFromConfig(config, componentId, { index: taskIndex, of: componentTasks.length });
  }

  nextTuple(): void {
    let line = this.replays.shift();
    if (line === undefined && !this.source.ended) {
      line = this.source.position;
      this.source.next();
    }
    if (line !== undefined) {
      this.emit([this.source.lineAt(line)], { msgId: line });
      return;
    }
    // Said on every call with nothing left: a failed tree undoes it until the replay is emitted.
    this.markDone();
    if (!this.reportedEnd) {
      this.reportedEnd = true;
      this.context.log('info', `source ended after ${this.source.position} URLs`);
    }
  }

  ack(msgId: unknown): void {
    this.failed.delete(msgId as number);
  }

  fail(msgId: unknown): void {
    this.failed.add(msgId as number);
    this.replays.push(msgId as number);
  }

  position(): FilePosition {
    return { line: this.source.position, failed: [...this.failed] };
  }

  /** Continues from `position` (the start when undefined): its failed lines first, then the lines from `line` on. */
  rewind(position: unknown): void {
    const { line, failed } = this.positionOf(position);
    this.source.rewind(line);
    this.failed = new Set(failed);
    this.replays = [...failed].sort((a, b) => a - b);
    this.reportedEnd = false;
  }

  close(): void {
    this.source.close();
  }

  private positionOf(position: unknown): FilePosition {
    if (position === undefined || position === null) return { line: 0, failed: [] };
    const p = position as Partial<FilePosition>;
    const isLine = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
    if (typeof p === 'object' && isLine(p.line) && Array.isArray(p.failed) && p.failed.every(isLine)) return { line: p.line, failed: p.failed };
    const component = this.context.componentId;
    throw new TopoError(`${component}: cannot rewind to ${JSON.stringify(position)}, which is not a position of FileUrlSpout ({ line, failed } with line numbers)`, { component });
  }
}
