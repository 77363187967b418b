/** Storm UI's number and duration forms (its REST API's, kept so clients and exporters carry over). */

/** Latencies and capacity: a string with exactly 3 decimals. */
export function fixed3(value: number): string {
  return (Number.isFinite(value) ? value : 0).toFixed(3);
}

/** `1d 0h 0m 0s`, `29m 19s`: units d/h/m/s with zero-valued leading units dropped. */
export function prettyUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first === -1 ? 3 : first)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

/** Storm's `sani-stream`: a stream name made safe as a DOM id. */
export function saniStream(stream: string): string {
  const safe = stream.replace(/[^A-Za-z_.-]/g, '_');
  return /^[A-Za-z]/.test(stream) ? safe : `_s${safe}`;
}

/** System components and streams (Storm's `__` prefix), hidden unless `sys` is asked for. */
export function isSystem(name: string): boolean {
  return name.startsWith('__');
}
