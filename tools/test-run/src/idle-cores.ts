import os from 'node:os';

/**
 * How many cores the whole machine left idle lately, from the kernel's per-core counters
 * (`os.cpus()` times, which count every process, not only ours). Sampled once a second;
 * `idle()` averages over the last `windowMs`.
 */
export class IdleCores {
  private readonly samples: { at: number; idleMs: number }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly windowMs: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  /** Cores idle on average since the oldest sample kept (a window's length ago); 0 until a whole window has been seen. */
  idle(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1)!;
    if (last.at - first.at < this.windowMs) return 0;
    return (last.idleMs - first.idleMs) / (last.at - first.at);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const idleMs = os.cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
    this.samples.push({ at: performance.now(), idleMs });
    // Keeps the newest sample that is at least a window old, and those after it.
    while (this.samples.length > 2 && this.samples.at(-1)!.at - this.samples[1].at >= this.windowMs) this.samples.shift();
  }
}
