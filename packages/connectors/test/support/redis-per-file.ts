import { afterAll, beforeAll } from 'vitest';
import { Redis } from 'ioredis';
import { startTestRedis, stopAllTestRedis, type TestRedisServer } from '@topo/runtime';

/** The test file's own redis-server and a client of it; read them inside hooks and tests, once `beforeAll` has run. */
export interface FileRedis {
  readonly server: TestRedisServer;
  readonly url: string;
  /** With `maxRetriesPerRequest: null`, as BullMQ requires of a connection it is given. */
  readonly client: Redis;
}

/**
 * Starts a redis-server and a client before the file's tests and, after them, disconnects
 * the client and stops every server the file started (those of tests that failed halfway
 * too). Vitest runs `afterAll` hooks in reverse order, so a file's own later `afterAll`
 * (shutting a cluster down) runs while Redis is still there.
 */
export function redisPerFile(): FileRedis {
  let server: TestRedisServer | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startTestRedis();
    client = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    client?.disconnect();
    await stopAllTestRedis();
  });
  return {
    get server() {
      return server!;
    },
    get url() {
      return server!.url;
    },
    get client() {
      return client!;
    },
  };
}
