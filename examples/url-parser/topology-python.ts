import { PYTHON_ADAPTER_PATH, ShellBolt } from '@topo/multilang';
import { Topology } from '@topo/topology-dsl';
import { HostCountBolt } from './src/host-count-bolt.js';
import { InvalidCountBolt } from './src/invalid-count-bolt.js';
import { UrlBolt } from './src/url-bolt.js';
import { UrlSpout } from './src/url-spout.js';

/**
 * The URL parser with `UrlBolt` written in Python (`python/url_bolt.py`, on Topo's
 * Python adapter), each of its tasks a `python3` subprocess speaking Storm's multi-lang
 * protocol. Same streams as the TypeScript bolt, so the rest is unchanged. Run it with
 * `npx topo run examples/url-parser/topology-python.ts`.
 */
export default class UrlParserPython extends Topology {
  static config = { 'topology.max.spout.pending': 1000 };

  urlSpout = UrlSpout.spec({ p: 1 });
  urlBolt = ShellBolt.spec({
    command: 'python3',
    args: ['url_bolt.py'],
    // The script's folder, next to this file: relative script paths resolve against `cwd`.
    cwd: new URL('./python/', import.meta.url),
    env: { PYTHONPATH: PYTHON_ADAPTER_PATH },
    outputs: UrlBolt.outputs,
    streams: UrlBolt.streams,
    p: 2,
    input: this.urlSpout,
  });
  hostCount = HostCountBolt.spec({ p: 3, input: this.urlBolt.fields('host') });
  invalidCount = InvalidCountBolt.spec({ p: 1, input: this.urlBolt.stream('invalid').fields('reason') });
}
