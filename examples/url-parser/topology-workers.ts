import { Topology } from '@topo/topology-dsl';
import { HostCountBolt } from './src/host-count-bolt.js';
import { InvalidCountBolt } from './src/invalid-count-bolt.js';
import { HostTallyBolt, InvalidTallyBolt } from './src/tally-bolts.js';
import { UrlBolt } from './src/url-bolt.js';
import { UrlSpout } from './src/url-spout.js';

/** Worker processes this layout is written for: one task of each per-URL component in each. */
const WORKERS = 2;
/** How often the tallies hand their partial counts on: how far the merged counts trail. */
const TALLY_SECS = 1;

/**
 * The url-parser laid out for `topo run --workers 2`: every URL is read, parsed and
 * counted in one worker (a spout, parse and tally task per worker, joined by
 * `localOrShuffle()`), and only the tallies' partial counts, one per host and tick,
 * cross to the fields-grouped count bolts that merge them. For N workers, set WORKERS
 * to N. Run it with `npx topo run examples/url-parser/topology-workers.ts --workers 2`.
 */
export default class UrlParserWorkers extends Topology {
  static config = { 'topology.max.spout.pending': 1000 };

  urlSpout = UrlSpout.spec({ p: WORKERS });
  urlBolt = UrlBolt.spec({ p: WORKERS, input: this.urlSpout.localOrShuffle() });
  hostTally = HostTallyBolt.spec({ p: WORKERS, input: this.urlBolt.localOrShuffle(), tickSecs: TALLY_SECS });
  invalidTally = InvalidTallyBolt.spec({ p: WORKERS, input: this.urlBolt.stream('invalid').localOrShuffle(), tickSecs: TALLY_SECS });
  hostCount = HostCountBolt.spec({ p: WORKERS, input: this.hostTally.fields('host') });
  invalidCount = InvalidCountBolt.spec({ p: 1, input: this.invalidTally.fields('reason') });
}
