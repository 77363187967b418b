import { describe, expect, it } from 'vitest';
import { ProcessCluster } from './process-cluster.js';

const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'] });

const metric = (components: { component: string }[], component: string) => components.find((c) => c.component === component) as { acked: number; failed: number; executed: number } | undefined;

describe('a windowed bolt on a cluster', () => {
  it('counts every id once across two supervisors, acking each as it leaves its window, none failed', async () => {
    const submitted = await cluster.topo('submit', 'packages/cli/test/fixtures/windowed-count.ts', '--workers', '2');
    expect(submitted.code, submitted.stderr).toBe(0);
    // Each worker's heartbeat reports its own components, so wait until both have reported the end.
    const done = await cluster.topologyWhere('WindowedCount', (t) => metric(t.components, 'ids')?.acked === 3000 && metric(t.components, 'counts')?.acked === 3000, 'all 3,000 ids acked', 60_000);
    expect(new Set(done.workers.map((w) => w.host))).toEqual(new Set(['127.0.0.2', '127.0.0.3']));
    expect(metric(done.components, 'ids')?.failed).toBe(0);
    expect(metric(done.components, 'counts')).toMatchObject({ executed: 3000, acked: 3000, failed: 0 });
    // Each window's count reached the total bolt, anchored to the window's ids: all trees completed only because it acked them.
    expect(metric(done.components, 'total')?.executed).toBeGreaterThan(0);
  });
});
