import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Topology, type ComponentSpec, type InputLike, type Tuple } from '@topo/topology-dsl';
import { keyedRandom, seededRandom } from '@topo/runtime';
import { SpoutLedger, ledgerSpout } from './support/ledger-spout.js';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

interface BoltShape {
  name: string;
  p: number;
  explicit: boolean;
  failRate: number;
  /** Names of the components it reads, each with its grouping. */
  inputs: { from: string; grouping: 'shuffle' | 'fields' | 'localOrShuffle' }[];
}

interface Shape {
  kind: 'chain' | 'diamond';
  spoutP: number;
  bolts: BoltShape[];
}

/** A random chain (spout -> b0 -> b1 ...) or diamond (spout -> b0, b1 -> b2 [-> b3]). */
function randomShape(seed: number): Shape {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const groupings = ['shuffle', 'fields', 'localOrShuffle'] as const;
  const bolt = (name: string, from: string[]): BoltShape => ({
    name,
    p: 1 + Math.floor(random() * 3),
    explicit: random() < 0.5,
    failRate: 0.1 + random() * 0.1,
    inputs: from.map((f) => ({ from: f, grouping: pick(groupings) })),
  });
  const kind = random() < 0.5 ? 'chain' : 'diamond';
  const bolts: BoltShape[] = [];
  if (kind === 'chain') {
    const length = 1 + Math.floor(random() * 3);
    for (let i = 0; i < length; i++) bolts.push(bolt(`b${i}`, [i === 0 ? 'spout' : `b${i - 1}`]));
  } else {
    bolts.push(bolt('b0', ['spout']), bolt('b1', ['spout']), bolt('b2', ['b0', 'b1']));
    if (random() < 0.5) bolts.push(bolt('b3', ['b2']));
  }
  return { kind, spoutP: 1 + Math.floor(random() * 2), bolts };
}

/**
 * Runs a random topology whose bolts fail a seeded 10-20% of their inputs (each bolt's
 * choice depends only on the seed, the bolt, the input and the attempt, not on timing)
 * and fan out one or two children per input, under a spout that replays failures.
 */
async function runShape(seed: number) {
  const shape = randomShape(seed);
  const ledger = new SpoutLedger(150);
  /** `id/attempt` of every tree some bolt failed. */
  const failedTrees = new Set<string>();

  const decide = (bolt: BoltShape, tuple: Tuple) => {
    const id = tuple.get('id') as number;
    const attempt = tuple.get('attempt') as number;
    const branch = tuple.sourceComponent === 'spout' ? 0 : (tuple.get('branch') as number);
    const key = [bolt.name, id, attempt, tuple.sourceComponent, branch];
    const fail = keyedRandom(seed, ...key, 'fail') < bolt.failRate;
    if (fail) failedTrees.add(`${id}/${attempt}`);
    return { id, attempt, fail, children: keyedRandom(seed, ...key, 'fanout') < 0.3 ? 2 : 1 };
  };
  const boltClass = (shape: BoltShape) => {
    if (shape.explicit) {
      return class ExplicitStep extends Bolt {
        static outputs = ['id', 'attempt', 'branch'] as const;
        process(tuple: Tuple): void {
          const { id, attempt, fail, children } = decide(shape, tuple);
          for (let branch = 0; branch < children; branch++) this.emit([id, attempt, branch], { anchors: tuple });
          if (fail) this.fail(tuple);
          else this.ack(tuple);
        }
      };
    }
    return class BasicStep extends BasicBolt {
      static outputs = ['id', 'attempt', 'branch'] as const;
      process(tuple: Tuple): void {
        const { id, attempt, fail, children } = decide(shape, tuple);
        for (let branch = 0; branch < children; branch++) this.emit([id, attempt, branch]);
        if (fail) this.fail(tuple);
      }
    };
  };

  class RandomTopology extends Topology {
    constructor() {
      super();
      const specs = this as unknown as Record<string, ComponentSpec<{ default: 'id' | 'attempt' }>>;
      specs.spout = ledgerSpout(ledger, { replay: true }).spec({ p: shape.spoutP });
      for (const bolt of shape.bolts) {
        const inputs: InputLike[] = bolt.inputs.map(({ from, grouping }) =>
          grouping === 'fields' ? specs[from].fields('id') : grouping === 'localOrShuffle' ? specs[from].localOrShuffle() : specs[from].shuffle(),
        );
        specs[bolt.name] = boltClass(bolt).spec({ p: bolt.p, inputs });
      }
    }
  }

  const worker = await cluster().submit(RandomTopology, { name: `random-${seed}` });
  await cluster().until(() => ledger.complete(), `seed ${seed} (${JSON.stringify(shape)}): every msgId acked`);
  return { shape, ledger, failedTrees, worker };
}

const SEEDS = [1, 2, 3, 7, 8, 12];

describe('guaranteed processing under random failures', () => {
  it('runs both shapes over its seeds', () => {
    expect(new Set(SEEDS.map((seed) => randomShape(seed).kind))).toEqual(new Set(['chain', 'diamond']));
  });

  it.each(SEEDS)('acks every msgId exactly once and fails each failed tree once (seed %i)', async (seed) => {
    const { shape, ledger, failedTrees, worker } = await runShape(seed);
    const context = `seed ${seed}, shape ${JSON.stringify(shape)}`;

    expect(ledger.duplicateAcks(), context).toEqual([]);
    expect(failedTrees.size, context).toBeGreaterThan(0);
    expect(ledger.fails, context).toHaveLength(failedTrees.size);
    // Each id failed once per attempt some bolt failed, and was emitted once more than it failed.
    const failsPerId = new Map<number, number>();
    for (const id of ledger.fails) failsPerId.set(id, (failsPerId.get(id) ?? 0) + 1);
    const failedAttemptsPerId = new Map<number, number>();
    for (const tree of failedTrees) {
      const id = Number(tree.split('/')[0]);
      failedAttemptsPerId.set(id, (failedAttemptsPerId.get(id) ?? 0) + 1);
    }
    expect(failsPerId, context).toEqual(failedAttemptsPerId);
    expect(ledger.emits, context).toHaveLength(ledger.total + ledger.fails.length);
    expect(worker.pendingTrees, context).toBe(0);
    expect(cluster().errorMessages(), context).toEqual([]);
  });
});
