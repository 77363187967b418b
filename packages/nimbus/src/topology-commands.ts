import { randomBytes } from 'node:crypto';
import { DEFAULT_CONFIG, mergeConfig, type TopologyLimits, type ValidationProblem } from '@topo/topology-dsl';
import { HttpError } from './api/http-error.js';
import { resolveOverrides, submissionProblems, type Submission } from './api/submission.js';
import type { ClusterState } from './state/cluster-state.js';
import type { TopologyRecord, TopologyStatus } from './state/topology-record.js';

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
  constructor(
    private readonly state: ClusterState,
    /** Nimbus's size limits: no submission may go above them, whatever its own config says. */
    private readonly limits: Partial<TopologyLimits> = {},
  ) {}

  /** Validates and stores a submission; 400 with every problem, 409 when the name is taken (unless `force`). */
  async submit(body: unknown, now = Date.now()): Promise<CommandResult> {
    const problems = await submissionProblems(body, this.limits);
    if (problems.length > 0) throw new HttpError(400, `the submission is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
    const submission = body as Submission;
    const name = submission.definition.name;
    const existing = await this.state.idForName(name);
    if (existing !== undefined && submission.force !== true) {
      throw new HttpError(409, `a topology named ${name} is already running (${existing}); kill it first or submit with --force to replace it`);
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
    if (existing !== undefined) {
      await this.state.updateTopology(existing, (r) => ({ ...r, status: 'killed', transition: { kind: 'kill', at: now, resume: 'active' } }));
    }
    const stored = await this.state.createTopology({ record, bundle: JSON.stringify(submission.bundle), secret: randomBytes(32) }, existing);
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
   * (default: the topology's message timeout), so trees in flight can finish.
   */
  async kill(ref: string, waitSecs: number | undefined, now = Date.now()): Promise<CommandResult> {
    const record = await this.change(ref, (r) => {
      const wait = waitSecs ?? Number(mergeConfig(DEFAULT_CONFIG, r.definition.config, r.overrides)['topology.message.timeout.secs']);
      const at = now + wait * 1000;
      // Killing again may only bring the end closer, as in Storm.
      const due = r.transition?.kind === 'kill' ? Math.min(r.transition.at, at) : at;
      return { ...r, status: 'killed', transition: { kind: 'kill', at: due, resume: 'active' } };
    });
    return result('kill', record);
  }

  /** Storm's rebalance: spouts off for the wait, then the new worker count and parallelism are scheduled. */
  async rebalance(ref: string, options: RebalanceOptions, now = Date.now()): Promise<CommandResult> {
    const record = await this.change(ref, (r) => {
      if (r.status === 'killed') throw new HttpError(409, `topology ${r.name} is being killed`);
      const problems: ValidationProblem[] = [];
      for (const [component, p] of Object.entries(options.parallelism ?? {})) {
        const definition = r.definition.components.find((c) => c.name === component);
        if (definition === undefined) problems.push({ code: 'unknown-component', component, message: `no component named ${component} (components: ${r.definition.components.map((c) => c.name).join(', ')})` });
        else if (!Number.isInteger(p) || p < 1 || p > definition.tasks) {
          problems.push({ code: 'bad-parallelism', component, message: `parallelism must be an integer from 1 to the component's ${definition.tasks} tasks, got ${p}` });
        }
      }
      if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 1)) {
        problems.push({ code: 'bad-workers', configKey: 'topology.workers', message: `workers must be a positive integer, got ${options.workers}` });
      }
      if (problems.length > 0) throw new HttpError(400, `cannot rebalance ${r.name}`, problems);
      const wait = options.waitSecs ?? Number(mergeConfig(DEFAULT_CONFIG, r.definition.config, r.overrides)['topology.message.timeout.secs']);
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

  /** The record for a topology id or a live topology's name; 404 otherwise. */
  async resolve(ref: string): Promise<TopologyRecord> {
    const byId = await this.state.topology(ref);
    if (byId !== undefined) return byId;
    const id = await this.state.idForName(ref);
    const byName = id === undefined ? undefined : await this.state.topology(id);
    if (byName === undefined) throw new HttpError(404, `no topology named ${ref} is running`);
    return byName;
  }

  private async setActive(ref: string, active: boolean): Promise<CommandResult> {
    const record = await this.change(ref, (r) => {
      if (r.status === 'killed') throw new HttpError(409, `topology ${r.name} is being killed`);
      const wanted = active ? 'active' : 'inactive';
      // During a rebalance the spouts stay off; the topology comes back in the wanted state.
      if (r.transition !== undefined) return { ...r, transition: { ...r.transition, resume: wanted } };
      return { ...r, status: wanted };
    });
    return result(active ? 'activate' : 'deactivate', record);
  }

  private async change(ref: string, fn: (record: TopologyRecord) => TopologyRecord): Promise<TopologyRecord> {
    const { id } = await this.resolve(ref);
    const updated = await this.state.updateTopology(id, fn);
    if (updated === undefined) throw new HttpError(404, `no topology named ${ref} is running`);
    await this.state.wake();
    return updated;
  }
}

function result(operation: CommandResult['topologyOperation'], record: TopologyRecord): CommandResult {
  return { topologyOperation: operation, topologyId: record.id, name: record.name, status: 'success', topologyStatus: record.status };
}
