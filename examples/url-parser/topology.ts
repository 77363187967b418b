import { Topology } from '@topo/topology-dsl';
import { HostCountBolt } from './src/host-count-bolt.js';
import { InvalidCountBolt } from './src/invalid-count-bolt.js';
import { UrlBolt } from './src/url-bolt.js';
import { UrlSpout } from './src/url-spout.js';

/**
 * Parses a stream of URLs and counts them per host; malformed ones are counted per
 * reason on the side. Run it with `npx topo run examples/url-parser/topology.ts`.
 */
export default class UrlParser extends Topology {
  // The spout keeps every URL in flight for replay; this caps that memory.
  static config = { 'topology.max.spout.pending': 1000 };

  urlSpout = UrlSpout.spec({ p: 1 });
  urlBolt = UrlBolt.spec({ p: 4, input: this.urlSpout });
  hostCount = HostCountBolt.spec({ p: 3, input: this.urlBolt.fields('host') });
  invalidCount = InvalidCountBolt.spec({ p: 1, input: this.urlBolt.stream('invalid').fields('reason') });
}
