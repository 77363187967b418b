import type { ApiBackend } from './api-backend.js';
import type { ApiMount } from './api-mount.js';

/** `GET /metrics`: every topology's figures in Prometheus's text format, built from the latest reports at each scrape. */
export function metricsMount(backend: Pick<ApiBackend, 'statsTopologies'>): ApiMount {
  return {
    prefix: '/metrics',
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://api').pathname;
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
      // Imported at the first scrape: prom-client cost every process that imports nimbus 35 ms of CPU at start.
      const { prometheusRegistry, PROMETHEUS_CONTENT_TYPE } = await import('../stats/prometheus-metrics.js');
      const text = await prometheusRegistry(await backend.statsTopologies()).metrics();
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
      return true;
    },
  };
}
