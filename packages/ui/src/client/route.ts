/** Where the UI is: the pages route by the URL's hash, so any server path that serves index.html works. */
export type Route =
  | { page: 'cluster' }
  | { page: 'topology'; id: string; window: string }
  | { page: 'component'; id: string; component: string; window: string }
  | { page: 'log'; url: string; title: string };

export const DEFAULT_WINDOW = '600';

/** The route of a hash such as `#/topology/t-1/component/split?window=600`. */
export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter((p) => p !== '').map(safeDecode);
  const window = params.get('window') ?? DEFAULT_WINDOW;
  if (parts[0] === 'topology' && parts.length === 2) return { page: 'topology', id: parts[1], window };
  if (parts[0] === 'topology' && parts[2] === 'component' && parts.length === 4) return { page: 'component', id: parts[1], component: parts[3], window };
  if (parts[0] === 'log' && params.get('url') !== null) return { page: 'log', url: params.get('url')!, title: params.get('title') ?? 'worker log' };
  return { page: 'cluster' };
}

export function topologyHref(id: string, window = DEFAULT_WINDOW): string {
  return `#/topology/${encodeURIComponent(id)}?window=${encodeURIComponent(window)}`;
}

export function componentHref(id: string, component: string, window = DEFAULT_WINDOW): string {
  return `#/topology/${encodeURIComponent(id)}/component/${encodeURIComponent(component)}?window=${encodeURIComponent(window)}`;
}

export function logHref(url: string, title: string): string {
  return `#/log?${new URLSearchParams({ url, title }).toString()}`;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
