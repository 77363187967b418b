import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, freePortRange, NimbusClient, secondScaleFlags, startTestRedis, waitUntil, type TestRedisServer, type TopologyDetail } from '@topo/nimbus';
import { CliProcess, runCli, type CliResult } from './cli-process.js';

/** A daemon started through the real CLI, with what it needs to be started again the same way. */
export interface Daemon {
  process: CliProcess;
  args: string[];
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

  private constructor(
    readonly redis: TestRedisServer,
    readonly token: string | undefined,
  ) {}

  static async start(options: { token?: string } = {}): Promise<ProcessCluster> {
    return new ProcessCluster(await startTestRedis(), options.token);
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
      ...secondScaleFlags(),
    ];
    return this.launchSupervisor(host, args);
  }

  /** Starts a supervisor again with the arguments it had (same id, slots and folder). */
  async restartSupervisor(host: string): Promise<Daemon> {
    return this.launchSupervisor(host, this.supervisors.get(host)!.args);
  }

  /** Runs `topo <args> --nimbus <every nimbus>` (and the token, when the cluster has one). */
  topo(...args: string[]): Promise<CliResult> {
    return runCli(...args, '--nimbus', this.nimbusUrls.join(','), ...(this.token !== undefined ? ['--token', this.token] : []));
  }

  /** Polls the topology's detail until `check` holds. */
  async topologyWhere(name: string, check: (t: TopologyDetail) => boolean, what: string, timeoutMs = 30_000): Promise<TopologyDetail> {
    let detail: TopologyDetail | undefined;
    await waitUntil(
      async () => {
        detail = await this.client.topology(name).catch(() => undefined);
        return detail !== undefined && check(detail);
      },
      what,
      timeoutMs,
    );
    return detail!;
  }

  async stop(): Promise<void> {
    const daemons = [...this.supervisors.values(), ...this.nimbuses];
    await Promise.all(daemons.map((d) => stopProcess(d.process)));
    await this.redis.stop();
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
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), 10_000);
  cli.child.kill('SIGTERM');
  await cli.exited;
  clearTimeout(timer);
}

export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
