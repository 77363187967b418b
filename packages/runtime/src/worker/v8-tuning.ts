import v8 from 'node:v8';

/**
 * Bytecode bytes TurboFan may inline into one optimized function (V8's default: 920).
 * A bolt's `process()` inlines the engine's emit path, which used up the default budget
 * before the user's own callees: in the url-parser, WHATWG URL's getters stayed calls.
 * With 3,000 the url-parser ran 4.6% fewer instructions per URL (callgrind, compile time
 * aside) and 3% faster in one process (medians of runs side by side on the two cores).
 */
const INLINING_BUDGET = 3000;

/**
 * Tunes V8 for a process that runs tuples through components, in processes Topo owns
 * (worker processes, and `topo run`'s own process when it runs the topology there):
 * a larger inlining budget (above), young-generation GCs on the main thread alone, and
 * no pretenuring.
 *
 * A young GC of a worker finds almost nothing alive (about 20 KB of tuples in queues),
 * so helper threads have nothing to share and only cost their hand-off, on cores that
 * the other workers keep busy: in the url-parser the scavenges' total pause fell by a
 * third (from 280 to about 180 ms over 3 million URLs) without them.
 *
 * V8 pretenures an allocation site, placing its objects straight in the old generation,
 * once most of a sample of them survived a young-generation GC. Tuple values are such a
 * site for a moment during start-up, when the young generation is small and a thousand
 * trees are in flight. Once pretenured, every dead values array in the old generation
 * still points at young strings, which each young GC must then copy and promote. The
 * url-parser topology ran at 450k instead of 550k URLs/s in about half of its runs,
 * with a second core busy marking. Stream processing needs pretenuring least of all: what
 * it keeps for long (counts, caches) gets promoted within two young GCs anyway.
 */
export function tuneV8ForTuples(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
  v8.setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`);
  v8.setFlagsFromString('--no-parallel-scavenge');
}
