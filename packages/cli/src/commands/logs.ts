import { Flags } from '@oclif/core';
import type { TopologyDetail, TopologyWorker } from '@topo/nimbus';
import type { LogRecord } from '@topo/runtime';
import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';
import { durationFlag } from '../duration-flag.js';
import type { WorkerLogReader } from '../worker-log-reader.js';

/** How often `-f` asks every worker's logviewer for new lines, and how often it looks for moved or new workers. */
const FOLLOW_POLL_MS = 500;
const FOLLOW_WORKERS_MS = 5000;
/** Without --since, each worker's last lines (Storm's logviewer page). */
const TAIL_BYTES = 51_200;

export default class Logs extends CliCommand {
  static override summary = "Print a topology's worker logs, merged by time";
  static override description =
    "Finds the topology's workers through nimbus and reads each one's log from its supervisor's logviewer (with the cluster's token), merging the lines of all of them by time. Without --since it starts from each worker's last 50 KB; with -f it keeps following them, including workers that start later.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> UrlParser',
    '<%= config.bin %> <%= command.id %> UrlParser --component urlBolt --since 10m --grep timeout',
    '<%= config.bin %> <%= command.id %> UrlParser -f',
  ];
  static override args = { name: topologyNameArg };
  static override flags = {
    ...clusterFlags,
    component: Flags.string({ description: 'only the lines of this component' }),
    worker: Flags.string({ description: 'only this worker (its id, or host:port)' }),
    follow: Flags.boolean({ char: 'f', description: 'keep printing new lines until Ctrl-C' }),
    since: durationFlag({ description: 'only lines from this long ago on, e.g. 10m (reads up to 10 MiB of each log)' }),
    grep: Flags.string({ helpValue: 'RE', description: 'only lines matching this regular expression' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Logs);
    const [{ formatLogRecord }, { LogViewerClient, MAX_PAGE_BYTES }, { TopoError }] = await Promise.all([import('@topo/runtime'), import('@topo/supervisor'), import('@topo/topology-dsl')]);
    const { WorkerLogReader } = await import('../worker-log-reader.js');
    // Before the first read: a Ctrl-C or SIGTERM that comes while it prints must end the following, not the process.
    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    if (flags.follow) {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }
    let grep: RegExp | undefined;
    try {
      grep = flags.grep === undefined ? undefined : new RegExp(flags.grep);
    } catch (error) {
      throw new TopoError(`--grep: ${error instanceof Error ? error.message : String(error)}`);
    }
    const since = flags.since === undefined ? undefined : Date.now() - flags.since;
    const client = await nimbusClient(flags);
    const viewer = new LogViewerClient(flags.token);
    const readers = new Map<string, WorkerLogReader>();
    const wanted = (w: TopologyWorker) =>
      (flags.worker === undefined || flags.worker === w.id || flags.worker === `${w.host}:${w.port}`) &&
      (flags.component === undefined || w.executors.some((e) => e.component === flags.component));
    const keep = (r: LogRecord) =>
      (since === undefined || r.time >= since) && (flags.component === undefined || r.component === flags.component);
    const print = (records: LogRecord[]) => {
      records.sort((a, b) => a.time - b.time);
      for (const record of records) {
        if (!keep(record)) continue;
        const line = formatLogRecord(record);
        if (grep === undefined || grep.test(line)) this.log(line);
      }
    };
    const findWorkers = async (): Promise<TopologyDetail> => {
      const detail = await client.topology(args.name);
      for (const w of detail.workers) {
        const key = `${w.host}:${w.port}`;
        if (!wanted(w) || w.workerLogLink === undefined || readers.get(key)?.worker === w.id) continue;
        readers.set(key, new WorkerLogReader(w.id, w.workerLogLink, viewer, since === undefined ? TAIL_BYTES : MAX_PAGE_BYTES));
      }
      return detail;
    };
    const readAll = async (): Promise<LogRecord[]> => {
      const pages = await Promise.all(
        [...readers.values()].map((r) =>
          r.next().catch((error: unknown) => {
            // One supervisor away leaves the others' lines; it is named once per round.
            this.logToStderr(`warning: worker ${r.worker}: ${error instanceof Error ? error.message : String(error)}`);
            return [];
          }),
        ),
      );
      return pages.flat();
    };

    try {
      const detail = await findWorkers();
      if (readers.size === 0 && !flags.follow) {
        const why = detail.workers.length === 0 ? 'it has no workers yet' : detail.workers.some(wanted) ? "their supervisors do not serve logs (start them with a logviewer port)" : 'none matches --worker/--component';
        throw new TopoError(`no worker logs to read for ${detail.name}: ${why}`);
      }
    } catch (error) {
      failClusterCommand(this, error, flags.json);
    }
    print(await readAll());
    if (!flags.follow) return;
    let lastLookup = Date.now();
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      if (Date.now() - lastLookup >= FOLLOW_WORKERS_MS) {
        lastLookup = Date.now();
        // Nimbus away for a moment: keep following the workers already known.
        await findWorkers().catch(() => undefined);
      }
      print(await readAll());
    }
  }
}
