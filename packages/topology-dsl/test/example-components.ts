import { BasicBolt, Bolt, Spout, type Tuple } from '@topo/topology-dsl';

/** The seed example's source: one URL per tuple. */
export class UrlSpout extends Spout {
  static outputs = ['url'] as const;
  private readonly urls = ['https://example.com/a', 'not a url'];

  nextTuple(): void {
    const url = this.urls.shift();
    if (url !== undefined) this.emit([url], { msgId: url });
  }
}

/** The seed example's parser: host and path on `default`, unparseable URLs on `invalid`. */
export class UrlBolt extends BasicBolt {
  static outputs = ['url', 'host', 'path'] as const;
  static streams = { invalid: ['url', 'reason'] } as const;

  process(tuple: Tuple): void {
    const url = String(tuple.get('url'));
    if (!URL.canParse(url)) {
      this.emit([url, 'unparseable'], { stream: 'invalid' });
      return;
    }
    const { host, pathname } = new URL(url);
    this.emit([url, host, pathname]);
  }
}

/** Keyed events, with an `errors` stream and a direct stream `routed` for emitDirect. */
export class EventSpout extends Spout {
  static outputs = ['key', 'value'] as const;
  static streams = {
    errors: ['reason'],
    routed: { fields: ['key', 'value'], direct: true },
  } as const;
  private next = 0;

  nextTuple(): void {
    this.emit([`k${this.next % 3}`, this.next], { msgId: this.next++ });
  }
}

/** A terminal bolt that acks explicitly and declares no outputs. */
export class Sink extends Bolt {
  process(tuple: Tuple): void {
    this.ack(tuple);
  }
}
