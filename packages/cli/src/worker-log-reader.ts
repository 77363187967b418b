import { parseLogLine, type LogRecord } from '@topo/runtime';
import { LogViewerError, MAX_PAGE_BYTES, type LogViewerClient } from '@topo/supervisor';

/**
 * One worker's log as `topo logs` reads it through its supervisor's logviewer: first
 * its tail (`firstBytes` of it), then, on each `next()`, what was written since. A line
 * cut by a page end waits for the rest; a file rolled since the last read is read again
 * from its start.
 */
export class WorkerLogReader {
  private offset: number | undefined;
  private partial = '';

  constructor(
    readonly worker: string,
    private readonly link: string,
    private readonly client: LogViewerClient,
    private readonly firstBytes: number,
  ) {}

  /** The whole lines written since the last call (the tail, the first time). */
  async next(): Promise<LogRecord[]> {
    const first = this.offset === undefined;
    let page;
    try {
      page = await this.client.page(this.link, first ? { length: this.firstBytes } : { start: this.offset, length: MAX_PAGE_BYTES });
    } catch (error) {
      // Past the end: the file was rolled (and is shorter now); its new lines are at its start.
      if (!(error instanceof LogViewerError && error.status === 400 && /past the end/.test(error.message))) throw error;
      this.partial = '';
      page = await this.client.page(this.link, { start: 0, length: MAX_PAGE_BYTES });
    }
    this.offset = page.start + page.data.length;
    const lines = (this.partial + page.data.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    // A tail starting mid-file starts mid-line.
    if (first && page.start > 0) lines.shift();
    return lines.flatMap((line) => parseLogLine(line) ?? []);
  }
}
