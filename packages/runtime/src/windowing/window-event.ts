/** One entry of a window manager's queue, or a watermark passing through it (never queued). */
export class WindowEvent<T> {
  /** The number of the last evaluation that showed this event (the manager's mark for `newTuples`). */
  shownIn = -1;
  constructor(
    readonly value: T,
    /** Processing time of arrival, or the tuple's event time; for a watermark, its time. */
    readonly ts: number,
    readonly watermark: boolean,
  ) {}
}
