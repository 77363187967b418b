import { describe, expect, it } from 'vitest';
import { BasicBolt, Topology, TopologyValidationError, build, type TopologyClass } from '@topo/topology-dsl';
import { LocalCluster } from '@topo/runtime';
import { BullMQBolt, BullMQSpout, RedisStreamBolt, RedisStreamSpout, type BullMQSpoutOptions, type RedisStreamSpoutOptions } from '@topo/connectors';

class Sink extends BasicBolt {
  process(): void {}
}

function problemsOf(topology: TopologyClass): string {
  try {
    build(topology);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyValidationError);
    return (error as TopologyValidationError).message;
  }
  throw new Error(`${topology.name} built without a problem`);
}

describe('connector options are checked when the topology is built, before anything connects', () => {
  it('names the component and the option of a BullMQ spout without a queue', () => {
    class NoQueue extends Topology {
      jobs = BullMQSpout.spec({ connection: 'redis://127.0.0.1:6390' } as BullMQSpoutOptions);
      sink = Sink.spec({ input: this.jobs });
    }
    expect(problemsOf(NoQueue)).toContain('component jobs, config topo.bullmq.queue: BullMQSpout needs queue: pass `queue` to BullMQSpout.spec() or set topo.bullmq.queue');
  });

  it('fails the submit itself', async () => {
    class NoQueue extends Topology {
      jobs = BullMQSpout.spec({ connection: 'redis://127.0.0.1:6390' } as BullMQSpoutOptions);
      sink = Sink.spec({ input: this.jobs });
    }
    await expect(new LocalCluster().submit(NoQueue)).rejects.toThrow(TopologyValidationError);
  });

  it('rejects connection URLs ioredis could never use', () => {
    class BadUrls extends Topology {
      jobs = BullMQSpout.spec({ queue: 'q', connection: 'http://127.0.0.1:6379' });
      entries = RedisStreamSpout.spec({ stream: 's', group: 'g', connection: 'redis://127.0.0.1:port' });
      out = BullMQBolt.spec({ queue: 'q', connection: 'redis:///0', inputs: [this.jobs, this.entries] });
      log = RedisStreamBolt.spec({ stream: 's', connection: 'redis://127.0.0.1:6379/zero', input: this.jobs });
    }
    const message = problemsOf(BadUrls);
    expect(message).toContain('component jobs, config topo.redis.url: must be a redis:// or rediss:// URL (got "http://127.0.0.1:6379")');
    expect(message).toContain('component entries, config topo.redis.url: is not a URL (got "redis://127.0.0.1:port")');
    expect(message).toContain('component out, config topo.redis.url: has no host');
    expect(message).toContain('component log, config topo.redis.url: has "/zero" where the database number goes');
  });

  it('asks for the connection, the stream and the group, and checks numbers', () => {
    class Missing extends Topology {
      entries = RedisStreamSpout.spec({ group: 'g', maxDeliveries: 0 } as unknown as RedisStreamSpoutOptions);
      sink = Sink.spec({ input: this.entries });
    }
    const message = problemsOf(Missing);
    expect(message).toContain('component entries, config topo.redis.stream: RedisStreamSpout needs stream');
    expect(message).toContain('component entries, config topo.redis.url: RedisStreamSpout needs connection');
    expect(message).toContain('component entries, config topo.redis.stream.max.deliveries: must be an integer of at least 1 (got 0)');
  });

  it('takes the connection from the topology config, as `--config topo.redis.url=...` gives it', () => {
    class Shared extends Topology {
      static config = { 'topo.redis.url': 'redis://127.0.0.1:6390/1' };
      entries = RedisStreamSpout.spec({ stream: 's', group: 'g' });
      log = RedisStreamBolt.spec({ stream: 'out', input: this.entries });
    }
    expect(() => build(Shared)).not.toThrow();
    expect(() => build(Shared, { config: { 'topo.redis.url': 'localhost' } })).toThrow(/component entries, config topo.redis.url: is not a URL/);
  });
});
