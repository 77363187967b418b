import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { LocalRunApi } from '@topo/nimbus';
import { silentLogger } from '@topo/runtime';
import { UrlSpout } from '../../examples/url-parser/src/url-spout.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';
import { startUrlParser } from './url-pipeline/topo.js';

const PART = 'stats';
/** How often the UI-like poller reads the API: Storm's UI polls every 30 s; a live page polling every second is the harder case. */
const POLL_MS = 1000;

/** What a live topology page reads each round: the topology with its stats, the graph, a component page, and a Prometheus scrape. */
function pollPaths(name: string): string[] {
  return [`/api/v1/topology/${name}?window=600`, `/api/v1/topology/${name}/visualization?window=600`, `/api/v1/topology/${name}/component/urlBolt?window=600`, '/metrics'];
}

/**
 * The poller, in its own process as a browser or Prometheus would be: each round GETs
 * every path, then prints a line; it fails loudly on an answer that is not 200.
 */
const POLLER = `
const [base, interval, ...paths] = process.argv.slice(1);
for (;;) {
  for (const path of paths) {
    const response = await fetch(base + path);
    if (!response.ok) { console.error('GET ' + path + ': ' + response.status); process.exit(1); }
    await response.arrayBuffer();
  }
  console.log('poll');
  await new Promise((resolve) => setTimeout(resolve, Number(interval)));
}`;

/**
 * The url-parser example saturated in one process, with stats reporting on (the HTTP API
 * served from the same process and read every second by a poller in another process,
 * each read rolling every executor's counters into Storm's windows) or off (counters only).
 */
async function urlParserWithStats(options: MeasureOptions, reporting: boolean): Promise<Figures> {
  const { worker, acked, failed } = await startUrlParser(UrlSpout, {});
  const api = reporting ? await LocalRunApi.start(0, { running: worker, workers: 1, kill: () => {}, logger: silentLogger() }) : undefined;
  let polls = 0;
  const poller =
    api === undefined
      ? undefined
      : spawn(process.execPath, ['--input-type=module', '-e', POLLER, api.url, String(POLL_MS), ...pollPaths(worker.definition.name)], { stdio: ['ignore', 'pipe', 'inherit'] });
  poller?.stdout!.setEncoding('utf8').on('data', (chunk: string) => (polls += chunk.split('poll').length - 1));
  const figures = await measureWindow(options, { completed: acked });
  if (poller !== undefined) {
    if (poller.exitCode !== null) throw new Error(`the poller exited with ${poller.exitCode}`);
    poller.kill();
    await once(poller, 'exit');
  }
  await api?.close();
  await worker.stop();
  return { ...figures, failed: failed(), ...(reporting ? { polls } : {}) };
}

/** A poller that reads every path `rounds` times, `gap` ms apart (longer than the API's 250 ms reuse of one rolling), then exits. */
const ROUNDS_POLLER = `
const [base, rounds, gap, ...paths] = process.argv.slice(1);
for (let i = 0; i < Number(rounds); i++) {
  for (const path of paths) {
    const response = await fetch(base + path);
    if (!response.ok) { console.error('GET ' + path + ': ' + response.status); process.exit(1); }
    await response.arrayBuffer();
  }
  await new Promise((resolve) => setTimeout(resolve, Number(gap)));
}`;

/**
 * The CPU one poll round costs the process that runs the topology: a figure that, unlike
 * a rate, a busy machine does not blur. The topology runs until it has done some work, is
 * deactivated (its counters stay), and the process's CPU time is read over the rounds and
 * over as long a quiet stretch, whose difference is the rounds' cost.
 */
async function pollRoundCost(options: MeasureOptions): Promise<Figures> {
  const { worker, acked } = await startUrlParser(UrlSpout, {});
  while (acked() < (options.quick ? 10_000 : 200_000)) await new Promise((resolve) => setTimeout(resolve, 20));
  worker.deactivate();
  const api = await LocalRunApi.start(0, { running: worker, workers: 1, kill: () => {}, logger: silentLogger() });
  const rounds = options.quick ? 3 : 100;
  const gapMs = 300;
  const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
  const before = process.cpuUsage();
  const poller = spawn(process.execPath, ['--input-type=module', '-e', ROUNDS_POLLER, api.url, String(rounds), String(gapMs), ...pollPaths(worker.definition.name)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = await once(poller, 'exit');
  if (code !== 0) throw new Error(`the poller exited with ${code}`);
  const polled = cpuMs(process.cpuUsage(before));
  const quietStart = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, rounds * gapMs));
  const quiet = cpuMs(process.cpuUsage(quietStart));
  await api.close();
  await worker.stop();
  const perRound = Math.max(0, (polled - quiet) / rounds);
  return { cpuMsPerPollRound: perRound, costAtOneRoundPerSecRatio: 1 - perRound / 1000 };
}

export const stats: BenchPart = {
  name: PART,
  description:
    "What watching a topology costs: the url-parser example in one process (as url-pipeline/topo-1-process), with its executors' counters and sampled latencies (topology.stats.sample.rate 0.05) always kept, and with or without the reporting on top: the REST API and /metrics served from the same process, read every second by a poller in another process, as a live UI page and Prometheus would.",
  reference: `${PART}/url-parser-reporting-off`,
  targets: [{ subject: `${PART}/url-parser-reporting-on`, peer: `${PART}/url-parser-reporting-off`, atLeast: 0.97 }],
  variants: [
    {
      id: `${PART}/url-parser-reporting-off`,
      description: 'the url-parser example in one process; counters only, nothing reads them',
      measure: (o) => urlParserWithStats(o, false),
    },
    {
      id: `${PART}/url-parser-reporting-on`,
      description: `the same, with the HTTP API (Storm UI's paths and /metrics) served from the process and read every ${POLL_MS / 1000} s: the topology page, the visualization, a component page and a Prometheus scrape`,
      measure: (o) => urlParserWithStats(o, true),
    },
    {
      id: `${PART}/poll-round-cost`,
      description:
        "CPU the process running the topology spends on one poll round (the four reads above), the url-parser topology's counters and windows being those of a run of 200,000 URLs; costAtOneRoundPerSecRatio is the share of one core left to the tuples at one round a second, what reporting-on / reporting-off should read on a machine with a core to spare",
      measure: pollRoundCost,
    },
  ],
};
