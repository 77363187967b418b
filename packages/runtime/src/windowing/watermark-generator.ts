/**
 * Storm's WaterMarkEventGenerator: remembers the largest event time seen on each input
 * stream and, at each tick, computes the watermark as the smallest of those minus the
 * lag, once every input stream has reported. A watermark only moves forward. A tuple is
 * late when its time is before the last watermark (equal is not late).
 */
export class WatermarkGenerator {
  private readonly maxTs = new Map<string, number>();
  private last = 0;

  constructor(
    /** How many distinct input streams the bolt subscribes to. */
    private readonly streams: number,
    private readonly lag: number,
    private readonly onWatermark: (ts: number) => void,
  ) {}

  /** Records `ts` for `stream`; false when the tuple is late. */
  track(stream: string, ts: number): boolean {
    const max = this.maxTs.get(stream);
    if (max === undefined || ts > max) this.maxTs.set(stream, ts);
    return ts >= this.last;
  }

  /** Emits a watermark if every stream has reported and it is past the last one. */
  tick(): void {
    if (this.maxTs.size < this.streams) return;
    let min = Infinity;
    for (const ts of this.maxTs.values()) if (ts < min) min = ts;
    const watermark = min - this.lag;
    if (watermark > this.last) {
      this.last = watermark;
      this.onWatermark(watermark);
    }
  }

  /** The last watermark emitted (0 before the first). */
  get watermark(): number {
    return this.last;
  }
}
