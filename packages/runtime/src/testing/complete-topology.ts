import { CHECKPOINT_COMPONENT, TopoError, type ComponentClassInfo, type TopologyConfig } from '@topo/topology-dsl';
import { toCompiled, type TopologySource } from '../local-cluster.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { ComponentMetricsSnapshot } from '../stats/component-totals.js';
import type { MovableClock } from './test-bolt.js';
import { Worker } from '../worker/worker.js';
import { fixedTuplesSpout } from './fixed-tuples-spout.js';
import { MemoryStateProvider } from '../state/memory-state.js';
import { useStateProvider } from '../state/worker-state-provider.js';

export interface CompleteTopologyOptions {
  /** Spout name -> the value lists it emits instead of running its class. Every spout must be mocked. */
  mockedSources: Record<string, unknown[][]>;
  config?: TopologyConfig;
  /** Give up (and throw) after this long; default 30 s. */
  timeoutMs?: number;
  logger?: Logger;
  /**
   * Simulated time for windows (a ManualClock): whenever the topology is idle and not yet
   * complete, the clock moves `advanceMs` on, so time windows fire and release their
   * tuples without the test sleeping.
   */
  clock?: MovableClock;
  /** How far each idle step moves `clock`; default 1000 ms. */
  advanceMs?: number;
}

/** Component -> stream -> every value list it emitted, in emit order. */
export type CapturedTuples = Record<string, Record<string, unknown[][]>>;

export interface CompleteTopologyResult {
  tuples: CapturedTuples;
  /** Spout trees that failed before completing (each was replayed). */
  replays: number;
  /**
   * A stateful topology's committed state at the end, by namespace (`<component>-<task>`
   * for bolt tasks and spout positions): what the in-memory provider holds.
   */
  committedState: Record<string, Record<string, unknown>>;
}

/**
 * Storm's `completeTopology`: runs a topology whose spouts emit fixed tuples until every
 * spout tuple is fully acked (failed ones are replayed), and returns every tuple each
 * component emitted. A stateful topology runs with the in-memory provider; its inputs
 * are acked only by the commits after them, so the run ends after the commit that
 * covers the last one. A mocked spout whose class is rewindable is rewindable too
 * (its position is how many of its tuples it emitted).
 */
export async function completeTopology(topology: TopologySource, options: CompleteTopologyOptions): Promise<CompleteTopologyResult> {
  const compiled = toCompiled(topology, { config: options.config });
  const componentClasses = new Map<string, ComponentClassInfo>(compiled.componentClasses);
  const progresses: { finished: number; total: number }[] = [];
  for (const component of compiled.definition.components) {
    if (component.kind !== 'spout' || component.name === CHECKPOINT_COMPONENT) continue;
    const tuples = options.mockedSources[component.name];
    if (tuples === undefined) {
      throw new TopoError(`completeTopology: spout ${component.name} is not mocked; pass mockedSources.${component.name}`, { component: component.name });
    }
    const { spoutClass, progress } = fixedTuplesSpout(componentClasses.get(component.name)!, tuples, { replay: true, rewindable: component.rewindable === true });
    componentClasses.set(component.name, spoutClass);
    progresses.push(progress);
  }
  const spouts = new Set(compiled.definition.components.filter((c) => c.kind === 'spout').map((c) => c.name));
  for (const name of Object.keys(options.mockedSources)) {
    if (!spouts.has(name)) throw new TopoError(`completeTopology: mockedSources names ${name}, which is not a spout of the topology`, { component: name });
  }

  const tuples: CapturedTuples = {};
  let replays = 0;
  const worker = new Worker(
    { ...compiled, componentClasses },
    {
      config: options.config,
      logger: options.logger ?? silentLogger(),
      clock: options.clock,
      observer: {
        emitted(component, _task, stream, values) {
          ((tuples[component] ??= {})[stream] ??= []).push([...values]);
        },
      },
    },
  );
  const original = worker.metrics.bind(worker);
  const provider = new MemoryStateProvider();
  useStateProvider(worker, provider);
  await worker.start();
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  let previous = '';
  try {
    while (progresses.some((p) => p.finished < p.total)) {
      if (options.clock !== undefined) {
        const snapshot = original();
        const now = JSON.stringify(snapshot);
        if (now === previous && idle(snapshot, progresses)) options.clock.advanceBy(options.advanceMs ?? 1000);
        previous = now;
      }
      if (performance.now() > deadline) {
        const left = progresses.reduce((n, p) => n + p.total - p.finished, 0);
        throw new TopoError(`completeTopology: ${left} spout tuples still not acked after ${options.timeoutMs ?? 30_000} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    replays = original()
      .filter((m) => m.kind === 'spout')
      .reduce((n, m) => n + m.failed, 0);
  } finally {
    await worker.stop();
  }
  const committedState: Record<string, Record<string, unknown>> = {};
  for (const namespace of provider.namespaces()) committedState[namespace] = Object.fromEntries(provider.state(namespace).committedEntries());
  return { tuples, replays, committedState };
}

/**
 * Every spout tuple is emitted (in flight or done) and every tuple delivered to a bolt
 * has been taken by it: only time can move the topology on.
 */
function idle(snapshot: ComponentMetricsSnapshot[], progresses: { finished: number; total: number }[]): boolean {
  let transferred = 0;
  let executed = 0;
  let pending = 0;
  for (const m of snapshot) {
    transferred += m.transferred;
    executed += m.executed;
    if (m.kind === 'spout') pending += m.pending;
  }
  const open = progresses.reduce((n, p) => n + p.total - p.finished, 0);
  return transferred === executed && pending >= open;
}
