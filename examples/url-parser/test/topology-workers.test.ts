import { fileURLToPath } from 'node:url';
import { LocalCluster, LocalWorkerPool, silentLogger, waitFor } from '@topo/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED_URLS_FILE, FileUrlSource } from '../src/file-url-source.js';
import { parseUrl } from '../src/parse-url.js';
import UrlParserWorkers from '../topology-workers.js';

const { lines } = new FileUrlSource(BUNDLED_URLS_FILE, { loop: false });
const expectedHosts = new Map<string, number>();
const expectedReasons = new Map<string, number>();
for (const line of lines) {
  const parsed = parseUrl(line);
  if (parsed.valid) expectedHosts.set(parsed.host, (expectedHosts.get(parsed.host) ?? 0) + 1);
  else expectedReasons.set(parsed.reason, (expectedReasons.get(parsed.reason) ?? 0) + 1);
}
const onePass = { 'urlparser.loop': false };
const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

describe('topology-workers.ts (tallies merged by the count bolts)', () => {
  let pool: LocalWorkerPool | undefined;
  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
  });

  it('merges the partial counts into exactly the counts of the one-stage layout', async () => {
    const hosts = new Map<string, number>();
    const reasons = new Map<string, number>();
    let tallyEmits = 0;
    const cluster = new LocalCluster();
    await cluster.submit(UrlParserWorkers, {
      config: onePass,
      logger: silentLogger(),
      observer: {
        emitted(component, _task, _stream, values) {
          if (component === 'hostTally' || component === 'invalidTally') tallyEmits++;
          // The count bolts emit each key's running total: the last one is the count.
          if (component === 'hostCount') hosts.set(values[0] as string, values[1] as number);
          if (component === 'invalidCount') reasons.set(values[0] as string, values[1] as number);
        },
      },
    });
    try {
      // The tallies hand on what they counted at their next tick, within a second.
      await waitFor(() => sum(hosts) + sum(reasons) === lines.length, `all ${lines.length} URLs merged`, 30_000);
    } finally {
      await cluster.shutdown();
    }
    expect(hosts).toEqual(expectedHosts);
    expect(reasons).toEqual(expectedReasons);
    // Partial counts, not URLs, reached the count bolts.
    expect(tallyEmits).toBeLessThan(lines.length / 10);
  });

  it('keeps every URL in the worker process that read it, and only partial counts cross', async () => {
    pool = await LocalWorkerPool.start({
      topologyFile: fileURLToPath(new URL('../topology-workers.ts', import.meta.url)),
      workers: 2,
      config: onePass,
      logger: silentLogger(),
    });
    pool.activate();
    const total = (component: string, counter: 'acked' | 'executed' | 'emitted') => pool!.metrics().find((m) => m.component === component)?.[counter] ?? 0;
    await waitFor(() => total('urlSpout', 'acked') === lines.length, `all ${lines.length} URLs acked`, 60_000);
    // The tallies' ticks hand partial counts on; the count bolts in both workers merge them.
    await waitFor(
      () => total('hostTally', 'emitted') > 0 && total('hostCount', 'executed') + total('invalidCount', 'executed') === total('hostTally', 'emitted') + total('invalidTally', 'emitted'),
      'every partial count merged',
      30_000,
    );

    const heartbeats = pool.heartbeats();
    expect(heartbeats).toHaveLength(2);
    let partials = 0;
    for (const h of heartbeats) {
      const of = (component: string) => h.metrics.find((m) => m.component === component)!;
      // Each worker read half the file, and parsed and tallied exactly the URLs its own spout emitted.
      expect(of('urlSpout').emitted).toBe(lines.length / 2);
      expect(of('urlBolt').executed).toBe(of('urlSpout').emitted);
      expect(of('hostTally').executed + of('invalidTally').executed).toBe(of('urlSpout').emitted);
      partials += of('hostTally').emitted + of('invalidTally').emitted;
    }
    const crossed = heartbeats.reduce((n, h) => n + h.transport.tuplesSent, 0);
    expect(crossed).toBeGreaterThan(0);
    expect(crossed).toBeLessThanOrEqual(partials);
  });
});
