// The REST API the pages read, on Storm UI's paths.
import type { ClusterSummary, ComponentPage, NimbusRow, SupervisorRow, TopologyPage, TopologyRow, Visualization } from './rest-types.js';

/** A failed call, with the server's own words when it sent `{error}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'topo.token';

/** The token for actions: typed by the user, kept for this tab only (sessionStorage). */
export const token = {
  get: (): string => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (value: string): void => (value === '' ? sessionStorage.removeItem(TOKEN_KEY) : sessionStorage.setItem(TOKEN_KEY, value)),
};

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { cache: 'no-store', ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    throw new ApiError(0, `cannot reach the server (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, `${path} answered ${res.status} with something other than JSON`);
  }
  if (!res.ok) {
    const b = body as { error?: string; errorMessage?: string };
    throw new ApiError(res.status, [b.error, b.errorMessage].filter((x) => typeof x === 'string' && x !== '').join(': ') || `${path} answered ${res.status}`);
  }
  return body as T;
}

const enc = encodeURIComponent;
const query = (window: string) => `?window=${enc(window)}`;

export const api = {
  clusterSummary: () => call<ClusterSummary>('/api/v1/cluster/summary'),
  supervisors: () => call<{ supervisors?: SupervisorRow[] }>('/api/v1/supervisor/summary'),
  nimbuses: () => call<{ nimbuses?: NimbusRow[] }>('/api/v1/nimbus/summary'),
  topologies: () => call<{ topologies?: TopologyRow[] }>('/api/v1/topology/summary'),
  topology: (id: string, window: string) => call<TopologyPage>(`/api/v1/topology/${enc(id)}${query(window)}`),
  visualization: (id: string, window: string) => call<Visualization>(`/api/v1/topology/${enc(id)}/visualization${query(window)}`),
  component: (id: string, component: string, window: string) => call<ComponentPage>(`/api/v1/topology/${enc(id)}/component/${enc(component)}${query(window)}`),
  /** Storm's actions: `activate`, `deactivate`, `rebalance/<wait>`, `kill/<wait>`; with the bearer token when one was given. */
  action: (id: string, action: string, body?: unknown) =>
    call<{ topologyOperation?: string; status?: string }>(`/api/v1/topology/${enc(id)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token.get() !== '' ? { authorization: `Bearer ${token.get()}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
};
