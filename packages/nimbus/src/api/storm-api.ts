import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@topo/runtime';
import { printable, TopoError, type ValidationProblem } from '@topo/topology-dsl';
import { ClusterStateError } from '../errors.js';
import { prettyUptime } from '../stats/storm-format.js';
import { componentPage, stormWorker, topologyStats, visualization } from '../stats/storm-views.js';
import type { ApiBackend } from './api-backend.js';
import { componentErrorEntry } from '../stats/storm-error-fields.js';
import type { ApiMount } from './api-mount.js';
import { requireBearer } from './bearer-auth.js';
import { HttpError } from './http-error.js';
import { readJsonBody, sendJson } from './http-json.js';

export type RouteHandler = (req: IncomingMessage, params: string[], query: URLSearchParams) => Promise<unknown>;

export interface ApiRoute {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: RouteHandler;
}

export interface StormApiOptions {
  backend: ApiBackend;
  /** Bearer token every POST needs; none means changes are open (loopback only). */
  token: string | undefined;
  logger: Logger;
  /** Parses a kill or rebalance wait from the path (nimbus bounds it by `nimbus.wait.max.secs`). */
  waitSecs?: (text: string) => number;
  /** More routes (nimbus's upload), tried after the API's own. */
  routes?: ApiRoute[];
  /** Handlers beside the JSON routes: `/metrics`, the web UI's assets at `/`. */
  mounts?: ApiMount[];
  /** What keeps the backing store from answering, if anything: 503 rather than 500. */
  storeProblem?: () => string | undefined;
}

/** Bodies of calls other than uploads are a few numbers. */
const SMALL_BODY_LIMIT = 64 * 1024;
/** Storm's bound on a JSONP callback name, and its shape. */
const CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const STORM_HEADERS = { 'cache-control': 'no-cache, no-store', 'access-control-allow-origin': '*', 'x-content-type-options': 'nosniff' };

/**
 * Storm UI's REST API (`/api/v1/...`) over a backend: nimbus's cluster or a local run.
 * Reads are open; every POST needs the bearer token when one is set. Every answer carries
 * Storm's headers; `?callback=` wraps it as JSONP; errors are `{error, errorMessage}`
 * (and `problems` for a refused submission) with a status saying what went wrong.
 */
