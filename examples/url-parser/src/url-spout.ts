import { Spout, type TopologyConfig } from '@topo/topology-dsl';
import { urlSourceFromConfig, type UrlSource } from './url-source.js';

/**
 * Emits one `url` tuple per line of its source, tracked with the URL itself as message
 * id: the engine keeps the msgId of every tree in flight and hands it back to `fail`, so
 * the spout keeps nothing of its own and a failed URL is queued to be emitted again.
 * Bound the trees in flight with `topology.max.spout.pending`.
 *
 * The source comes from the component config (see `urlSourceFromConfig`); the tasks of a
 * spout with `p` above 1 read the file's lines in turn, each URL once. A subclass can
 * override `createSource` instead. A source that ends (a file with `urlparser.loop=false`,
 * stdin at its end) makes the spout say it is done, so `topo run` ends by itself.
 */
export class UrlSpout extends Spout {
  static outputs = ['url'] as const;

  private source!: UrlSource;
  private readonly replays: string[] = [];
  private emitted = 0;
  private reportedEnd = false;

  open(): void {
    this.source = this.createSource(this.context.config);
  }

  protected createSource(config: Readonly<TopologyConfig>): UrlSource {
    const { componentId, taskIndex, componentTasks } = this.context;
    return urlSourceFromConfig(config, componentId, { index: taskIndex, of: componentTasks.length });
  }

  nextTuple(): void {
    const url = this.replays.length > 0 ? this.replays.shift() : this.source.next();
    if (url !== undefined) {
      this.emit([url], { msgId: url });
      this.emitted++;
    } else if (this.source.ended) {
      // Said on every call with nothing left: a failed tree undoes it until the replay is emitted.
      this.done();
      if (!this.reportedEnd) {
        this.reportedEnd = true;
        this.context.log('info', `source ended after ${this.emitted} URLs`);
      }
    }
  }

  fail(msgId: unknown): void {
    this.replays.push(msgId as string);
  }

  close(): void {
    this.source.close();
  }
}
