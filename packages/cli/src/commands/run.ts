import os from 'node:os';
import { Flags } from '@oclif/core';
import type { RunningTopology } from '@topo/runtime';
import type { TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';
import { ProgressReporter } from '../progress-reporter.js';
import { secondsFlag } from '../seconds-flag.js';
import { StopTrigger } from '../stop-trigger.js';
import { EXIT_INVALID, TopologyCommand } from '../topology-command.js';
import { configFromFlags, topologyFileArg, topologyFlags } from '../topology-flags.js';

/** Storm's kill waits up to the message timeout for trees; a local run caps that so Ctrl-C feels prompt. */
const MAX_DRAIN_SECS = 10;
/** A component's open() or prepare() threw: the topology is valid but cannot run here. */
const EXIT_FAILED_START = 1;

export default class Run extends TopologyCommand {
  static override summary = 'Run a topology here until its spouts are done or Ctrl-C';
  static override description =
    'Runs the topology in local mode over --workers worker processes (default: one per CPU core; never more than the executors to run; with one worker it runs in this process), printing a progress line every --progress-secs. A worker that dies is restarted and its trees replay. It ends by itself once every spout task has said it is done (Spout.done(): a finite source read to its end) and no tree is pending. On --duration, Ctrl-C or SIGTERM it deactivates the spouts, waits for pending trees (up to the message timeout, at most 10 s) and prints a summary. Ctrl-C twice exits at once.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/url-parser/topology.ts',
    '<%= config.bin %> <%= command.id %> topology.ts --duration 60 --config topology.max.spout.pending=1000',
    '<%= config.bin %> <%= command.id %> examples/url-parser/topology.ts --workers 2',
    '<%= config.bin %> <%= command.id %> topology.ts --topology WordCount --progress-secs 1 --log-level debug',
    '<%= config.bin %> <%= command.id %> examples/url-parser/topology.ts --config urlparser.loop=false --json',
  ];
  static override args = { file: topologyFileArg };
  static override flags = {
    ...topologyFlags,
    name: Flags.string({ helpValue: 'N', description: 'topology name (default: static topologyName, else the class name)' }),
    // A string, checked in run(): oclif's own refusal of a bad integer is a multi-line block, not one `error:` line.
    workers: Flags.string({
      helpValue: 'N',
      description: 'worker processes to spread the tasks over (default: CPU cores); never more than the executors to run, at most topo.max.topology.workers',
    }),
    duration: secondsFlag({ description: 'stop after this many seconds, draining pending trees first (default: run until Ctrl-C)' }),
    'progress-secs': secondsFlag({ default: 5, description: 'seconds between progress lines' }),
    'log-level': Flags.option({ options: ['debug', 'info', 'warn', 'error'] as const, default: 'info' as const })({
      description: 'lowest level of engine and component logs written to stderr',
    }),
    json: Flags.boolean({ description: 'print the final summary as JSON on stdout, and no progress lines' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    const { LocalCluster, LocalWorkerPool, stderrLogger, topologyFinished, tuneV8ForTuples } = await import('@topo/runtime');
    const { DEFAULT_CONFIG, mergeConfig, quoted, topologyLimits } = await import('@topo/topology-dsl');
    const requested = flags.workers === undefined ? undefined : Number(flags.workers);
    if (requested !== undefined && !(Number.isInteger(requested) && requested >= 1)) {
      this.usageError(`--workers expects a whole number of worker processes, at least 1 (got ${quoted(flags.workers!, 32)})`);
    }
    const config = configFromFlags(flags.config);
    const loaded = await this.load(args.file, { topology: flags.topology, name: flags.name, config });
    if (loaded.problems.length > 0) {
      this.logToStderr(await this.problemReport(loaded));
      this.exit(EXIT_INVALID);
    }
    const { definition } = loaded.compiled;
    const name = definition.name;
    const merged = mergeConfig(DEFAULT_CONFIG, definition.config);
    const maxWorkers = topologyLimits(merged)['topo.max.topology.workers'];
    if (requested !== undefined && requested > maxWorkers) {
      this.usageError(`--workers ${requested} is above the limit of ${maxWorkers} (topo.max.topology.workers; raise it with --config topo.max.topology.workers=N)`);
    }
    const logger = stderrLogger(flags['log-level']);
    const executors = executorsToRun(definition, merged);
    const workers = Math.min(requested ?? os.availableParallelism(), executors);
    if (requested !== undefined && requested > workers) {
      logger({ level: 'info', message: `--workers ${requested} is more than the ${executors} executors to run; using ${workers} worker${workers === 1 ? '' : 's'} (as nimbus would)` });
    }
    let running: RunningTopology;
    try {
      if (workers === 1) {
        tuneV8ForTuples();
        running = await new LocalCluster().submit(loaded.compiled, { name, config, logger });
      } else {
        const pool = await LocalWorkerPool.start({ topologyFile: args.file, exportName: flags.topology, name: flags.name, config, workers, logger, logLevel: flags['log-level'] });
        pool.activate();
        running = pool;
      }
    } catch (error) {
      this.logToStderr(`error: could not start ${name}: ${error instanceof Error ? error.message : String(error)}`);
      return this.exit(EXIT_FAILED_START);
    }
    const reporter = new ProgressReporter(running);
    const trigger = new StopTrigger(
      flags.duration,
      () => {
        this.logToStderr('second interrupt: exiting without draining');
        process.exit(130);
      },
      () => topologyFinished(running.definition, running.metrics()),
      () => reporter.sample(),
    );
    const progress = setInterval(() => {
      if (!flags.json) this.log(reporter.progressLine());
    }, flags['progress-secs'] * 1000);
    this.logToStderr(`running ${name} on ${workers} worker${workers === 1 ? ' (this process)' : ' processes'} (${flags.duration === undefined ? 'Ctrl-C to stop' : `for ${flags.duration}s`})`);

    const reason = await trigger.stopped;
    clearInterval(progress);
    if (reason === 'finished') this.logToStderr('every spout is done and no tree is pending');
    const drainSecs = Math.min(Number(running.config['topology.message.timeout.secs']), MAX_DRAIN_SECS);
    this.logToStderr(`stopping (${reason}): deactivating spouts, waiting up to ${drainSecs}s for ${running.pendingTrees} pending trees`);
    running.deactivate();
    await running.drain(drainSecs * 1000);
    // The summary is taken before stopping: a pool's counters live in its workers' last reports.
    const summary = reporter.summary();
    await running.stop();
    trigger.dispose();
    if (running.pendingTrees > 0) this.logToStderr(`gave up on ${running.pendingTrees} trees still pending after ${drainSecs}s`);
    if (flags.json) this.log(JSON.stringify({ topology: name, workers, stopped: reason, ...summary }, null, 2));
    else for (const line of reporter.summaryLines(summary)) this.log(line);
  }
}

/**
 * The executors a worker could hold: the components' and, when set, the ackers'. Ackers
 * left to Storm's default (one per worker) grow with the workers, so they do not count.
 */
function executorsToRun(definition: TopologyDefinition, config: TopologyConfig): number {
  const ackers = config['topology.acker.executors'];
  return definition.components.reduce((n, c) => n + c.parallelism, typeof ackers === 'number' ? ackers : 0);
}
