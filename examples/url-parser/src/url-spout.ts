import { Spout, type TopologyConfig } from '@topo/topology-dsl';
import { urlSourceFromConfig, type UrlSource } from './url-source.js';

/**
 * Emits one `url` tuple per line of its source, each with a message id so its tree is
 * tracked. It keeps the URL of every tree in flight: `fail` queues that URL to be emitted
 * again (same message id), `ack` forgets it. Bound the memory this takes with
 * `topology.max.spout.pending`.
 *
 * The source comes from the component config (see `urlSourceFromConfig`); a subclass can
 * override `createSource` instead.
 */
export class UrlSpout extends Spout {
  static override outputs = ['url'] as const;

  private source!: UrlSource;
  private readonly pending = new Map<number, string>();
  private readonly replays: number[] = [];
  private nextMsgId = 0;
  private reportedEnd = false;

  override open(): void {
    this.source = this.createSource(this.context.config);
  }

  protected createSource(config: Readonly<TopologyConfig>): UrlSource {
    return urlSourceFromConfig(config, this.context.componentId);
  }

  nextTuple(): void {
    const replay = this.replays.shift();
    if (replay !== undefined) {
      this.emit([this.pending.get(replay)], { msgId: replay });
      return;
    }
    const url = this.source.next();
    if (url !== undefined) {
      const msgId = this.nextMsgId++;
      this.pending.set(msgId, url);
      this.emit([url], { msgId });
    } else if (this.source.ended && !this.reportedEnd) {
      this.reportedEnd = true;
      this.context.log('info', `source ended after ${this.nextMsgId} URLs`);
    }
  }

  override ack(msgId: unknown): void {
    this.pending.delete(msgId as number);
  }

  override fail(msgId: unknown): void {
    if (this.pending.has(msgId as number)) this.replays.push(msgId as number);
  }

  override close(): void {
    this.source.close();
  }
}
