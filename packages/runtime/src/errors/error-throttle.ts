/**
 * Storm's error throttle (one per executor): of the errors in each
 * `topology.error.throttle.interval.secs`, the first `topology.max.error.report.per.interval`
 * are logged with their stack and stored; the rest are only counted, and the count is
 * logged once the interval ends. A bolt that throws on every input would otherwise write
 * its stack for each one (853,610 lines in 8 s before this existed).
 */
export class ErrorThrottle {
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;
  /** Errors not logged or stored in the current interval. */
  private suppressed = 0;

  constructor(
    readonly component: string,
    /** The executor's first task, to name it in the suppressed-count line. */
    readonly task: number,
    readonly intervalMs: number,
    readonly maxPerInterval: number,
  ) {}

  /**
   * Whether the error at `now` is logged and stored. Call `endedSuppressed(now)` first:
   * a new interval starts here and would forget the last one's count.
   */
  admit(now: number): boolean {
    if (now - this.windowStart >= this.intervalMs) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow < this.maxPerInterval) {
      this.inWindow++;
      return true;
    }
    this.suppressed++;
    return false;
  }

  /** The count of errors suppressed in an interval that has ended by `now` (0 if none, or still running); it is then forgotten. */
  endedSuppressed(now: number): number {
    if (this.suppressed === 0 || now - this.windowStart < this.intervalMs) return 0;
    const n = this.suppressed;
    this.suppressed = 0;
    return n;
  }
}
