import { expect } from 'vitest';
import { waitFor } from '@topo/runtime';

/** GETs a path of a Storm-UI API and parses the JSON, keeping the response for its headers. */
export async function getJson(base: string, path: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${base}${path}`);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
}

export async function post(base: string, path: string, token?: string): Promise<any> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

const THREE_DECIMALS = /^\d+\.\d{3}$/;

/**
 * Waits until the API's all-time stats show every id of the AckedIds topology acked (and
 * the bolts' counts, which come with other workers' heartbeats, caught up),
 * then checks the topology page against what the topology did: spout `spout` emits one
 * tuple per id (plus replays of failed trees), `relay` gets each and passes it on,
 * `sink` gets each of those.
 */
export async function expectAckedIdsStats(base: string, id: string, total: number): Promise<void> {
  let body: any;
  await waitFor(
    async () => {
      body = (await getJson(base, `/api/v1/topology/${encodeURIComponent(id)}`)).body;
      // Each worker's counts come with its own heartbeat: the bolts' may trail the spout's by one.
      const bolt = (name: string) => body.bolts?.find((b: any) => b.boltId === name);
      return body.spouts?.[0]?.acked === total && bolt('relay')?.executed === body.spouts[0].transferred && bolt('sink')?.executed === bolt('relay').transferred;
    },
    `the API to report ${total} acked trees, and the bolts to have executed all the spout sent`,
    60_000,
    200,
  );
  expect(body.window).toBe(':all-time');
  expect(body.windowHint).toBe('All time');
  expect(new Set(body.topologyStats.map((s: any) => s.window))).toEqual(new Set(['600', '10800', '86400', ':all-time']));
  const allTime = body.topologyStats.find((s: any) => s.window === ':all-time');
  expect(allTime.acked).toBe(total);
  const [spout] = body.spouts;
  expect(spout).toMatchObject({ spoutId: 'spout', encodedSpoutId: 'spout', executors: 1, tasks: 1, acked: total });
  // Every tree emitted was settled by the end: acked, or failed and emitted again.
  expect(spout.emitted).toBe(spout.acked + spout.failed);
  expect(spout.transferred).toBe(spout.emitted);
  expect(spout.completeLatency).toMatch(THREE_DECIMALS);
  const relay = body.bolts.find((b: any) => b.boltId === 'relay');
  const sink = body.bolts.find((b: any) => b.boltId === 'sink');
  expect(relay.executed).toBe(spout.transferred);
  expect(sink.executed).toBe(relay.transferred);
  for (const bolt of [relay, sink]) {
    expect(bolt.capacity).toMatch(THREE_DECIMALS);
    expect(bolt.executeLatency).toMatch(THREE_DECIMALS);
    expect(bolt.processLatency).toMatch(THREE_DECIMALS);
  }
  expect(body.bolts.map((b: any) => b.boltId)).not.toContain('__acker');
  expect(body.workers.length).toBeGreaterThan(0);
  for (const w of body.workers) expect(w.gauges).toMatchObject({ heapUsedBytes: expect.any(Number), rssBytes: expect.any(Number), eventLoopUtilization: expect.any(Number), backpressure: expect.any(Boolean) });

  // The 10-minute window holds the whole run too; system components show with sys=true.
  const recent = (await getJson(base, `/api/v1/topology/${encodeURIComponent(id)}?window=600&sys=true`)).body;
  expect(recent.windowHint).toBe('10m 0s');
  expect(recent.spouts[0].acked).toBe(total);
  expect(recent.bolts.map((b: any) => b.boltId)).toContain('__acker');

  // The component page: per-executor rows that add up to the component's count.
  const component = (await getJson(base, `/api/v1/topology/${encodeURIComponent(id)}/component/sink`)).body;
  expect(component).toMatchObject({ id: 'sink', componentType: 'bolt', executors: 2, tasks: 2 });
  expect(component.executorStats.reduce((n: number, e: any) => n + e.executed, 0)).toBe(sink.executed);
  expect(component.inputStats).toEqual([expect.objectContaining({ component: 'relay', stream: 'default', executed: sink.executed })]);
  expect(component.boltStats.find((s: any) => s.window === ':all-time').executed).toBe(sink.executed);

  const graph = (await getJson(base, `/api/v1/topology/${encodeURIComponent(id)}/visualization`)).body;
  expect(Object.keys(graph).sort()).toEqual(['relay', 'sink', 'spout']);
  expect(graph.spout[':type']).toBe('spout');
  expect(graph.sink[':inputs']).toEqual([{ ':component': 'relay', ':stream': 'default', ':sani-stream': 'default', ':grouping': 'fields' }]);
  expect(typeof graph.relay[':capacity']).toBe('number');
}

/** Storm's conventions every answer keeps: headers, JSONP, error bodies. */
export async function expectStormConventions(base: string): Promise<void> {
  const summary = await getJson(base, '/api/v1/cluster/summary');
  expect(summary.status).toBe(200);
  expect(summary.headers.get('content-type')).toMatch(/^application\/json/);
  expect(summary.headers.get('cache-control')).toBe('no-cache, no-store');
  expect(summary.headers.get('access-control-allow-origin')).toBe('*');
  expect(summary.body.slotsFree).toBe(summary.body.slotsTotal - summary.body.slotsUsed);
  const jsonp = await fetch(`${base}/api/v1/cluster/summary?callback=cb`);
  expect(jsonp.headers.get('content-type')).toMatch(/^application\/javascript/);
  expect(await jsonp.text()).toMatch(/^cb\(.*\);$/s);
  const refused = await getJson(base, '/api/v1/cluster/summary?callback=alert(1)');
  expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
  const unknown = await getJson(base, '/api/v1/topology/nope-1-1');
  expect(unknown.status).toBe(404);
  expect(unknown.body).toEqual({ error: expect.any(String), errorMessage: expect.any(String) });
}
