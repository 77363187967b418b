import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchPart, BenchVariant } from '../part.js';
import { bullmqPipeline } from './url-pipeline/bullmq.js';
import { piscinaPool } from './url-pipeline/piscina.js';
import { redisStreamsPipeline } from './url-pipeline/redis-streams.js';
import { tightLoopOneCore, tightLoopProcesses } from './url-pipeline/tight-loop.js';
import { TOPO_MAX_SPOUT_PENDING, topoOfferedLoad, topoSaturated } from './url-pipeline/topo.js';
import { measureNewPool, startPool } from '../worker-pool-run.js';

const PART = 'url-pipeline';
const cores = os.cpus().length;

/**
 * BullMQ worker concurrency per queue. Tried on the 2-core bench machine (4 s runs, 2,000
 * or 5,000 jobs in flight): 1 gave about 850 URLs/s, 10 about 2,700; 50, 100, 200 and 400
 * were within noise of each other (3,500 to 7,000, following the CPU the machine had
 * free, about 3,500 to 4,000 per busy core); 500 was no better. 100 it is.
 */
const BULLMQ_CONCURRENCY = 100;
/** Jobs or entries the queue-based producers keep in flight. */
const QUEUE_WINDOW = 2000;
/**
 * Consumers per stream, each on its own connection. Tried 1, 2 and 4 (batch 100): the
 * same rate (the Node process is the bottleneck at about one core), 4 with a quarter of
 * the median latency.
 */
const STREAMS_CONSUMERS = 4;
/** Entries per XREADGROUP and per producer pipeline. Tried 10 (about half the rate), 100 and 500 (the same). */
const STREAMS_BATCH = 100;
/** Offered loads of the latency chart, as fractions of the rate Topo reaches saturated. */
const OFFERED_LOADS = [0.1, 0.25, 0.5, 0.75];

const workersTopology = fileURLToPath(new URL('../../examples/url-parser/topology-workers.ts', import.meta.url));
const fieldsAcrossWorkersTopology = fileURLToPath(new URL('./url-pipeline/two-worker-topology.ts', import.meta.url));

const topoLoadVariants: BenchVariant[] = OFFERED_LOADS.map((fraction) => ({
  id: `${PART}/topo-1-process-load-${fraction * 100}`,
  description: `Topo in one process offered ${fraction * 100}% of the rate it reached saturated a moment before in the same process; latency from when each URL was due, not when it was emitted`,
  chart: { series: 'Topo, 1 process', offeredLoad: true },
  measure: (o) => topoOfferedLoad(fraction, o),
}));

const topoPollingVariants: BenchVariant[] = OFFERED_LOADS.map((fraction) => ({
  id: `${PART}/topo-1-process-load-${fraction * 100}-polling`,
  description: `as topo-1-process-load-${fraction * 100}, with the spout called again at once when it found nothing (topology.spout.wait.progressive.level3.sleep.millis 0)`,
  chart: { series: 'Topo, 1 process, spout never sleeps', offeredLoad: true },
  measure: (o) => topoOfferedLoad(fraction, o, { 'topology.spout.wait.progressive.level3.sleep.millis': 0 }),
}));

