import type { LogLevel } from '@topo/topology-dsl';
import type { Redis } from 'ioredis';

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True for errors that mean "Redis is not there right now", as opposed to a bad command.
 * ioredis rejects a transaction or pipeline whose replies the closing connection cut off
 * with "Command aborted due to connection close" (the rest would be resent out of order):
 * nothing is wrong with those commands either, and they may or may not have run.
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && CONNECTION_ERROR_CODES.has(e.code)) return true;
  return typeof e?.message === 'string' && /connection is closed|connect ECONNREFUSED|getaddrinfo|socket closed unexpectedly|command aborted due to connection close/i.test(e.message);
}

/**
 * Follows a connector's Redis connections and says so once when Redis goes away and once
 * when it is back, instead of once per command or per tuple. Commands wait in the client's
 * offline queue meanwhile (`maxRetriesPerRequest: null`), so the component simply pauses.
 * `onReconnect` runs after each reconnection, for work a lost reply may have left undone.
 */
export class RedisHealth {
  private unreachable = false;
  private disconnected = false;
  private stopped = false;

  constructor(
    private readonly where: string,
    private readonly log: (level: LogLevel, message: string) => void,
    private readonly onReconnect: () => void = () => {},
  ) {}

  watch(client: Redis): void {
    client.on('error', (error: unknown) => this.lost(error));
    client.on('close', () => {
      if (!this.stopped) this.disconnected = true;
    });
    client.on('ready', () => this.back());
  }

  get healthy(): boolean {
    return !this.unreachable;
  }

  /** Records a failure seen on any of the connections (a client library's `error` event). */
  lost(error: unknown): void {
    if (this.stopped) return;
    this.disconnected = true;
    if (this.unreachable) return;
    this.unreachable = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.log('warn', `Redis at ${this.where} is unreachable (${reason}); pausing until it returns`);
  }

  /** Quiet from now on: the component is closing its connections on purpose. */
  stop(): void {
    this.stopped = true;
  }

  private back(): void {
    if (this.stopped || !this.disconnected) return;
    this.disconnected = false;
    if (this.unreachable) {
      this.unreachable = false;
      this.log('info', `Redis at ${this.where} is reachable again; resuming`);
    }
    this.onReconnect();
  }
}
