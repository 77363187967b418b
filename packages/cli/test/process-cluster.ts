import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { NimbusClient, secondScaleFlags, type TopologyDetail } from '@topo/nimbus';
import { ackedIdsTopologyFile, AckLog, freePort, freePortRange, scaledMs, startTestRedis, type TestRedisServer, waitFor } from '@topo/runtime';
import { CliProcess, type CliResult } from './cli-process.js';

/** A daemon started through the real CLI, with what it needs to be started again the same way. */
export interface Daemon {
  process: CliProcess;
  args: string[];
}

/** What a test file's cluster starts with. */
export interface ClusterLayout {
  /** Given to every daemon and every `topo` command. */
  token?: string;
  nimbuses: number;
  /** Supervisors by advertised loopback host (127.0.0.2, ...), two slots each. */
  supervisors?: string[];
}

/**
 * A cluster of real processes: its own redis-server, nimbuses and supervisors started
 * with `topo nimbus` and `topo supervisor`, at second-scale timeouts.
 */
export class ProcessCluster {
  readonly nimbuses: Daemon[] = [];
  readonly supervisors = new Map<string, Daemon>();
  readonly nimbusUrls: string[] = [];
  readonly dir = mkdtempSync(path.join(tmpdir(), 'topo-cli-cluster-'));
  private server: TestRedisServer | undefined;

  private constructor(readonly token: string | undefined) {}

