/** Storm's stats windows: their keys (exactly these strings), length in seconds, and pretty names. */
export const STATS_WINDOWS = ['600', '10800', '86400', ':all-time'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

export const ALL_TIME: StatsWindow = ':all-time';

/** The rolled windows' lengths; all-time has none. */
export const WINDOW_SECONDS: Record<Exclude<StatsWindow, ':all-time'>, number> = { '600': 600, '10800': 10800, '86400': 86400 };

export const WINDOW_PRETTY: Record<StatsWindow, string> = { '600': '10m 0s', '10800': '3h 0m 0s', '86400': '1d 0h 0m 0s', ':all-time': 'All time' };

/** Storm's `num.stat.buckets`: snapshots kept per rolled window. */
export const STAT_BUCKETS = 20;

export function isStatsWindow(value: string): value is StatsWindow {
  return (STATS_WINDOWS as readonly string[]).includes(value);
}
