/**
 * The most errors traced in one interval of Storm's error throttle, read from a log in
 * the order it was written. In a flood, each interval ends with the throttle's line
 * counting what it held back (`suppressed`), so the traces between two such lines are
 * one interval's. Order, not timestamps: on a loaded machine a trace's timestamp can
 * trail the moment the throttle let it through.
 */
export function maxTracesPerInterval(lines: readonly string[], trace: RegExp, suppressed: RegExp): number {
  let inInterval = 0;
  let most = 0;
  for (const line of lines) {
    if (suppressed.test(line)) inInterval = 0;
    else if (trace.test(line)) most = Math.max(most, ++inInterval);
  }
  return most;
}
