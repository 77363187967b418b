import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type LogRecord, type TestRedisServer, waitFor, captureLogger } from '@topo/runtime';
import { Nimbus, NimbusClient, type NimbusApiError } from '@topo/nimbus';
import { refusal } from './refusal.js';

const PASSWORD = 'hunter2-very-secret';

let redisServer: TestRedisServer;

beforeAll(async () => {
  redisServer = await startTestRedis({ password: PASSWORD });
});

afterAll(async () => {
  await redisServer?.stop();
});

/** A nimbus on `redisUrl`, what its REST API answers first, and what it logged. */
async function firstAnswer(redisUrl: string): Promise<{ error: NimbusApiError; logs: LogRecord[] }> {
  const logs: LogRecord[] = [];
  const nimbus = await Nimbus.start({ redisUrl, port: 0, logger: captureLogger(logs) });
  try {
    const error = await refusal(new NimbusClient({ urls: [nimbus.url] }).topologySummary());
    await waitFor(() => logs.some((l) => l.level === 'warn'), 'the warning that Redis is away');
    return { error, logs };
  } finally {
    await nimbus.stop();
  }
}

describe('a nimbus whose Redis requires a password', () => {
  it('says Redis refused authentication when the URL gives no password', async () => {
    const url = `redis://127.0.0.1:${redisServer.port}`;
    const { error, logs } = await firstAnswer(url);
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      `cluster state unavailable: Redis at ${url} refused authentication: it requires a password and the URL gives none (put it in the URL: redis://:PASSWORD@host:port)`,
    );
    const warnings = logs.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toContainEqual(expect.stringMatching(/^nimbus \S+: Redis at redis:\/\/127\.0\.0\.1:\d+ refused authentication: it requires a password/));
    // Said once, not at every reconnection attempt.
    expect(new Set(warnings).size).toBe(warnings.length);
  });

  it('says the password is wrong, never showing it', async () => {
    const { error, logs } = await firstAnswer(`redis://:not-the-password@127.0.0.1:${redisServer.port}`);
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      `cluster state unavailable: Redis at redis://:***@127.0.0.1:${redisServer.port} refused authentication: the URL's user name or password is wrong (WRONGPASS)`,
    );
    for (const text of [error.message, ...logs.map((l) => l.message)]) expect(text).not.toContain('not-the-password');
  });

  it('serves once the URL carries the password', async () => {
    const logs: LogRecord[] = [];
    const nimbus = await Nimbus.start({ redisUrl: redisServer.url, port: 0, logger: captureLogger(logs) });
    try {
      expect(await new NimbusClient({ urls: [nimbus.url] }).topologySummary()).toEqual({ topologies: [] });
      expect(logs.map((l) => l.message).join('\n')).not.toContain(PASSWORD);
    } finally {
      await nimbus.stop();
    }
  });
});
