import { countKey, countOne } from '../../url-work.js';

/** One piscina task: parses a batch of URLs and returns its counts, which the caller merges. */
export default function parseBatch(urls: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const url of urls) countOne(counts, countKey(url));
  return counts;
}
