/**
 * A queue level with hysteresis: `onChange(true)` once the queue reaches `high`,
 * `onChange(false)` once it is back down to `low`.
 */
export class Watermark {
  private above = false;

  constructor(
    readonly high: number,
    readonly low: number,
    private readonly onChange: (above: boolean) => void,
  ) {}

  /** The queue grew by one to `size`. */
  rose(size: number): void {
    if (size === this.high && !this.above) {
      this.above = true;
      this.onChange(true);
    }
  }

  /** The queue shrank by one to `size`. */
  fell(size: number): void {
    if (size <= this.low && this.above) {
      this.above = false;
      this.onChange(false);
    }
  }
}

/** A watermark whose low level is 30% of its high one. */
export function watermark(high: number, onChange: (above: boolean) => void): Watermark {
  return new Watermark(high, Math.floor(high * 0.3), onChange);
}
