/**
 * How long since each heartbeat last changed, by this process's clock. Daemons'
 * clocks need not agree: like Storm's nimbus, we only watch the stored timestamp move.
 * After `reset()` (a new leader, or Redis back after an outage) everyone gets a full
 * timeout from now, rather than being judged on what this process could not see.
 */
export class HeartbeatTracker {
  private readonly seen = new Map<string, { value: number; changedAt: number }>();

  /** Records `value` for `key` and returns the milliseconds since it last changed. */
  silence(key: string, value: number, now: number): number {
    const entry = this.seen.get(key);
    if (entry === undefined || entry.value !== value) {
      this.seen.set(key, { value, changedAt: now });
      return 0;
    }
    return now - entry.changedAt;
  }

  /** Forgets keys not in `live`, so the map does not grow with departed daemons. */
  retain(live: ReadonlySet<string>): void {
    for (const key of this.seen.keys()) if (!live.has(key)) this.seen.delete(key);
  }

  reset(): void {
    this.seen.clear();
  }
}
