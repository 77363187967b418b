// Numbers and times as the pages show them. Storm's REST API sends latencies and capacity
// as strings with three decimals and counts as integers; both forms are accepted.

/** A count with thousands separators (2e11 → "200,000,000,000", never "2e+11"). */
export function count(value: unknown): string {
  const n = toNumber(value);
  return n === undefined ? '–' : Math.round(n).toLocaleString('en-US');
}

/** A latency or capacity: three decimals, as Storm prints them. */
export function decimal(value: unknown, digits = 3): string {
  const n = toNumber(value);
  return n === undefined ? '–' : n.toFixed(digits);
}

/** A rate in tuples per second: short, for graph labels ("12.5k/s"). */
export function rate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return '–/s';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M/s`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(0)}k/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k/s`;
  if (perSecond >= 10) return `${perSecond.toFixed(0)}/s`;
  return `${perSecond.toFixed(1)}/s`;
}

/** Seconds as Storm's pretty durations: "1d 0h 0m 0s", "29m 19s", leading zero units dropped. */
export function duration(seconds: unknown): string {
  const n = toNumber(seconds);
  if (n === undefined) return '–';
  let rest = Math.max(0, Math.floor(n));
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    const q = Math.floor(rest / size);
    rest -= q * size;
    if (q > 0 || parts.length > 0) parts.push(`${q}${unit}`);
  }
  parts.push(`${rest}s`);
  return parts.join(' ');
}

/** An epoch time in seconds (Storm's `errorTime`) as local date and time. */
export function epochSeconds(value: unknown): string {
  const n = toNumber(value);
  return n === undefined ? '–' : new Date(n * 1000).toLocaleString('en-GB');
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
