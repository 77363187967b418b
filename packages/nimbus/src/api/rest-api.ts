import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@topo/runtime';
import type { ClusterViews } from '../cluster-views.js';
import type { LogLevelCommands } from '../log-level-commands.js';
import type { TopologyCommands } from '../topology-commands.js';
import { checkedWaitSecs } from '../wait-limit.js';
import type { ApiBackend } from './api-backend.js';
import type { ApiMount } from './api-mount.js';
import { refuseDeclaredOversize, readJsonBody } from './http-json.js';
import { metricsMount } from './metrics-mount.js';
import { stormApi } from './storm-api.js';
import { UploadGate } from './upload-gate.js';

export interface RestApiOptions {
  views: ClusterViews;
  commands: TopologyCommands;
  /** Storm's dynamic log levels (`/api/v1/topology/:id/logconfig`), which only a cluster has. */
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
  /** Handlers beside the API (the web UI's assets at `/`); `/metrics` is always there. */
  mounts?: ApiMount[];
}

/**
 * Nimbus's HTTP API: Storm UI's REST paths over the cluster state (any nimbus answers
 * reads from Redis), the upload of bundles, and `/metrics` for every topology.
 */
/** A logconfig body names a few loggers. */
const LOG_CONFIG_BODY_LIMIT = 64 * 1024;

export function restApi(options: RestApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { views, commands } = options;
  const uploads = new UploadGate(options.uploadConcurrency);
  const backend: ApiBackend = {
    clusterSummary: () => views.clusterSummary(),
    nimbusSummary: () => views.nimbusSummary(),
    supervisorSummary: () => views.supervisorSummary(),
    topologySummary: () => views.topologySummary(),
    topology: async (ref) => {
      const { detail, stats } = await views.topologyView(ref);
      return { detail: { ...detail }, stats };
    },
    statsTopologies: () => views.statsTopologies(),
    componentErrors: (id, component) => views.componentErrors(id, component),
    activate: (ref) => commands.activate(ref),
    deactivate: (ref) => commands.deactivate(ref),
    kill: (ref, waitSecs) => commands.kill(ref, waitSecs),
    rebalance: (ref, request) => commands.rebalance(ref, request),
  };
  return stormApi({
    backend,
    token: options.token,
    logger: options.logger,
    storeProblem: options.storeProblem,
    waitSecs: (text) => checkedWaitSecs(text, options.waitLimit),
    mounts: [metricsMount(backend), ...(options.mounts ?? [])],
    routes: [
      { method: 'GET', pattern: /^\/api\/v1\/topology\/([^/]+)\/logconfig$/, handler: (_req, [ref]) => options.logLevels.get(ref) },
      {
        method: 'POST',
        pattern: /^\/api\/v1\/topology\/([^/]+)\/logconfig$/,
        handler: async (req, [ref]) => options.logLevels.set(ref, await readJsonBody(req, LOG_CONFIG_BODY_LIMIT)),
      },
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
    ],
  });
}
