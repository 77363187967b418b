import { randomBytes } from 'node:crypto';
import { DEFAULT_CONFIG, mergeConfig, topologyLimits, type TopologyLimits, type ValidationProblem } from '@topo/topology-dsl';
import { HttpError } from './api/http-error.js';
import { resolveOverrides, submissionProblems, type Submission } from './api/submission.js';
import { clusterLimits, type ClusterConfig } from './cluster-config.js';
import type { ClusterState } from './state/cluster-state.js';
import { isUnreadable, type TopologyRecord, type TopologyStatus, type UnreadableTopology } from './state/topology-record.js';
import { checkedWaitSecs, defaultWaitSecs } from './wait-limit.js';

/** The answer to a command: what was done to which topology. */
export interface CommandResult {
  topologyOperation: 'submit' | 'activate' | 'deactivate' | 'kill' | 'rebalance';
  topologyId: string;
  name: string;
  status: 'success';
  /** The topology's status after the command. */
  topologyStatus: TopologyStatus;
}

export interface RebalanceOptions {
  waitSecs?: number;
  workers?: number;
  /** New executor counts by component. */
  parallelism?: Record<string, number>;
}

/**
 * What the REST API's changes do: each writes the desired state to Redis and wakes the
 * daemons; the leader's next pass makes it so. Any nimbus may run them, leader or not,
 * since they only record intent.
 */
export class TopologyCommands {
  /** Nimbus's size limits: no submission or rebalance may go above them, whatever the topology's own config says. */
  private readonly limits: TopologyLimits;

  constructor(
    private readonly state: ClusterState,
    private readonly config: ClusterConfig,
  ) {
    this.limits = clusterLimits(config);
  }

