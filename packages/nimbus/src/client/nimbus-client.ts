import type { LogConfig } from '../state/log-config.js';
import type { ValidationProblem } from '@topo/topology-dsl';
import type { Submission } from '../api/submission.js';
import type { ClusterSummary, NimbusSummary, SupervisorSummary, TopologyDetail, TopologySummary } from '../cluster-views.js';
import { NimbusApiError, NimbusUnreachableError } from '../errors.js';
import type { ComponentPageBody, TopologyStatsBody } from '../stats/storm-views.js';
import type { CommandResult, RebalanceOptions } from '../topology-commands.js';

export interface NimbusClientOptions {
  /** Nimbus base URLs (Storm's `nimbus.seeds`); each is tried in turn until one answers. */
  urls: string[];
  token?: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

/** The REST API from the other side: what the CLI, tests and tools use. */
export class NimbusClient {
  private readonly urls: string[];

  constructor(private readonly options: NimbusClientOptions) {
    this.urls = options.urls.map((u) => u.replace(/\/+$/, ''));
  }

  clusterSummary(): Promise<ClusterSummary> {
    return this.request('GET', '/api/v1/cluster/summary');
  }

  nimbusSummary(): Promise<{ nimbuses: NimbusSummary[] }> {
    return this.request('GET', '/api/v1/nimbus/summary');
  }

  supervisorSummary(): Promise<{ supervisors: SupervisorSummary[] }> {
    return this.request('GET', '/api/v1/supervisor/summary');
  }

  topologySummary(): Promise<{ topologies: TopologySummary[] }> {
    return this.request('GET', '/api/v1/topology/summary');
  }

  /** A topology by name or id. */
  topology(ref: string): Promise<TopologyDetail> {
    return this.request('GET', `/api/v1/topology/${encodeURIComponent(ref)}`);
  }

  /** Storm UI's component page: per-window stats, executors and `componentErrors` (oldest first). */
  component(ref: string, component: string, window = ':all-time'): Promise<ComponentPageBody> {
    return this.request('GET', `/api/v1/topology/${encodeURIComponent(ref)}/component/${encodeURIComponent(component)}?window=${encodeURIComponent(window)}`);
  }

  /** A topology with Storm UI's stats for `window` (`600`, `10800`, `86400` or `:all-time`). */
  topologyStats(ref: string, window: string): Promise<TopologyDetail & TopologyStatsBody> {
    return this.request('GET', `/api/v1/topology/${encodeURIComponent(ref)}?window=${encodeURIComponent(window)}`);
  }

  submit(submission: Submission): Promise<CommandResult> {
    return this.request('POST', '/api/v1/uploadTopology', submission);
  }

  activate(ref: string): Promise<CommandResult> {
    return this.request('POST', `/api/v1/topology/${encodeURIComponent(ref)}/activate`);
  }

  deactivate(ref: string): Promise<CommandResult> {
    return this.request('POST', `/api/v1/topology/${encodeURIComponent(ref)}/deactivate`);
  }

  /** Without `waitSecs`, nimbus waits the topology's message timeout, as Storm does. */
  kill(ref: string, waitSecs?: number): Promise<CommandResult> {
    return this.request('POST', `/api/v1/topology/${encodeURIComponent(ref)}/kill${waitSecs === undefined ? '' : `/${waitSecs}`}`);
  }

  rebalance(ref: string, options: RebalanceOptions): Promise<CommandResult> {
    const wait = options.waitSecs === undefined ? '' : `/${options.waitSecs}`;
    return this.request('POST', `/api/v1/topology/${encodeURIComponent(ref)}/rebalance${wait}`, {
      rebalanceOptions: { numWorkers: options.workers, executors: options.parallelism },
    });
  }

  /** The log levels set on the topology at run time. */
  logConfig(ref: string): Promise<LogConfig> {
    return this.request('GET', `/api/v1/topology/${encodeURIComponent(ref)}/logconfig`);
  }

  /** Sets (`level` and `timeoutSecs`, 0 for no end) or removes (`level` null) the level of `logger` (ROOT or a component). */
  setLogLevel(ref: string, logger: string, level: string | null, timeoutSecs = 0): Promise<LogConfig> {
    return this.request('POST', `/api/v1/topology/${encodeURIComponent(ref)}/logconfig`, { namedLoggerLevels: { [logger]: { target_level: level, timeout: timeoutSecs } } });
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const reasons: string[] = [];
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (const base of this.urls) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(this.options.token !== undefined ? { authorization: `Bearer ${this.options.token}` } : {}),
          },
          body: payload,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        reasons.push(connectionReason(error));
        continue;
      }
      const text = await response.text();
      let parsed: { error?: string; problems?: ValidationProblem[] } | undefined;
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        throw new NimbusApiError(response.status, `nimbus at ${base} answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`, [], base);
      }
      if (!response.ok) throw new NimbusApiError(response.status, parsed?.error ?? `HTTP ${response.status}`, parsed?.problems ?? [], base);
      return parsed as T;
    }
    throw new NimbusUnreachableError(this.urls, reasons);
  }
}

function connectionReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
