import os from 'node:os';
import type { SupervisorHeartbeat } from '@topo/nimbus';
import type { Logger } from '@topo/runtime';
import { processStartTime } from './process-identity.js';

/** What a worker makes of its supervisor at one look. */
export type SupervisorPresence = 'there' | 'alone' | 'abandoned';

/**
 * A worker's view of the supervisor it answers to. The supervisor is there while its
 * process (pid and start time, so a reused pid does not count) is alive, which needs no
 * Redis: a supervisor cut off from Redis still has its workers. When it dies, a
 * supervisor restarted on this machine under the same id takes over, which the worker
 * learns from that supervisor's heartbeat. A worker alone longer than `timeoutMs` is
 * abandoned and stops itself.
 */
export class SupervisorWatch {
  private pid: number;
  private started: string | undefined;
  private aloneSince: number | undefined;

  constructor(
    private readonly supervisorId: string,
    pid: number,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    this.pid = pid;
    this.started = processStartTime(pid);
  }

  /** `latest` reads the supervisor's heartbeat from Redis (it may fail); it is only called while the worker is alone. */
  async check(latest: () => Promise<SupervisorHeartbeat | undefined>, clock = performance.now()): Promise<SupervisorPresence> {
    if (this.started !== undefined && processStartTime(this.pid) === this.started) return 'there';
    if (this.aloneSince === undefined) {
      this.aloneSince = clock;
      this.logger.warn(
        `supervisor ${this.supervisorId} (pid ${this.pid}) is gone; carrying on, and stopping in ${Math.round(this.timeoutMs / 1000)} s unless a supervisor takes over`,
      );
    }
    const heartbeat = await latest().catch(() => undefined);
    if (heartbeat !== undefined && this.takesOver(heartbeat)) {
      this.aloneSince = undefined;
      this.logger.info(`supervisor ${this.supervisorId} (pid ${this.pid}) took over; carrying on`);
      return 'there';
    }
    return clock - this.aloneSince > this.timeoutMs ? 'abandoned' : 'alone';
  }

  /** A live process of this supervisor on this machine, other than the one that died, is the one to answer to now. */
  private takesOver(heartbeat: SupervisorHeartbeat): boolean {
    if (heartbeat.id !== this.supervisorId || heartbeat.hostname !== os.hostname() || heartbeat.pid === this.pid) return false;
    const started = processStartTime(heartbeat.pid);
    if (started === undefined) return false;
    this.pid = heartbeat.pid;
    this.started = started;
    return true;
  }
}
