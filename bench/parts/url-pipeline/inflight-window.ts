/**
 * Caps the messages a queue-based producer has in flight (sent, not yet through the last
 * stage), as `topology.max.spout.pending` caps Topo's spout: without it the producer
 * outruns the consumers and latency only measures the backlog.
 */
export class InflightWindow {
  private inflight = 0;
  private waiter: (() => void) | undefined;
  private closed = false;

  constructor(readonly size: number) {}

  /** Resolves with how many may be sent now (1 to `max`), or 0 once closed. */
  async room(max: number): Promise<number> {
    while (!this.closed && this.inflight >= this.size) await new Promise<void>((resolve) => (this.waiter = resolve));
    return this.closed ? 0 : Math.min(max, this.size - this.inflight);
  }

  sent(n: number): void {
    this.inflight += n;
  }

  done(n: number): void {
    this.inflight -= n;
    this.wake();
  }

  /** Releases a producer waiting for room, which then sees 0 and stops. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
