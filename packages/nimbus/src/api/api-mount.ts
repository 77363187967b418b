import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A handler plugged into the HTTP API beside its JSON routes: `/metrics`, or the web UI's
 * static assets at `/`. The API tries its own routes first, then mounts in order, longest
 * prefix first; a mount answers by returning true.
 */
export interface ApiMount {
  /** Path prefix it serves (`/metrics`, `/`). */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean>;
}