  /** Validates and stores a submission; 400 with every problem, 409 when the name is taken (unless `force`). */
  async submit(body: unknown, now = Date.now()): Promise<CommandResult> {
    const problems = await submissionProblems(body, this.limits);
    if (problems.length > 0) throw new HttpError(400, `the submission is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
    const submission = body as Submission;
    const name = submission.definition.name;
    const holder = await this.state.idForName(name);
    // A name whose topology is gone (deleted by a kill that could not read the name) is free again.
    const existing = holder === undefined ? undefined : await this.state.readTopology(holder);
    if (existing !== undefined && submission.force !== true) {
      throw new HttpError(409, `a topology named ${name} is already running (${existing.id}); kill it first or submit with --force to replace it`);
    }
    const record: TopologyRecord = {
      id: await this.state.newTopologyId(name),
      name,
      status: submission.inactive === true ? 'inactive' : 'active',
      definition: submission.definition,
      overrides: resolveOverrides(submission.definition, submission.overrides),
      parallelism: {},
      submittedAt: now,
    };
    if (existing !== undefined && isUnreadable(existing)) await this.state.removeTopology(existing);
    else if (existing !== undefined) await this.state.updateTopology(existing.id, (r) => ({ ...r, status: 'killed', transition: { kind: 'kill', at: now, resume: 'active' } }));
    const stored = await this.state.createTopology({ record, bundle: JSON.stringify(submission.bundle), secret: randomBytes(32) }, holder);
    if (!stored) throw new HttpError(409, `a topology named ${name} was submitted by someone else meanwhile`);
    await this.state.wake();
    return result('submit', record);
  }

  async activate(ref: string): Promise<CommandResult> {
    return this.setActive(ref, true);
  }

  async deactivate(ref: string): Promise<CommandResult> {
    return this.setActive(ref, false);
  }

  /**
   * Storm's kill: spouts are deactivated at once and the workers stop after `waitSecs`
   * (default: the topology's message timeout), so trees in flight can finish. A topology
   * whose stored record is unreadable has nowhere to keep a wait: it is removed at once.
   */
  async kill(ref: string, waitSecs: number | undefined, now = Date.now()): Promise<CommandResult> {
    const max = this.config['nimbus.wait.max.secs'];
    if (waitSecs !== undefined) checkedWaitSecs(waitSecs, max);
    const found = await this.find(ref);
    if (isUnreadable(found)) {
      await this.state.removeTopology(found);
      await this.state.wake();
      return { topologyOperation: 'kill', topologyId: found.id, name: found.name, status: 'success', topologyStatus: 'killed' };
    }
    const record = await this.change(found.id, (r) => {
      const wait = waitSecs ?? defaultWaitSecs(messageTimeout(r), max);
      const at = now + wait * 1000;
      // Killing again may only bring the end closer, as in Storm.
      const due = r.transition?.kind === 'kill' ? Math.min(r.transition.at, at) : at;
      return { ...r, status: 'killed', transition: { kind: 'kill', at: due, resume: 'active' } };
    });
    return result('kill', record);
  }

  /** Storm's rebalance: spouts off for the wait, then the new worker count and parallelism are scheduled. */
  async rebalance(ref: string, options: RebalanceOptions, now = Date.now()): Promise<CommandResult> {
    const max = this.config['nimbus.wait.max.secs'];
    if (options.waitSecs !== undefined) checkedWaitSecs(options.waitSecs, max);
    const record = await this.change(ref, (r) => {
      refuseUnlessRunning(r);
      const problems: ValidationProblem[] = [];
      for (const [component, p] of Object.entries(options.parallelism ?? {})) {
        const definition = r.definition.components.find((c) => c.name === component);
        if (definition === undefined) problems.push({ code: 'unknown-component', component, message: `no component named ${component} (components: ${r.definition.components.map((c) => c.name).join(', ')})` });
        else if (!Number.isInteger(p) || p < 1 || p > definition.tasks) {
          problems.push({ code: 'bad-parallelism', component, message: `parallelism must be an integer from 1 to the component's ${definition.tasks} tasks, got ${p}` });
        }
      }
      const maxWorkers = topologyLimits(mergeConfig(DEFAULT_CONFIG, r.definition.config, r.overrides), this.limits)['topo.max.topology.workers'];
      if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 1 || options.workers > maxWorkers)) {
        problems.push({ code: 'bad-workers', configKey: 'topology.workers', message: `workers must be a whole number from 1 to ${maxWorkers} (topo.max.topology.workers), got ${options.workers}` });
      }
      if (problems.length > 0) throw new HttpError(400, `cannot rebalance ${r.name}`, problems);
      const wait = options.waitSecs ?? defaultWaitSecs(messageTimeout(r), max);
      const resume = r.transition?.resume ?? (r.status === 'inactive' ? 'inactive' : 'active');
      const transition = { kind: 'rebalance' as const, at: now + wait * 1000, resume };
      return {
        ...r,
        status: 'rebalancing',
        transition: {
          ...transition,
          ...(options.workers !== undefined ? { workers: options.workers } : {}),
          ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
        },
      };
    });
    return result('rebalance', record);
  }

  /**
   * The stored topology for an id or a live topology's name (its record, or what can be
   * said about it when the record is unreadable); 404 otherwise.
   */
  async find(ref: string): Promise<TopologyRecord | UnreadableTopology> {
    const byId = await this.state.readTopology(ref);
    if (byId !== undefined) return byId;
    const id = await this.state.idForName(ref);
    const byName = id === undefined ? undefined : await this.state.readTopology(id);
    if (byName === undefined) throw new HttpError(404, `no topology named ${ref} is running`);
    return byName;
  }

  private async setActive(ref: string, active: boolean): Promise<CommandResult> {
    const record = await this.change(ref, (r) => {
      refuseUnlessRunning(r);
      const wanted = active ? 'active' : 'inactive';
      // During a rebalance the spouts stay off; the topology comes back in the wanted state.
      if (r.transition !== undefined) return { ...r, transition: { ...r.transition, resume: wanted } };
      return { ...r, status: wanted };
    });
    return result(active ? 'activate' : 'deactivate', record);
  }

  private async change(ref: string, fn: (record: TopologyRecord) => TopologyRecord): Promise<TopologyRecord> {
    const found = await this.find(ref);
    if (isUnreadable(found)) throw new HttpError(409, `topology ${found.name} (${found.id}) cannot be changed: ${found.problem}; kill it (topo kill) and submit it again`);
    const { id } = found;
    const updated = await this.state.updateTopology(id, fn);
    if (updated === undefined) throw new HttpError(404, `no topology named ${ref} is running`);
    await this.state.wake();
    return updated;
  }
}

/** Activate, deactivate and rebalance need a topology that is running or may run. */
function refuseUnlessRunning(record: TopologyRecord): void {
  if (record.status === 'killed') throw new HttpError(409, `topology ${record.name} is being killed`);
  if (record.status === 'failed') throw new HttpError(409, `topology ${record.name} (${record.id}) failed: ${record.failure ?? 'no reason recorded'}; kill it (topo kill) and submit it again`);
}

function messageTimeout(record: TopologyRecord): unknown {
  return mergeConfig(DEFAULT_CONFIG, record.definition.config, record.overrides)['topology.message.timeout.secs'];
}

function result(operation: CommandResult['topologyOperation'], record: TopologyRecord): CommandResult {
  return { topologyOperation: operation, topologyId: record.id, name: record.name, status: 'success', topologyStatus: record.status };
}
