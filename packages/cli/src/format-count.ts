const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `123456` as `123,456`: progress lines are read at a glance while numbers move. */
export function formatCount(n: number): string {
  return grouped.format(n);
}
