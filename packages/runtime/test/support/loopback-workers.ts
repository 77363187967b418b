import { afterEach } from 'vitest';
import type { CompiledTopology } from '@topo/topology-dsl';
import { Worker, type Assignment, silentLogger } from '@topo/runtime';

/**
 * Starts, in this process, one Worker per worker of `assignment`, connected to each other
 * over loopback TCP as worker processes are; they are stopped after each test.
 */
export function loopbackWorkersPerTest(): (compiled: CompiledTopology, assignment: Assignment) => Promise<Worker[]> {
  const started: Worker[] = [];
  afterEach(async () => {
    for (const w of started.splice(0)) await w.stop();
  });
  return async (compiled, assignment) => {
    const ids = assignment.workers.map((w) => w.id);
    const workers = ids.map((workerId) => new Worker(compiled, { logger: silentLogger(), cluster: { workerId, assignment, secret: Buffer.alloc(32, 7) } }));
    started.push(...workers);
    const ports = await Promise.all(workers.map((w) => w.listen('127.0.0.1')));
    const peers = ids.map((id, i) => ({ id, host: '127.0.0.1', port: ports[i] }));
    for (const w of workers) w.setPeers(peers);
    for (const w of workers) await w.start();
    return workers;
  };
}
