import { readFileSync } from 'node:fs';
import { LocalCluster, silentLogger, waitFor } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import { BUNDLED_URLS_FILE } from '../src/file-url-source.js';
import { parseUrl } from '../src/parse-url.js';
import UrlParser from '../topology.js';

describe('HostCountBolt', () => {
  it('keeps each host in exactly one of its tasks and counts every URL of the bundled file once', async () => {
    const lines = readFileSync(BUNDLED_URLS_FILE, 'utf8').split('\n').filter((line) => line.trim() !== '');
    const expected = new Map<string, number>();
    for (const line of lines) {
      const parsed = parseUrl(line);
      if (parsed.valid) expected.set(parsed.host, (expected.get(parsed.host) ?? 0) + 1);
    }

    const tasksOfHost = new Map<string, Set<number>>();
    const finalCount = new Map<string, number>();
    let spoutEmits = 0;
    const cluster = new LocalCluster();
    const worker = await cluster.submit(UrlParser, {
      config: { 'urlparser.loop': false },
      logger: silentLogger(),
      observer: {
        emitted(component, task, _stream, values) {
          if (component === 'urlSpout') spoutEmits++;
          if (component !== 'hostCount') return;
          const host = values[0] as string;
          tasksOfHost.set(host, (tasksOfHost.get(host) ?? new Set()).add(task));
          finalCount.set(host, values[1] as number);
        },
      },
    });
    try {
      await waitFor(() => spoutEmits === lines.length && worker.pendingTrees === 0, `all ${lines.length} URLs emitted and no tree pending`);
    } finally {
      await cluster.shutdown();
    }

    expect(spoutEmits).toBe(lines.length);
    expect(finalCount).toEqual(expected);
    for (const [host, tasks] of tasksOfHost) expect([host, tasks.size]).toEqual([host, 1]);
    const tasksUsed = new Set([...tasksOfHost.values()].flatMap((tasks) => [...tasks]));
    expect(tasksUsed.size).toBe(worker.layout.componentTasks.get('hostCount')!.length);
    expect(tasksUsed.size).toBeGreaterThan(1);
  });
});