export const urlPipeline: BenchPart = {
  name: PART,
  description:
    "The url-parser example's work, done by each contender on the same input: each line of examples/url-parser/data/urls.txt (malformed ones included) is parsed with WHATWG URL and the example's checks, then counted per host (or per reason it is invalid), in two stages where the tool has stages. Tuples/s is URLs through the last stage per second; latency runs from when a URL entered the first stage to when its last stage was done (acked, where the tool acks).",
  reference: `${PART}/topo-1-process`,
  targets: [
    { subject: `${PART}/topo-1-process`, peer: `${PART}/bullmq`, atLeast: 50 },
    { subject: `${PART}/topo-1-process`, peer: `${PART}/redis-streams`, atLeast: 5 },
    { subject: `${PART}/topo-1-process`, peer: `${PART}/tight-loop`, atLeast: 0.7 },
    { subject: `${PART}/topo-2-workers`, peer: `${PART}/piscina`, atLeast: 1 },
  ],
  variants: [
    {
      id: `${PART}/topo-1-process`,
      description: `Topo in one process: the example's spout, parse bolt and fields-grouped count bolts, one task each, acking on (max spout pending ${TOPO_MAX_SPOUT_PENDING}); latency is complete latency, emit to ack`,
      chart: { series: 'Topo', workers: 1 },
      measure: topoSaturated,
    },
    {
      id: `${PART}/topo-2-workers`,
      description: `Topo in two worker processes (\`topo run --workers 2\` of examples/url-parser/topology-workers.ts): a spout, parse and tally task in each, joined by localOrShuffle, so every URL is read, parsed and counted in one worker; the tallies' partial counts (one per host a second) are merged by fields-grouped count bolts across both, as piscina's main thread merges its threads' counts; acking on, each URL's tree acked once counted (max spout pending ${TOPO_MAX_SPOUT_PENDING} per spout task); CPU and RSS include the workers`,
      chart: { series: 'Topo', workers: 2 },
      measure: (o) => measureNewPool(o, () => startPool(workersTopology, 'default', 2, 'urlSpout')),
    },
    {
      id: `${PART}/topo-2-workers-fields`,
      description: `Topo in two worker processes, without tallies: a spout and a parse task in each, joined by localOrShuffle, and every parsed URL fields-grouped by host into count bolts across both, so half the URLs and their acks cross between the workers; acking on (max spout pending ${TOPO_MAX_SPOUT_PENDING} per spout task)`,
      measure: (o) => measureNewPool(o, () => startPool(fieldsAcrossWorkersTopology, 'default', 2, 'urlSpout')),
    },
    {
      id: `${PART}/bullmq`,
      description: `BullMQ: a parse queue and a count queue with a worker each in one Node process, a parse job completing only after its count job is added (at-least-once), completed jobs removed; ${QUEUE_WINDOW} jobs in flight; its own redis-server alongside. Worker concurrency ${BULLMQ_CONCURRENCY}, tuned: 1 gave about 850 URLs/s and 10 about 2,700, while 50, 100, 200 and 400 were within noise of each other and 500 was no better`,
      chart: { series: 'BullMQ', workers: 1 },
      measure: (o) => bullmqPipeline(BULLMQ_CONCURRENCY, QUEUE_WINDOW, o),
    },
    {
      id: `${PART}/redis-streams`,
      description: `Redis Streams with consumer groups: ${STREAMS_CONSUMERS} consumers per stage, each XREADGROUPs ${STREAMS_BATCH} entries, XADDs them to the next stage and only then XACKs them (at-least-once); ${QUEUE_WINDOW} entries in flight; one Node process and its own redis-server alongside. Tuned: batches of 10 gave about half the rate of 100 or 500; 1, 2 or 4 consumers the same rate, 4 the lowest latency`,
      chart: { series: 'Redis Streams', workers: 1 },
      measure: (o) => redisStreamsPipeline(STREAMS_CONSUMERS, STREAMS_BATCH, QUEUE_WINDOW, o),
    },
    {
      id: `${PART}/piscina-1-thread`,
      description: 'piscina with one worker thread: batches of 1,000 URLs parsed and counted in the thread, counts merged on the main thread; no delivery guarantee',
      chart: { series: 'piscina', workers: 1 },
      measure: (o) => piscinaPool(1, o),
    },
    {
      id: `${PART}/piscina`,
      description: `piscina with a worker thread per core (${cores}), as piscina-1-thread; peak RSS includes the threads, which share the process`,
      chart: { series: 'piscina', workers: cores },
      measure: (o) => piscinaPool(cores, o),
    },
    {
      id: `${PART}/tight-loop`,
      description: 'the limit on one core: parse and count in a plain loop over the URLs, no framework, no queue',
      chart: { series: 'tight loop (limit)', workers: 1 },
      measure: tightLoopOneCore,
    },
    {
      id: `${PART}/tight-loop-all-cores`,
      description: `the limit on every core: the same loop in ${cores} child processes at once, rates summed; peak RSS is the parent's, the children's is summed beside it`,
      chart: { series: 'tight loop (limit)', workers: cores },
      measure: (o) => tightLoopProcesses(cores, o),
    },
    ...topoLoadVariants,
    ...topoPollingVariants,
  ],
};
