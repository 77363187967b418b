import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bolt, Topology, type Tuple } from '@topo/topology-dsl';
import { LocalCluster, silentLogger, waitFor } from '@topo/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { UrlSpout } from '../src/url-spout.js';

/** Fails each URL the first time it arrives and acks it the second time. */
class FailFirstDelivery extends Bolt {
  private readonly seen = new Set<string>();
  process(tuple: Tuple): void {
    const url = tuple.get('url') as string;
    if (this.seen.has(url)) {
      this.ack(tuple);
    } else {
      this.seen.add(url);
      this.fail(tuple);
    }
  }
}

class ReplayTopology extends Topology {
  urlSpout = UrlSpout.spec();
  flaky = FailFirstDelivery.spec({ p: 2, input: this.urlSpout.fields('url') });
}

describe('UrlSpout', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'url-spout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-emits the URL of each failed tree until it is acked, and nothing else', async () => {
    const urls = Array.from({ length: 25 }, (_, i) => `https://example.com/page/${i}?n=${i}`);
    const file = path.join(dir, 'urls.txt');
    writeFileSync(file, `${urls.join('\n')}\n`);

    const emitted: string[] = [];
    const cluster = new LocalCluster();
    const worker = await cluster.submit(ReplayTopology, {
      config: { 'urlparser.file': file, 'urlparser.loop': false },
      logger: silentLogger(),
      observer: {
        emitted(component, _task, _stream, values) {
          if (component === 'urlSpout') emitted.push(values[0] as string);
        },
      },
    });
    const spout = () => worker.metrics().find((m) => m.component === 'urlSpout')!;
    try {
      await waitFor(() => spout().acked >= urls.length, `all ${urls.length} URLs acked`);
    } finally {
      await cluster.shutdown();
    }

    expect([...emitted].sort()).toEqual([...urls, ...urls].sort());
    expect(spout()).toMatchObject({ acked: urls.length, failed: urls.length, timedOut: 0, pending: 0 });
  });
});
