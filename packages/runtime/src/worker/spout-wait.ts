import type { TopologyConfig } from '@topo/topology-dsl';

/**
 * How a worker's scheduler waits when a round found nothing to do: Storm's
 * WaitStrategyProgressive, which is what `topology.spout.wait.*` configures there.
 *
 * Bolts never wait on it: a tuple delivered to a bolt, an ack, or a spout's promise that
 * settles wakes the scheduler at once. Only a spout whose `nextTuple()` found nothing
 * (polling a buffer, a clock, a source filled outside it) is called again after the
 * wait, so that wait bounds how late such a spout sees what arrived meanwhile. Storm's
 * default, a 1 ms sleep at once, costs up to a millisecond (half on average) at low load
 * and no CPU when idle; idle rounds run at once trade CPU for that latency.
 *
 * Node has no thread park, so Storm's levels 1 and 2 both become rounds run again at
 * once (`setImmediate`, a turn of the event loop that still polls I/O), and level 3's
 * sleep a timer. A sleep of 0 polls without ever sleeping, as Storm's busy wait.
 */
export interface SpoutWait {
  /** Consecutive idle rounds run again at once before the scheduler sleeps. */
  readonly immediateRounds: number;
  /** The sleep between idle rounds after those. */
  readonly sleepMs: number;
}

/**
 * The wait of a worker whose spouts have these configs. They share one scheduler, so it
 * waits as little as its most eager spout asks for. Each config is merged over
 * DEFAULT_CONFIG, which holds Storm's defaults for all three keys.
 */
export function spoutWait(spoutConfigs: readonly TopologyConfig[]): SpoutWait {
  if (spoutConfigs.length === 0) return { immediateRounds: 0, sleepMs: 1 };
  let immediateRounds = 0;
  let sleepMs = Infinity;
  for (const config of spoutConfigs) {
    const rounds = Number(config['topology.spout.wait.progressive.level1.count']) + Number(config['topology.spout.wait.progressive.level2.count']);
    immediateRounds = Math.max(immediateRounds, rounds);
    sleepMs = Math.min(sleepMs, Number(config['topology.spout.wait.progressive.level3.sleep.millis']));
  }
  return sleepMs === 0 ? { immediateRounds: Infinity, sleepMs } : { immediateRounds, sleepMs };
}
