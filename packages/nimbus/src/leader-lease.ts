import type { Redis } from 'ioredis';

/** Takes the lease when free, renews it when ours: one atomic step so two nimbuses never both hold it. */
const ACQUIRE_OR_RENEW = `
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
if holder == false then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/**
 * The leader lease in Redis: a key holding the leader's id that expires unless renewed.
 * This side counts the lease from before it asked, so it believes itself leader a little
 * less long than Redis does and two leaders never act at once (clocks only need to tick
 * at the same rate, not agree).
 */
export class LeaderLease {
  private heldUntil = 0;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly holderId: string,
    private readonly ttlMs: number,
  ) {}

  /** True while the lease is ours by our own (conservative) reckoning. */
  get held(): boolean {
    return performance.now() < this.heldUntil;
  }

  /** Acquires or renews; resolves to whether we hold it now. A Redis error counts as not holding it. */
  async refresh(): Promise<boolean> {
    const asked = performance.now();
    try {
      const got = (await this.redis.eval(ACQUIRE_OR_RENEW, 1, this.key, this.holderId, String(this.ttlMs))) === 1;
      this.heldUntil = got ? asked + this.ttlMs : 0;
    } catch {
      if (performance.now() >= this.heldUntil) this.heldUntil = 0;
    }
    return this.held;
  }

  /** Gives the lease up at once, so a standby need not wait for it to expire. */
  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.redis.eval(RELEASE, 1, this.key, this.holderId);
  }
}
