import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BasicBolt, Spout, Topology, type Tuple } from '@topo/topology-dsl';

/** The built module of the failing test topologies, to run or submit by path (`--topology Throwing` or `OpenFails`). */
export const failingTopologiesFile = fileURLToPath(new URL('./failing-topologies.js', import.meta.url));

class Numbers extends Spout {
  static outputs = ['n'] as const;
  private next = 0;
  nextTuple(): void {
    this.emit([this.next++]);
  }
}

/** Throws on every input: the flood Storm's error throttle exists for. */
class Thrower extends BasicBolt {
  process(tuple: Tuple): void {
    throw new Error(`cannot parse input ${String(tuple.values[0])}`);
  }
}

/** A bolt that throws on every input of a spout that emits as fast as it can. */
export class Throwing extends Topology {
  numbers = Numbers.spec();
  thrower = Thrower.spec({ input: this.numbers });
}

/** Reads its URLs from a file at open(): `test.dataFile`, by default `data/urls.txt`, which nobody ships. */
class UrlSpout extends Spout {
  static outputs = ['url'] as const;
  private urls: string[] = [];
  open(): void {
    const file = this.context.config['test.dataFile'];
    this.urls = readFileSync(typeof file === 'string' ? file : 'data/urls.txt', 'utf8').split('\n');
  }
  nextTuple(): void {
    const url = this.urls.pop();
    if (url !== undefined) this.emit([url]);
  }
}

class Sink extends BasicBolt {
  process(): void {}
}

/** A topology whose spout fails in open() (its data file was not shipped). */
export class OpenFails extends Topology {
  urlSpout = UrlSpout.spec();
  sink = Sink.spec({ input: this.urlSpout });
}
