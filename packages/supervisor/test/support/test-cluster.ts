import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Nimbus, NimbusClient, prepareSubmission, SECOND_SCALE_CONFIG, type ClusterAssignment, type CommandResult, type PrepareOptions } from '@topo/nimbus';
import { freePortRange, startTestRedis, type LogRecord, type TestRedisServer, captureLogger } from '@topo/runtime';
import { Supervisor, type SupervisorOptions } from '@topo/supervisor';
import type { ConfigValue } from '@topo/topology-dsl';

/** A real Redis, an in-process nimbus and supervisors whose workers are real processes. */
export class TestCluster {
  readonly supervisors: Supervisor[] = [];
  readonly dir = mkdtempSync(path.join(tmpdir(), 'topo-cluster-test-'));
  private constructor(
    readonly redis: TestRedisServer,
    readonly nimbus: Nimbus,
    readonly client: NimbusClient,
    readonly logs: LogRecord[],
  ) {}

  /** `config` goes over the second-scale settings of nimbus (and of supervisors started with `daemonConfig()`). */
  static async start(config: Record<string, ConfigValue> = {}): Promise<TestCluster> {
    const redis = await startTestRedis();
    const logs: LogRecord[] = [];
    const nimbus = await Nimbus.start({ redisUrl: redis.url, port: 0, config: { ...SECOND_SCALE_CONFIG, ...config }, logger: captureLogger(logs) });
    return new TestCluster(redis, nimbus, new NimbusClient({ urls: [nimbus.url] }), logs);
  }

  /** What a supervisor advertising `host` is started with here, in this process or in its own (SupervisorProcess). */
  async supervisorOptions(host: string, slots: number): Promise<SupervisorOptions> {
    return {
      redisUrl: this.redis.url,
      host,
      slots,
      basePort: await freePortRange(host, slots),
      dir: path.join(this.dir, `supervisor-${host}-${this.supervisors.length}`),
      id: `sup-${host}`,
      config: SECOND_SCALE_CONFIG,
    };
  }

  async addSupervisor(host: string, slots: number, options: Partial<SupervisorOptions> = {}): Promise<Supervisor> {
    const supervisor = new Supervisor({ ...(await this.supervisorOptions(host, slots)), logger: captureLogger(this.logs), ...options }).start();
    this.supervisors.push(supervisor);
    return supervisor;
  }

  async submit(file: string, options: PrepareOptions): Promise<CommandResult> {
    const { submission, problems } = await prepareSubmission(file, options);
    if (problems.length > 0) throw new Error(`fixture invalid: ${JSON.stringify(problems)}`);
    return this.client.submit(submission);
  }

  async assignment(topology: string): Promise<ClusterAssignment | undefined> {
    return this.nimbus.state.assignment(topology);
  }

  async stop(): Promise<void> {
    for (const s of this.supervisors) await s.stop();
    await this.nimbus.stop();
    await this.redis.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
