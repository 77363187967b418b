import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaledMs, temporaryDir, Worker, type LogRecord, captureLogger } from '@topo/runtime';
import { SHELL_CONFIG } from '@topo/multilang';
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
    logger: captureLogger(logs),
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

/**
 * The config of a test about the silence a running subprocess is allowed
 * (`topology.subprocess.timeout.secs`): that as short as the test needs, and the handshake's
 * own timeout an idle machine's 30 s on the test time scale, so that an interpreter slow to
 * start on a busy machine is never taken for the silence under test.
 */
export function silenceTimeout(secs: number): TopologyConfig {
  return { 'topology.subprocess.timeout.secs': secs, [SHELL_CONFIG.handshakeTimeoutSecs]: Math.ceil(scaledMs(30_000) / 1000) };
}

/**
 * Lets two and a half of a timeout under test pass, for a check that it does not fire: the
 * one wait on time rather than on a condition, because the time passing is what is tested.
 */
export function outlast(timeoutSecs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2.5 * timeoutSecs * 1000));
}

/** A fresh directory for the once-only misbehaviour markers of the Python test components, removed when the test process exits. */
export function marksDir(): string {
  return temporaryDir('topo-marks-');
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
