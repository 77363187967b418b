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

  /** Cores idle on average over the window; 0 until a whole window has been seen. */
  idle(): number {
    const last = this.samples.at(-1)!;
    const first = this.samples.find((s) => last.at - s.at <= this.windowMs)!;
    if (last.at - this.samples[0].at < this.windowMs) return 0;
    return (last.idleMs - first.idleMs) / (last.at - first.at);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const idleMs = os.cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
    this.samples.push({ at: performance.now(), idleMs });
    while (this.samples.length > 2 && this.samples[this.samples.length - 1].at - this.samples[1].at > this.windowMs) this.samples.shift();
  }
}
