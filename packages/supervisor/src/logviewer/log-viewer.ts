import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HttpError, isLoopback, requireBearer, sendJson } from '@topo/nimbus';
import type { Logger } from '@topo/runtime';
import { printable, TopoError } from '@topo/topology-dsl';
import { resolveLogFile } from './log-file-path.js';
import { searchLog } from './log-search.js';

export interface LogViewerOptions {
  /** The folder it serves: the supervisor's worker logs. */
  root: string;
  /** Address to listen on (default 127.0.0.1); anything but loopback needs a token. */
  host?: string;
  /** `logviewer.port` (Storm's default 8000); 0 picks a free one. */
  port: number;
  /** The cluster's bearer token; every request must carry it when set. */
  token?: string;
  logger: Logger;
}

/** Storm's logviewer: a page is 51,200 bytes unless asked otherwise, and never more than 10 MiB. */
export const DEFAULT_PAGE_BYTES = 51_200;
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;
/** Storm refuses longer search strings. */
const MAX_SEARCH_BYTES = 1024;

/**
 * A supervisor's logviewer, on Storm's paths: `/api/v1/log` (a byte range of a worker's
 * log, its tail by default), `/api/v1/search` (matches with their byte offsets and
 * context) and `/api/v1/listLogs`. It serves only the worker logs under its folder
 * (see resolveLogFile), to callers with the cluster's token. A page is the raw bytes
 * (JSON lines), with its place in the file in headers, so that a client following a
 * file asks for the next range.
 */
export class LogViewer {
  private constructor(
    private readonly server: Server,
    /** Where the viewer is reached, e.g. `http://127.0.0.1:8000`. */
    readonly url: string,
  ) {}

  static async start(options: LogViewerOptions): Promise<LogViewer> {
    const host = LogViewer.checkAddress(options.host, options.token);
    const server = createServer((req, res) => handle(options, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new TopoError(`the logviewer cannot listen on ${host}:${options.port}: ${error.code ?? error.message}`, { host, port: options.port })));
      server.listen(options.port, host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    return new LogViewer(server, `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  }

  /** The address to listen on; refused (TopoError) when it is reachable from other machines and there is no token. */
  static checkAddress(host = '127.0.0.1', token: string | undefined): string {
    if (token === undefined && !isLoopback(host)) {
      throw new TopoError(`refusing to serve worker logs on ${host} without a token: anyone who can reach it could read them; pass --token (or TOPO_TOKEN), or listen on 127.0.0.1`, { host });
    }
    return host;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function handle(options: LogViewerOptions, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://logviewer');
  req.resume();
  try {
    if (req.method !== 'GET') throw new HttpError(405, `${req.method} is not allowed on the logviewer (it only reads)`);
    requireBearer(req, options.token);
    switch (url.pathname.replace(/\/+$/, '')) {
      case '/api/v1/log':
        return sendPage(res, resolveLogFile(options.root, url.searchParams.get('file')), url.searchParams);
      case '/api/v1/search':
        return sendJson(res, 200, search(resolveLogFile(options.root, url.searchParams.get('file')), url.searchParams));
      case '/api/v1/listLogs':
        return sendJson(res, 200, listLogs(options.root, url.searchParams.get('topoId'), url.searchParams.get('port')));
      default:
        throw new HttpError(404, `no such endpoint: ${url.pathname}`);
    }
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const message = printable(error instanceof Error ? error.message : String(error));
    if (status >= 500) options.logger.error(error, `logviewer: ${req.method} ${url.pathname}: ${message}`);
    sendJson(res, status, { error: message });
  }
}

/** A whole number parameter, or undefined when absent; 400 naming it otherwise. */
function integerParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new HttpError(400, `${name} must be a whole number of bytes, got ${JSON.stringify(text)}`);
  return Number(text);
}

function sendPage(res: ServerResponse, file: string, params: URLSearchParams): void {
  const length = Math.min(integerParam(params, 'length') ?? DEFAULT_PAGE_BYTES, MAX_PAGE_BYTES);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const asked = integerParam(params, 'start');
    if (asked !== undefined && asked > size) throw new HttpError(400, `start ${asked} is past the end of the file (${size} bytes); it may have been rolled`);
    const start = asked ?? Math.max(0, size - length);
    const page = Buffer.alloc(Math.min(length, size - start));
    const read = readSync(fd, page, 0, page.length, start);
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': read,
      'cache-control': 'no-cache, no-store',
      'x-content-type-options': 'nosniff',
      'x-log-start': String(start),
      'x-log-size': String(size),
    });
    res.end(page.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

function search(file: string, params: URLSearchParams): ReturnType<typeof searchLog> {
  const needle = params.get('search-string') ?? '';
  const bytes = Buffer.byteLength(needle);
  if (bytes < 1 || bytes > MAX_SEARCH_BYTES) throw new HttpError(400, `search-string must be 1 to ${MAX_SEARCH_BYTES} bytes, got ${bytes}`);
  const numMatches = integerParam(params, 'num-matches') ?? 10;
  if (numMatches < 1) throw new HttpError(400, 'num-matches must be at least 1');
  return searchLog(file, needle, integerParam(params, 'start-byte-offset') ?? 0, numMatches);
}

/** The served files (`<topologyId>/<port>/<name>`), of one topology and port when asked. */
function listLogs(root: string, topology: string | null, port: string | null): string[] {
  const entries = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const files: string[] = [];
  for (const t of topology !== null && topology !== '' ? [topology] : entries(root)) {
    for (const p of port !== null && port !== '' ? [port] : entries(path.join(root, t))) {
      for (const name of entries(path.join(root, t, p))) {
        const file = `${t}/${p}/${name}`;
        try {
          resolveLogFile(root, file);
          files.push(file);
        } catch {
          // Not a worker log (or a name that leads elsewhere): not listed.
        }
      }
    }
  }
  return files.sort();
}
