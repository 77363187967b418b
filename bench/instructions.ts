/**
 * Instructions per URL of the url-parser's work, counted by valgrind (cachegrind, no
 * cache simulation): `npx tsx bench/instructions.ts [loop] [topo] [--urls N]`. Each mode
 * runs N and 10N URLs and reports the difference over 9N, so start-up cancels out.
 * Counts repeat to about 1% where wall-clock time on a shared machine swings by 25%, so
 * this is how to tell whether a change to a hot path helped. It needs valgrind, and
 * takes a minute or two per mode.
 *
 * - `loop`: the framework-free loop of the bench's tight-loop variant.
 * - `topo`: one worker of examples/url-parser/topology-workers.ts, in this process
 *   (spout, parse bolt and tallies, acking on), which is what each of `topo run
 *   --workers 2`'s processes does per URL.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Topology, build } from '@topo/topology-dsl';
import { Worker, tuneV8ForTuples } from '@topo/runtime';
import { HostCountBolt } from '../examples/url-parser/src/host-count-bolt.js';
import { InvalidCountBolt } from '../examples/url-parser/src/invalid-count-bolt.js';
import { HostTallyBolt, InvalidTallyBolt } from '../examples/url-parser/src/tally-bolts.js';
import { UrlBolt } from '../examples/url-parser/src/url-bolt.js';
import { UrlSpout } from '../examples/url-parser/src/url-spout.js';
import { loadUrls } from './url-list.js';
import { countKey, countOne } from './url-work.js';

const MODES = ['loop', 'topo'] as const;
type Mode = (typeof MODES)[number];

/** Runs `urls` URLs through `mode` and returns once the last one is counted (acked, for Topo). */
async function work(mode: Mode, urls: number): Promise<void> {
  tuneV8ForTuples();
  if (mode === 'loop') {
    const lines = loadUrls();
    const counts = new Map<string, number>();
    for (let i = 0, next = 0; i < urls; i++) {
      countOne(counts, countKey(lines[next]));
      next = next + 1 === lines.length ? 0 : next + 1;
    }
    return;
  }
  let emitted = 0;
  class CountedUrlSpout extends UrlSpout {
    override nextTuple(): void {
      if (emitted === urls) return;
      emitted++;
      super.nextTuple();
    }
  }
  // One worker's share of examples/url-parser/topology-workers.ts (written for two
  // workers): one task of each component. Running that file here would put both workers'
  // tasks in this process, twice the executors for the same URLs.
  class OneWorker extends Topology {
    static config = { 'topology.max.spout.pending': 1000 };
    urlSpout = CountedUrlSpout.spec();
    urlBolt = UrlBolt.spec({ input: this.urlSpout.localOrShuffle() });
    hostTally = HostTallyBolt.spec({ input: this.urlBolt.localOrShuffle(), tickSecs: 1 });
    invalidTally = InvalidTallyBolt.spec({ input: this.urlBolt.stream('invalid').localOrShuffle(), tickSecs: 1 });
    hostCount = HostCountBolt.spec({ input: this.hostTally.fields('host') });
    invalidCount = InvalidCountBolt.spec({ input: this.invalidTally.fields('reason') });
  }
  const worker = new Worker(build(OneWorker), { logger: () => {} });
  await worker.start();
  const acked = () => worker.metrics().find((m) => m.component === 'urlSpout')!.acked;
  // Seldom, so that polling adds little to the count (valgrind runs the process ~50 times slower).
  while (acked() < urls) await new Promise((resolve) => setTimeout(resolve, 100));
  await worker.stop();
}

/** Instructions valgrind counts for one run of `mode` over `urls` URLs. */
function instructions(mode: Mode, urls: number): number {
  const self = fileURLToPath(import.meta.url);
  const valgrind = ['--tool=cachegrind', '--cache-sim=no', '--smc-check=all-non-file', '--cachegrind-out-file=/dev/null'];
  const run = spawnSync('valgrind', [...valgrind, process.execPath, '--import', 'tsx', self, '--child', mode, '--urls', String(urls)], { encoding: 'utf8' });
  const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || refs === null) {
    throw new Error(`valgrind on ${mode} with ${urls} URLs failed (exit ${run.status}${run.error ? `, ${run.error.message}` : ''}): ${(run.stderr ?? '').slice(-500)}`);
  }
  return Number(refs[1].replaceAll(',', ''));
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { child: { type: 'string' }, urls: { type: 'string' } } });
const urls = Number(values.urls ?? 20_000);
if (values.child !== undefined) {
  await work(values.child as Mode, urls);
  process.exit(0);
}
const modes = positionals.length > 0 ? positionals : [...MODES];
for (const mode of modes) {
  if (!(MODES as readonly string[]).includes(mode)) throw new Error(`unknown mode ${mode}; modes: ${MODES.join(', ')}`);
  const perUrl = (instructions(mode as Mode, urls * 10) - instructions(mode as Mode, urls)) / (urls * 9);
  process.stdout.write(`${mode}: ${Math.round(perUrl)} instructions per URL\n`);
}