export function stormApi(options: StormApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { backend } = options;
  const waitSecs = (text: string | undefined) => (text === undefined ? undefined : (options.waitSecs ?? Number)(text));
  const topology = async (ref: string, query: URLSearchParams) => {
    const { detail, stats } = await backend.topology(ref);
    const window = query.get('window') ?? undefined;
    const sys = sysParam(query);
    const placed = new Map(stats.workers.map((w) => [w.id, w]));
    const workers = (detail.workers ?? []).map((w) => {
      const known = placed.get(w.id);
      return known === undefined ? w : { ...stormWorker(stats, known), ...w };
    });
    return {
      ...detail,
      encodedId: encodeURIComponent(stats.id),
      owner: '',
      uptime: typeof detail.uptimeSeconds === 'number' ? prettyUptime(detail.uptimeSeconds) : undefined,
      ...topologyStats(stats, window, sys),
      workers,
      configuration: stats.configuration,
    };
  };
  const routes: ApiRoute[] = [
    { method: 'GET', pattern: /^\/api\/v1\/cluster\/summary$/, handler: () => backend.clusterSummary() },
    { method: 'GET', pattern: /^\/api\/v1\/nimbus\/summary$/, handler: () => backend.nimbusSummary() },
    { method: 'GET', pattern: /^\/api\/v1\/supervisor\/summary$/, handler: () => backend.supervisorSummary() },
    { method: 'GET', pattern: /^\/api\/v1\/topology\/summary$/, handler: () => backend.topologySummary() },
    { method: 'GET', pattern: /^\/api\/v1\/topology\/([^/]+)$/, handler: (_req, [ref], query) => topology(ref, query) },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/topology\/([^/]+)\/component\/([^/]+)$/,
      handler: async (_req, [ref, component], query) => {
        const { stats } = await backend.topology(ref);
        const page = componentPage(stats, component, query.get('window') ?? undefined, sysParam(query));
        if (page === undefined) throw new HttpError(404, `topology ${stats.name} has no component ${component}`);
        const now = Date.now();
        return { ...page, componentErrors: (await backend.componentErrors(stats.id, component)).map((e) => componentErrorEntry(e, now)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/topology\/([^/]+)\/visualization$/,
      handler: async (_req, [ref], query) => visualization((await backend.topology(ref)).stats, query.get('window') ?? undefined, sysParam(query)),
    },
    { method: 'POST', pattern: /^\/api\/v1\/topology\/([^/]+)\/activate$/, handler: (_req, [ref]) => backend.activate(ref) },
    { method: 'POST', pattern: /^\/api\/v1\/topology\/([^/]+)\/deactivate$/, handler: (_req, [ref]) => backend.deactivate(ref) },
    { method: 'POST', pattern: /^\/api\/v1\/topology\/([^/]+)\/kill(?:\/([^/]+))?$/, handler: (_req, [ref, wait]) => backend.kill(ref, waitSecs(wait)) },
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
        return backend.rebalance(ref, { waitSecs: waitSecs(wait), workers: rebalance.numWorkers, parallelism: rebalance.executors as Record<string, number> | undefined });
      },
    },
    ...(options.routes ?? []),
  ];
  const mounts = [...(options.mounts ?? [])].sort((a, b) => b.prefix.length - a.prefix.length);

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://api');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const matching = routes.filter((r) => r.pattern.test(path));
    const route = matching.find((r) => r.method === req.method);
    const callback = url.searchParams.get('callback');
    const jsonp = callback !== null && callback.length <= 128 && CALLBACK.test(callback) ? callback : undefined;
    const respond = async (): Promise<unknown> => {
      if (route === undefined) {
        for (const mount of mounts) if (path.startsWith(mount.prefix) && (await mount.handle(req, res))) return HANDLED;
        req.resume();
        if (matching.length > 0) throw new HttpError(405, `${req.method} is not allowed on ${path} (use ${matching.map((r) => r.method).join(' or ')})`);
        throw new HttpError(404, `no such endpoint: ${req.method} ${path}`);
      }
      if (route.method === 'POST') requireBearer(req, options.token);
      const params = route.pattern.exec(path)!.slice(1).map((p) => (p === undefined ? p : decodePathPart(p)));
      return route.handler(req, params as string[], url.searchParams);
    };
    respond().then(
      (body) => {
        if (body !== HANDLED) send(res, 200, body, STORM_HEADERS, jsonp);
      },
      (error: unknown) => {
        const { status, body } = errorResponse(error, options.storeProblem?.());
        if (status >= 500 && status !== 503) options.logger.error(`${req.method} ${path}: ${body.error}`);
        const headers: Record<string, string> = { ...STORM_HEADERS, ...(error instanceof HttpError ? error.headers : {}) };
        // A refused body may still be arriving: answer and close rather than read the rest.
        if (!req.complete) headers.connection = 'close';
        if (res.headersSent) res.destroy();
        else send(res, status, body, headers, jsonp);
      },
    );
  };
}

const HANDLED = Symbol('handled by a mount');

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, jsonp: string | undefined): void {
  if (jsonp === undefined) {
    sendJson(res, status, body, headers);
    return;
  }
  const text = `${jsonp}(${JSON.stringify(body)});`;
  res.writeHead(status, { ...headers, 'content-type': 'application/javascript; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Storm's `sys`: the docs say 1/0, its UI sends true/false. */
function sysParam(query: URLSearchParams): boolean {
  const value = query.get('sys');
  return value === '1' || value === 'true';
}

interface ErrorBody {
  error: string;
  errorMessage: string;
  problems?: ValidationProblem[];
}

/**
 * The status and body for an error. Messages echo names from requests (a topology name in
 * a path, a component in a rebalance), so what does not print is escaped: the answer
 * reaches terminals, and 5xx ones the server's log.
 */
function errorResponse(error: unknown, storeProblem: string | undefined): { status: number; body: ErrorBody } {
  const { status, message, problems } = plainError(error, storeProblem);
  const text = printable(message);
  const body: ErrorBody = { error: text, errorMessage: text };
  if (problems !== undefined && problems.length > 0) body.problems = problems.map((p) => ({ ...p, message: printable(p.message) }));
  return { status, body };
}

function plainError(error: unknown, storeProblem: string | undefined): { status: number; message: string; problems?: ValidationProblem[] } {
  if (error instanceof HttpError) return { status: error.status, message: error.message, problems: error.problems };
  if (error instanceof ClusterStateError) return { status: 500, message: error.message };
  if (error instanceof TopoError) return { status: 400, message: error.message };
  // The client's own error ("Stream isn't writeable ...") says nothing about why Redis is away.
  if (storeProblem !== undefined) return { status: 503, message: `cluster state unavailable: ${storeProblem}` };
  return { status: 500, message: error instanceof Error ? error.message : String(error) };
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in ${JSON.stringify(part)}`);
  }
}
