import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type LogRecord } from '@topo/runtime';
import { build, type TopologyClass, type TopologyConfig } from '@topo/topology-dsl';
export { waitFor } from '@topo/runtime';

export const COMPONENTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'components');
export const PACKAGE_ROOT = path.join(COMPONENTS, '..', '..');

export interface ReportedError {
  component: string;
  task: number;
  error: unknown;
  /** performance.now() when it was reported. */
  at: number;
}

export interface EmittedTuple {
  component: string;
  task: number;
  stream: string;
  values: unknown[];
}

/** A running topology and everything it reported. */
export interface Run {
  worker: Worker;
  logs: LogRecord[];
  errors: ReportedError[];
  emitted: EmittedTuple[];
  /** Values emitted by `component` (on `stream`, default any). */
  valuesOf(component: string, stream?: string): unknown[][];
  logsOf(component: string): string[];
  stop(): Promise<void>;
}

/** Starts a topology in a Worker of this process, recording logs, errors and emits. */
export async function runTopology(topology: TopologyClass, config: TopologyConfig = {}): Promise<Run> {
  const logs: LogRecord[] = [];
  const errors: ReportedError[] = [];
  const emitted: EmittedTuple[] = [];
  const worker = new Worker(build(topology, { config }), {
    config,
    logger: (record) => logs.push(record),
    observer: {
      emitted: (component, task, stream, values) => emitted.push({ component, task, stream, values: [...values] }),
      error: (component, task, error) => errors.push({ component, task, error, at: performance.now() }),
    },
  });
  await worker.start();
  return {
    worker,
    logs,
    errors,
    emitted,
    valuesOf: (component, stream) => emitted.filter((e) => e.component === component && (stream === undefined || e.stream === stream)).map((e) => e.values),
    logsOf: (component) => logs.filter((l) => l.component === component).map((l) => l.message),
    stop: () => worker.stop(),
  };
}

/** A fresh directory for the once-only misbehaviour markers of the Python test components. */
export function marksDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'topo-marks-'));
}

/** A Python 3 that can import msgpack: the one on PATH, else Debian's (python3-msgpack). */
export const pythonWithMsgpack: string = (() => {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import msgpack'], { stdio: 'ignore' });
      return python;
    } catch {
      // Try the next one.
    }
  }
  throw new Error('no python3 with the msgpack module; install python3-msgpack (.ci/run does)');
})();
