/** The prefix every key and channel of a Topo cluster starts with. */
export const DEFAULT_KEY_PREFIX = 'topo:';

/**
 * The Redis key layout of a cluster, in one place (the README documents it). Every
 * value is plain JSON checked by an ajv schema on read, except the counter, the lease
 * and the secret.
 */
export class ClusterKeys {
  constructor(readonly prefix = DEFAULT_KEY_PREFIX) {}

  /** String: id of the nimbus holding the leader lease; expires unless renewed. */
  get leader(): string {
    return `${this.prefix}nimbus:leader`;
  }

  /** Hash: nimbus id -> NimbusRegistration. */
  get nimbuses(): string {
    return `${this.prefix}nimbuses`;
  }

  /** Counter: the last topology sequence number handed out. */
  get topologySeq(): string {
    return `${this.prefix}topology-seq`;
  }

  /** Set: ids of every stored topology. */
  get topologies(): string {
    return `${this.prefix}topologies`;
  }

  /** String: the id of the live topology with this name. */
  name(name: string): string {
    return `${this.prefix}name:${name}`;
  }

  /** String: TopologyRecord JSON. */
  topology(id: string): string {
    return `${this.prefix}topology:${id}`;
  }

  /** String: the topology's 32-byte secret, hex; workers prove knowledge of it to each other. */
  secret(id: string): string {
    return `${this.prefix}topology:${id}:secret`;
  }

  /** String: TopologyBundle JSON (the module and its resources). */
  bundle(id: string): string {
    return `${this.prefix}topology:${id}:bundle`;
  }

  /** String: ClusterAssignment JSON. */
  assignment(id: string): string {
    return `${this.prefix}assignment:${id}`;
  }

  /** String: LogConfig JSON, the log levels set on the topology at run time (`topo set-log-level`). */
  logConfig(id: string): string {
    return `${this.prefix}logconfig:${id}`;
  }

  /** Hash: supervisor id -> SupervisorHeartbeat. */
  get supervisors(): string {
    return `${this.prefix}supervisors`;
  }

  /** Hash: worker id -> WorkerHeartbeat, for one topology. */
  workerBeats(id: string): string {
    return `${this.prefix}workerbeats:${id}`;
  }

  /** List: a component's last errors (ErrorRecord JSON), newest first, trimmed to topo.errors.kept.per.component. */
  errors(id: string, component: string): string {
    return `${this.prefix}errors:${id}:${component}`;
  }

  /** Hash: component -> its newest ErrorRecord, for one topology (also the index of its error lists). */
  lastErrors(id: string): string {
    return `${this.prefix}errors:${id}`;
  }

  /** Hash: worker id -> WorkerFailure (why its latest start failed), for one topology. */
  workerFailures(id: string): string {
    return `${this.prefix}workerfailures:${id}`;
  }

  /** Pub/sub channel: a hint that stored state changed; daemons converge from storage anyway. */
  get wakeChannel(): string {
    return `${this.prefix}wake`;
  }
}
