import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { LocalCluster, loadTopology, silentLogger } from '@topo/runtime';
import { redisPerFile } from './support/redis-per-file.js';
import { waitFor } from '@topo/runtime';

const example = (file: string) => fileURLToPath(new URL(`../../../examples/url-parser/${file}`, import.meta.url));

const redis = redisPerFile();

describe('examples/url-parser/bullmq: the url-parser fed from a queue', () => {
  it('counts every enqueued URL per host into the stream, as the plain url-parser would', async () => {
    // The example lives outside this package; it is loaded as `topo run` would load it.
    const { produceUrls } = (await import(example('bullmq/produce.ts'))) as { produceUrls: (o: { redis: string }) => Promise<number> };
    const { parseUrl } = (await import(example('src/parse-url.ts'))) as { parseUrl: (line: string) => { valid: boolean; host?: string } };
    const { BUNDLED_URLS_FILE, FileUrlSource } = (await import(example('src/file-url-source.ts'))) as {
      BUNDLED_URLS_FILE: string;
      FileUrlSource: new (file: string, o: { loop: boolean }) => { lines: string[] };
    };
    const lines = new FileUrlSource(BUNDLED_URLS_FILE, { loop: false }).lines;
    const expected = new Map<string, number>();
    for (const line of lines) {
      const parsed = parseUrl(line);
      if (parsed.valid) expected.set(parsed.host!, (expected.get(parsed.host!) ?? 0) + 1);
    }

    const added = await produceUrls({ redis: redis.url });
    const topology = await loadTopology(example('bullmq/topology-bullmq.ts'));
    const cluster = new LocalCluster();
    await cluster.submit(topology, { config: { 'topo.redis.url': redis.url }, logger: silentLogger() });
    const queue = new Queue('url-parser-urls', { connection: redis.client });
    const counted = async () => {
      const last = new Map<string, number>();
      for (const [, fields] of await redis.client.xrange('url-parser:host-counts', '-', '+')) last.set(fields[1], Number(fields[3]));
      return last;
    };
    await waitFor(async () => (await queue.getJobCountByTypes('wait', 'active')) === 0 && (await redis.client.xlen('url-parser:host-counts')) === [...expected.values()].reduce((a, b) => a + b), 'every URL counted');
    await cluster.shutdown();
    expect(added).toBe(lines.length);
    expect(await counted()).toStrictEqual(expected);
    expect(await queue.getFailedCount()).toBe(0);
    await queue.close();
  });
});
