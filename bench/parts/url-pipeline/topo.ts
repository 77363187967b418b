import { Topology, TopoError, build, type TopologyConfig } from '@topo/topology-dsl';
import { Worker } from '@topo/runtime';
import { HostCountBolt } from '../../../examples/url-parser/src/host-count-bolt.js';
import { InvalidCountBolt } from '../../../examples/url-parser/src/invalid-count-bolt.js';
import { UrlBolt } from '../../../examples/url-parser/src/url-bolt.js';
import { UrlSpout } from '../../../examples/url-parser/src/url-spout.js';
import { histogramSince, latencyFigures } from '../../latency-figures.js';
import type { Figures, MeasureOptions } from '../../part.js';
import { measureWindow } from '../../window.js';
import { OFFERED_RATE_KEY, PacedUrlSpout } from './paced-url-spout.js';

/** The example's max spout pending: in-flight trees per spout task. */
export const TOPO_MAX_SPOUT_PENDING = 1000;

/**
 * Starts the url-parser example's topology in this process with one task per component
 * (in one process more executors only share the same thread), acking on.
 */
async function startUrlParser(spout: typeof UrlSpout, config: TopologyConfig): Promise<{ worker: Worker; acked(): number; failed(): number }> {
  class UrlParser extends Topology {
    static config = { 'topology.max.spout.pending': TOPO_MAX_SPOUT_PENDING };
    urlSpout = spout.spec();
    urlBolt = UrlBolt.spec({ input: this.urlSpout });
    hostCount = HostCountBolt.spec({ input: this.urlBolt.fields('host') });
    invalidCount = InvalidCountBolt.spec({ input: this.urlBolt.stream('invalid').fields('reason') });
  }
  const worker = new Worker(build(UrlParser), { config, logger: () => {} });
  if (!worker.ackersEnabled) throw new TopoError('the url-pipeline bench measures Topo acking on, but this worker has no acker', { component: 'urlSpout' });
  await worker.start();
  const spoutMetrics = () => worker.metrics().find((m) => m.component === 'urlSpout')!;
  return { worker, acked: () => spoutMetrics().acked, failed: () => spoutMetrics().failed };
}

/** As fast as it goes: tuples/s is trees fully acked per second, latency the engine's complete latency (emit to ack). */
export async function topoSaturated(options: MeasureOptions): Promise<Figures> {
  const { worker, acked, failed } = await startUrlParser(UrlSpout, {});
  let before = worker.completeLatency();
  const figures = await measureWindow(options, { completed: acked, windowOpened: () => (before = worker.completeLatency()) });
  const latency = histogramSince(before, worker.completeLatency());
  await worker.stop();
  return { ...figures, ...latencyFigures(latency), failed: failed() };
}

/**
 * At `fraction` of the peak this process measures first (saturated, after a warm-up),
 * so every run offers the same share of what the machine manages at that moment.
 */
export async function topoOfferedLoad(fraction: number, options: MeasureOptions, config: TopologyConfig = {}): Promise<Figures> {
  const peak = await topoSaturated({ seconds: options.quick ? 0.2 : 1, quick: options.quick });
  const offered = peak.tuplesPerSec * fraction;
  const { worker, acked, failed } = await startUrlParser(PacedUrlSpout, { ...config, [OFFERED_RATE_KEY]: offered });
  const figures = await measureWindow(options, { completed: acked, windowOpened: () => PacedUrlSpout.latency.reset() });
  await worker.stop();
  return { ...figures, ...latencyFigures(PacedUrlSpout.latency), failed: failed(), offeredTuplesPerSec: offered, peakTuplesPerSec: peak.tuplesPerSec };
}
