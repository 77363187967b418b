import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@topo/runtime';
import { printable, TopoError, type ValidationProblem } from '@topo/topology-dsl';
import type { ClusterViews } from '../cluster-views.js';
import { ClusterStateError } from '../errors.js';
import type { LogLevelCommands } from '../log-level-commands.js';
import type { TopologyCommands } from '../topology-commands.js';
import { checkedWaitSecs } from '../wait-limit.js';
import { requireBearer } from './bearer-auth.js';
import { HttpError } from './http-error.js';
import { readJsonBody, refuseDeclaredOversize, sendJson } from './http-json.js';
import { UploadGate } from './upload-gate.js';

export interface RestApiOptions {
  views: ClusterViews;
  commands: TopologyCommands;
  logLevels: LogLevelCommands;
  /** Bearer token every change needs; none means changes are open (loopback only). */
  token: string | undefined;
  uploadLimit: number;
  /** Uploads read at once (`nimbus.upload.max.concurrent`). */
  uploadConcurrency: number;
  /** The longest kill or rebalance wait (`nimbus.wait.max.secs`). */
  waitLimit: number;
  logger: Logger;
  /**
   * What keeps the cluster state (Redis) from answering, or undefined while it is up: to
   * tell "store unavailable" (503, saying why) from a fault (500).
   */
  storeProblem: () => string | undefined;
}

/** Bodies of calls other than uploads are a few numbers. */
const SMALL_BODY_LIMIT = 64 * 1024;

type Handler = (req: IncomingMessage, params: string[]) => Promise<unknown>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
}

/**
 * Nimbus's REST API: JSON in and out, on Storm UI's paths where they fit. Reads are
 * open; every POST needs the bearer token when one is configured. Errors are JSON too:
 * `{error, problems?}` with a status that says what went wrong.
 */
export function restApi(options: RestApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { views, commands } = options;
  const uploads = new UploadGate(options.uploadConcurrency);
  const waitSecs = (text: string | undefined) => (text === undefined ? undefined : checkedWaitSecs(text, options.waitLimit));
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/api\/v1\/cluster\/summary$/, handler: () => views.clusterSummary() },
    { method: 'GET', pattern: /^\/api\/v1\/nimbus\/summary$/, handler: () => views.nimbusSummary() },
    { method: 'GET', pattern: /^\/api\/v1\/supervisor\/summary$/, handler: () => views.supervisorSummary() },
    { method: 'GET', pattern: /^\/api\/v1\/topology\/summary$/, handler: () => views.topologySummary() },
    { method: 'GET', pattern: /^\/api\/v1\/topology\/([^/]+)$/, handler: (_req, [ref]) => views.topology(ref) },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/uploadTopology$/,
      handler: async (req) => {
        refuseDeclaredOversize(req, options.uploadLimit);
        const leave = uploads.enter();
        try {
          return await commands.submit(await readJsonBody(req, options.uploadLimit));
        } finally {
          leave();
        }
      },
    },
    { method: 'GET', pattern: /^\/api\/v1\/topology\/([^/]+)\/logconfig$/, handler: (_req, [ref]) => options.logLevels.get(ref) },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/topology\/([^/]+)\/logconfig$/,
      handler: async (req, [ref]) => options.logLevels.set(ref, await readJsonBody(req, SMALL_BODY_LIMIT)),
    },
    { method: 'POST', pattern: /^\/api\/v1\/topology\/([^/]+)\/activate$/, handler: (_req, [ref]) => commands.activate(ref) },
    { method: 'POST', pattern: /^\/api\/v1\/topology\/([^/]+)\/deactivate$/, handler: (_req, [ref]) => commands.deactivate(ref) },
    { method: 'POST', pattern: /^\/api\/v1\/topology\/([^/]+)\/kill(?:\/([^/]+))?$/, handler: (_req, [ref, wait]) => commands.kill(ref, waitSecs(wait)) },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/topology\/([^/]+)\/rebalance(?:\/([^/]+))?$/,
      handler: async (req, [ref, wait]) => {
        const body = (await readJsonBody(req, SMALL_BODY_LIMIT)) as { rebalanceOptions?: { numWorkers?: unknown; executors?: unknown } };
        const rebalance = body?.rebalanceOptions ?? {};
        if (rebalance.numWorkers !== undefined && typeof rebalance.numWorkers !== 'number') throw new HttpError(400, 'rebalanceOptions.numWorkers must be a number');
        if (rebalance.executors !== undefined && (typeof rebalance.executors !== 'object' || rebalance.executors === null)) {
          throw new HttpError(400, 'rebalanceOptions.executors must be an object of component: parallelism');
        }
        return commands.rebalance(ref, {
          waitSecs: waitSecs(wait),
          workers: rebalance.numWorkers,
          parallelism: rebalance.executors as Record<string, number> | undefined,
        });
      },
    },
  ];

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://nimbus');
    const path = url.pathname.replace(/\/+$/, '');
    const matching = routes.filter((r) => r.pattern.test(path));
    const route = matching.find((r) => r.method === req.method);
    const respond = async () => {
      if (route === undefined) {
        req.resume();
        if (matching.length > 0) throw new HttpError(405, `${req.method} is not allowed on ${path} (use ${matching.map((r) => r.method).join(' or ')})`);
        throw new HttpError(404, `no such endpoint: ${req.method} ${path}`);
      }
      if (route.method === 'POST') requireBearer(req, options.token);
      const params = route.pattern.exec(path)!.slice(1).map((p) => (p === undefined ? p : decodePathPart(p)));
      return route.handler(req, params as string[]);
    };
    respond().then(
      (body) => sendJson(res, 200, body),
      (error: unknown) => {
        const { status, body } = errorResponse(error, options.storeProblem());
        if (status >= 500 && status !== 503) options.logger.error(`${req.method} ${path}: ${body.error}`);
        const headers = error instanceof HttpError ? { ...error.headers } : {};
        // A refused body may still be arriving: answer and close rather than read the rest.
        if (!req.complete) headers.connection = 'close';
        sendJson(res, status, body, headers);
      },
    );
  };
}

/**
 * The status and body for an error. Messages echo names from requests (a topology name in
 * a path, a component in a rebalance), so what does not print is escaped: the answer
 * reaches terminals, and 5xx ones this nimbus's log.
 */
function errorResponse(error: unknown, storeProblem: string | undefined): { status: number; body: { error: string; problems?: ValidationProblem[] } } {
  const { status, body } = plainErrorResponse(error, storeProblem);
  const escaped = { ...body, error: printable(body.error) };
  if (body.problems !== undefined) escaped.problems = body.problems.map((p) => ({ ...p, message: printable(p.message) }));
  return { status, body: escaped };
}

function plainErrorResponse(error: unknown, storeProblem: string | undefined): { status: number; body: { error: string; problems?: ValidationProblem[] } } {
  if (error instanceof HttpError) return { status: error.status, body: error.problems.length > 0 ? { error: error.message, problems: error.problems } : { error: error.message } };
  if (error instanceof ClusterStateError) return { status: 500, body: { error: error.message } };
  if (error instanceof TopoError) return { status: 400, body: { error: error.message } };
  // The client's own error ("Stream isn't writeable ...") says nothing about why Redis is away.
  if (storeProblem !== undefined) return { status: 503, body: { error: `cluster state unavailable: ${storeProblem}` } };
  return { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in ${JSON.stringify(part)}`);
  }
}
