import { Topology } from '@topo/topology-dsl';
import { HostCountBolt } from '../../../examples/url-parser/src/host-count-bolt.js';
import { InvalidCountBolt } from '../../../examples/url-parser/src/invalid-count-bolt.js';
import { UrlBolt } from '../../../examples/url-parser/src/url-bolt.js';
import { UrlSpout } from '../../../examples/url-parser/src/url-spout.js';
import { TOPO_MAX_SPOUT_PENDING } from './topo.js';

/**
 * The url-parser example laid out for two workers without tallies: a spout task and a
 * parse task in each worker, joined by localOrShuffle so a URL is parsed where it was
 * read, and every parsed URL fields-grouped by host into the count bolts, so about half
 * of them (and their acks) cross between the workers. The bench sets it beside
 * examples/url-parser/topology-workers.ts to show what the tallies save.
 */
export default class UrlParserTwoWorkers extends Topology {
  static config = { 'topology.max.spout.pending': TOPO_MAX_SPOUT_PENDING };
  urlSpout = UrlSpout.spec({ p: 2 });
  urlBolt = UrlBolt.spec({ p: 2, input: this.urlSpout.localOrShuffle() });
  hostCount = HostCountBolt.spec({ p: 2, input: this.urlBolt.fields('host') });
  invalidCount = InvalidCountBolt.spec({ p: 2, input: this.urlBolt.stream('invalid').fields('reason') });
}
