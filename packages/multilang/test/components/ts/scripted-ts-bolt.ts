import { BasicBolt, type Tuple } from '@topo/topology-dsl';
import { taskIdsOf } from '@topo/multilang';

const thrown = new Set<unknown>();

/**
 * A BasicBolt for the tests, written against the ordinary Bolt API, that runs the same
 * in-process and as a subprocess. Input `[action, n]`:
 * `echo` emits it; `log` console.logs; `throw` throws the first time (so it is failed and
 * replayed); `taskids` emits and logs the task ids it went to; `later` emits after an await;
 * `metric` adds 2 to the counter `ts.count`; `bad-stream` emits on an undeclared stream the first time.
 */
export class ScriptedTsBolt extends BasicBolt {
  static outputs = ['action', 'n'] as const;

  async process(tuple: Tuple): Promise<void> {
    const [action, n] = tuple.values;
    switch (action) {
      case 'log':
        console.log('hello from', n);
        console.warn('careful with', n);
        break;
      case 'throw':
        if (!thrown.has(n)) {
          thrown.add(n);
          throw new Error(`no good: ${n}`);
        }
        break;
      case 'taskids': {
        const tasks = await taskIdsOf(() => this.emit([action, n]));
        this.context.log('info', `task ids ${JSON.stringify(tasks)}`);
        return;
      }
      case 'later':
        await new Promise((resolve) => setTimeout(resolve, 5));
        break;
      case 'metric':
        this.context.incrMetric('ts.count', 2);
        break;
      case 'bad-stream':
        if (!thrown.has(n)) {
          thrown.add(n);
          // Throws, in-process and in a subprocess alike: the stream is not declared.
          this.emit([action, n], { stream: 'nope' });
        }
        break;
    }
    this.emit([action, n]);
  }
}