  /**
   * The test file's cluster, laid out as `layout` before its tests and stopped after them.
   * Its Redis is durable, so that a test can restart it without the cluster losing state.
   */
  static perFile(layout: ClusterLayout): ProcessCluster {
    const cluster = new ProcessCluster(layout.token);
    beforeAll(async () => {
      cluster.server = await startTestRedis({ durable: true });
      // Supervisors need only Redis, so they start beside the nimbuses (which start in order, so that nimbuses[i] serves nimbusUrls[i]).
      const nimbuses = async () => {
        for (let i = 0; i < layout.nimbuses; i++) await cluster.startNimbus();
      };
      await Promise.all([nimbuses(), ...(layout.supervisors ?? []).map((host) => cluster.startSupervisor(host, 2))]);
    });
    // A failed test shows what the daemons were saying: usually why.
    beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(cluster.daemonLogs())));
    afterAll(() => cluster.stop());
    return cluster;
  }

  /** The last lines each daemon wrote to stderr, for a failed test's output. */
  daemonLogs(lines = 40): string {
    const daemons: [string, Daemon][] = [...this.nimbuses.map((d, i): [string, Daemon] => [`nimbus ${i}`, d]), ...[...this.supervisors].map(([host, d]): [string, Daemon] => [`supervisor ${host}`, d])];
    return daemons.map(([name, d]) => `--- ${name}, last ${lines} lines of stderr:\n${d.process.stderr.split('\n').slice(-lines - 1).join('\n')}`).join('\n');
  }

  get redis(): TestRedisServer {
    if (this.server === undefined) throw new Error('the cluster has not started: use it in tests and hooks, not while the file loads');
    return this.server;
  }

  /** Nimbus's REST API, trying every nimbus in turn as `topo` does. */
  get client(): NimbusClient {
    return new NimbusClient({ urls: this.nimbusUrls, token: this.token });
  }

  async startNimbus(): Promise<Daemon> {
    const port = await freePort();
    const args = ['nimbus', '--redis', this.redis.url, '--port', String(port), ...secondScaleFlags(), ...(this.token !== undefined ? ['--token', this.token] : [])];
    this.nimbuses.push(await launch(args, /listening on http:/));
    this.nimbusUrls.push(`http://127.0.0.1:${port}`);
    return this.nimbuses.at(-1)!;
  }

  /** Starts the `index`th nimbus again with the arguments it had (same port). */
  async restartNimbus(index: number): Promise<Daemon> {
    this.nimbuses[index] = await launch(this.nimbuses[index].args, /listening on http:/);
    return this.nimbuses[index];
  }

  /** A supervisor advertising `host` (a loopback address such as 127.0.0.2), identified by it. */
  async startSupervisor(host: string, slots: number): Promise<Daemon> {
    const args = [
      'supervisor',
      '--redis',
      this.redis.url,
      '--host',
      host,
      '--id',
      `sup-${host}`,
      '--slots',
      String(slots),
      '--base-port',
      String(await freePortRange(host, slots)),
      '--dir',
      path.join(this.dir, host),
      '--logviewer-port',
      '0',
      ...secondScaleFlags(),
      ...(this.token !== undefined ? ['--token', this.token] : []),
    ];
    return this.launchSupervisor(host, args);
  }

  /** Starts a supervisor again with the arguments it had (same id, slots and folder). */
  async restartSupervisor(host: string): Promise<Daemon> {
    return this.launchSupervisor(host, this.supervisors.get(host)!.args);
  }

  /** Runs `topo <args> --nimbus <every nimbus>` (and the token, when the cluster has one). */
  topo(...args: string[]): Promise<CliResult> {
    return this.topoProcess(...args).exited;
  }

  /** `topo <args>` as above, left running (for commands that follow, such as `topo logs -f`). */
  topoProcess(...args: string[]): CliProcess {
    return new CliProcess([...args, '--nimbus', this.nimbusUrls.join(','), ...(this.token !== undefined ? ['--token', this.token] : [])]);
  }

  /** Submits the AckedIds topology as `name` (its id log fresh), `extra` added to its config. */
  async submitAckedIds(name: string, total: number, workers: number, extra: Record<string, number> = {}): Promise<AckLog> {
    const ids = new AckLog(total);
    const config = Object.entries({ ...ids.config, ...extra }).flatMap(([k, v]) => ['--config', `${k}=${v}`]);
    const result = await this.topo('submit', ackedIdsTopologyFile, '--name', name, '--workers', String(workers), ...config);
    expect(result.code, result.stderr).toBe(0);
    return ids;
  }

  /** Polls the topology's detail until `check` holds. */
  async topologyWhere(name: string, check: (t: TopologyDetail) => boolean, what: string, timeoutMs = 30_000): Promise<TopologyDetail> {
    let detail: TopologyDetail | undefined;
    await waitFor(
      async () => {
        detail = await this.client.topology(name).catch(() => undefined);
        return detail !== undefined && check(detail);
      },
      what,
      timeoutMs,
    );
    return detail!;
  }

  /**
   * Waits until `topo list` prints `line`, a line about `name`'s worker problem (its status can
   * flip back to plain ACTIVE between two starts of a crash-looping worker). Runs the CLI only
   * once nimbus's summary shows a worker problem: polling with a CLI process, half a second of
   * CPU each, while the problem has not yet been seen is most of a core for nothing.
   */
  async listShowsWorkerProblem(name: string, line: RegExp, what: string): Promise<void> {
    await waitFor(
      async () => {
        const summary = await this.client.topologySummary().catch(() => undefined);
        if (summary?.topologies.find((t) => t.name === name)?.workerProblem === undefined) return false;
        return line.test((await this.topo('list')).stdout);
      },
      what,
      60_000,
      500,
    );
  }

  async stop(): Promise<void> {
    const daemons = [...this.supervisors.values(), ...this.nimbuses];
    await Promise.all(daemons.map((d) => stopProcess(d.process)));
    await this.server?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launchSupervisor(host: string, args: string[]): Promise<Daemon> {
    const daemon = await launch(args, /supervisor sup-\S+ on /);
    this.supervisors.set(host, daemon);
    return daemon;
  }
}

async function launch(args: string[], ready: RegExp): Promise<Daemon> {
  const daemon = { process: new CliProcess(args), args };
  await daemon.process.waitFor('stderr', ready);
  return daemon;
}

/** SIGTERM (a clean stop), then SIGKILL if it lingers; resolves once it has exited. */
export async function stopProcess(cli: CliProcess): Promise<void> {
  if (cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), scaledMs(10_000));
  cli.child.kill('SIGTERM');
  await cli.exited;
  clearTimeout(timer);
}
