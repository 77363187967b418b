import { Spout } from '@topo/topology-dsl';

/** A spout class emitting an ever-increasing counter `n`, each tuple tracked (message id `n`) when `tracked` is set. */
export function counterSpout(tracked: boolean) {
  return class CounterSpout extends Spout {
    static outputs = ['n'] as const;
    private n = 0;
    nextTuple(): void {
      const n = this.n++;
      this.emit([n], tracked ? { msgId: n } : undefined);
    }
  };
}
