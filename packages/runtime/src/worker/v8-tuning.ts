import v8 from 'node:v8';

/**
 * Tunes V8's heap for a process whose garbage is mostly tuples, in processes Topo owns
 * (worker processes, and `topo run`'s own process when it runs the topology there).
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
}
