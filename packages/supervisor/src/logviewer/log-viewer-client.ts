import { TopoError } from '@topo/topology-dsl';

/** A byte range of a log, as the logviewer answered it. */
export interface LogPage {
  /** Where the range starts in the file. */
  start: number;
  /** The file's size when it was read. */
  size: number;
  data: Buffer;
}

/** A logviewer refused a request, or could not be reached (status 0). */
export class LogViewerError extends TopoError {
  constructor(
    readonly status: number,
    readonly url: string,
    message: string,
  ) {
    super(message, { status, url });
  }
}

/** Reads worker logs from supervisors' logviewers, given the links nimbus lists. */
export class LogViewerClient {
  constructor(private readonly token: string | undefined) {}

  /** The tail of the file a link names, or `length` bytes from `start`. */
  async page(link: string, range: { start?: number; length?: number } = {}): Promise<LogPage> {
    const url = new URL(link);
    if (range.start !== undefined) url.searchParams.set('start', String(range.start));
    if (range.length !== undefined) url.searchParams.set('length', String(range.length));
    let response: Response;
    try {
      response = await fetch(url, { headers: this.token !== undefined ? { authorization: `Bearer ${this.token}` } : {} });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
      throw new LogViewerError(0, url.origin, `cannot reach the logviewer at ${url.origin} (${cause})`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) {
      let reason = body.toString('utf8');
      try {
        reason = (JSON.parse(reason) as { error: string }).error;
      } catch {
        // Not ours: the body as it is.
      }
      throw new LogViewerError(response.status, url.origin, `the logviewer at ${url.origin} answered ${response.status}: ${reason}`);
    }
    return { start: Number(response.headers.get('x-log-start')), size: Number(response.headers.get('x-log-size')), data: body };
  }
}
