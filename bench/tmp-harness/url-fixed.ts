import { Topology, build } from '@topo/topology-dsl';
import { Worker } from '@topo/runtime';
import { HostCountBolt } from '/work/main/examples/url-parser/src/host-count-bolt.js';
import { InvalidCountBolt } from '/work/main/examples/url-parser/src/invalid-count-bolt.js';
import { UrlBolt } from '/work/main/examples/url-parser/src/url-bolt.js';
import { UrlSpout } from '/work/main/examples/url-parser/src/url-spout.js';
import { loadUrls } from '/work/main/bench/url-list.js';
import { countKey, countOne } from '/work/main/bench/url-work.js';
const n = Number(process.argv[2]);
const mode = process.argv[3];
const t0 = performance.now(); const c0 = process.cpuUsage();
if (mode === 'loop') {
  const urls = loadUrls(); const counts = new Map<string, number>(); let next = 0;
  for (let i = 0; i < n; i++) { countOne(counts, countKey(urls[next])); next = next + 1 === urls.length ? 0 : next + 1; }
} else {
  class UrlParser extends Topology {
    static override config = { 'topology.max.spout.pending': 1000 };
    urlSpout = UrlSpout.spec();
    urlBolt = UrlBolt.spec({ input: this.urlSpout });
    hostCount = HostCountBolt.spec({ input: this.urlBolt.fields('host') });
    invalidCount = InvalidCountBolt.spec({ input: this.urlBolt.stream('invalid').fields('reason') });
  }
  const worker = new Worker(build(UrlParser), { logger: () => {} });
  await worker.start();
  const acked = () => worker.metrics().find((m) => m.component === 'urlSpout')!.acked;
  while (acked() < n) await new Promise((r) => setTimeout(r, 1));
  await worker.stop();
}
const cpu = process.cpuUsage(c0);
console.error(mode, n, 'wall', (performance.now() - t0).toFixed(0), 'cpu', ((cpu.user + cpu.system) / 1000).toFixed(0));
process.exit(0);
