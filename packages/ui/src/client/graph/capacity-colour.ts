/**
 * A bolt's fill by capacity: green when idle, through yellow, to red at 1.0 (saturated:
 * Storm's hint for "add parallelism"). Light tones, so the dark label stays readable.
 */
export function capacityColour(capacity: number | undefined): string {
  if (capacity === undefined) return 'hsl(210 15% 90%)';
  const load = Math.min(Math.max(capacity, 0), 1);
  return `hsl(${Math.round(130 * (1 - load))} 65% ${Math.round(82 - 8 * load)}%)`;
}
