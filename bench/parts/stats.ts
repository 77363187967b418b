import { LocalRunApi } from '@topo/nimbus';
import { UrlSpout } from '../../examples/url-parser/src/url-spout.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';
import { startUrlParser } from './url-pipeline/topo.js';

const PART = 'stats';
/** How often the UI-like poller reads the API: Storm's UI polls every 30 s; a live page polling every second is the harder case. */
const POLL_MS = 1000;

/** What a live topology page reads each round: the topology with its stats, the graph, a component page, and a Prometheus scrape. */
function pollPaths(name: string): string[] {
  return [`/api/v1/topology/${name}?window=600`, `/api/v1/topology/${name}/visualization?window=600`, `/api/v1/topology/${name}/component/urlBolt?window=600`, '/metrics'];
}

/**
 * The url-parser example saturated in one process, with stats reporting on (the HTTP API
 * served from the same process and a poller reading it every second, each read rolling
 * every executor's counters into Storm's windows) or off (counters only).
 */
async function urlParserWithStats(options: MeasureOptions, reporting: boolean): Promise<Figures> {
  const { worker, acked, failed } = await startUrlParser(UrlSpout, {});
  const api = reporting ? await LocalRunApi.start(0, { running: worker, workers: 1, kill: () => {}, logger: () => {} }) : undefined;
  let polls = 0;
  let stopped = false;
  const poller = (async () => {
    if (api === undefined) return;
    while (!stopped) {
      for (const path of pollPaths(worker.definition.name)) {
        const response = await fetch(`${api.url}${path}`);
        if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
      }
      polls++;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  const figures = await measureWindow(options, { completed: acked });
  stopped = true;
  await poller;
  await api?.close();
  await worker.stop();
  return { ...figures, failed: failed(), ...(reporting ? { polls } : {}) };
}

export const stats: BenchPart = {
  name: PART,
  description:
    "What watching a topology costs: the url-parser example in one process (as url-pipeline/topo-1-process), with its executors' counters and sampled latencies (topology.stats.sample.rate 0.05) always kept, and with or without the reporting on top: the REST API and /metrics served from the same process, read every second by a poller as a live UI page and Prometheus would.",
  reference: `${PART}/url-parser-reporting-off`,
  targets: [{ subject: `${PART}/url-parser-reporting-on`, peer: `${PART}/url-parser-reporting-off`, atLeast: 0.97 }],
  variants: [
    {
      id: `${PART}/url-parser-reporting-off`,
      description: 'the url-parser example in one process; counters only, nothing reads them',
      measure: (o) => urlParserWithStats(o, false),
    },
    {
      id: `${PART}/url-parser-reporting-on`,
      description: `the same, with the HTTP API (Storm UI's paths and /metrics) served from the process and read every ${POLL_MS / 1000} s: the topology page, the visualization, a component page and a Prometheus scrape`,
      measure: (o) => urlParserWithStats(o, true),
    },
  ],
};
