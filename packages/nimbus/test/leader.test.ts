import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaderLease, Nimbus } from '@topo/nimbus';
import { startTestRedis, type TestRedisServer, waitFor, silentLogger } from '@topo/runtime';


let redisServer: TestRedisServer;
let redis: Redis;

beforeAll(async () => {
  redisServer = await startTestRedis();
  redis = new Redis(redisServer.url);
});

afterAll(async () => {
  redis?.disconnect();
  await redisServer?.stop();
});

describe('the leader lease', () => {
  it('is held by one holder at a time and passes on when it lapses', async () => {
    const a = new LeaderLease(redis, 'topo:test:lease', 'a', 400);
    const b = new LeaderLease(redis, 'topo:test:lease', 'b', 400);
    expect(await a.refresh()).toBe(true);
    expect(await b.refresh()).toBe(false);
    expect(await a.refresh()).toBe(true);
    // a stops renewing (as a killed nimbus would): b gets the lease once it lapses, and a stops believing it holds it.
    await waitFor(() => b.refresh(), 'b to take the lapsed lease', 5000);
    expect(a.held).toBe(false);
    expect(await a.refresh()).toBe(false);
    expect(await redis.get('topo:test:lease')).toBe('b');
  });
});

describe('several nimbuses', () => {
  it('elect one leader, and a standby takes over when the leader stops', async () => {
    const options = { redisUrl: redisServer.url, port: 0, config: { 'nimbus.leader.lease.secs': 0.6, 'nimbus.monitor.freq.secs': 0.2 }, logger: silentLogger() };
    const nimbuses = [await Nimbus.start(options), await Nimbus.start(options)];
    try {
      await waitFor(() => nimbuses.some((n) => n.isLeader), 'a leader');
      const leader = nimbuses.find((n) => n.isLeader)!;
      const standby = nimbuses.find((n) => n !== leader)!;
      expect(standby.isLeader).toBe(false);
      expect(await redis.get('topo:nimbus:leader')).toBe(leader.id);
      await leader.stop();
      await waitFor(() => standby.isLeader, 'the standby to lead');
      expect(await redis.get('topo:nimbus:leader')).toBe(standby.id);
    } finally {
      for (const n of nimbuses) await n.stop();
    }
  });
});
