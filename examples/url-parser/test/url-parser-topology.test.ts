import { completeTopology } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import type { InvalidReason } from '../src/parse-url.js';
import UrlParser from '../topology.js';

// Each piece says how it is written in the URL and what the WHATWG parser makes of it.
const HOSTS = [
  { written: 'www.example.com', host: 'www.example.com' },
  { written: 'API.Example.org:8443', host: 'api.example.org' },
  { written: 'bücher.de', host: 'xn--bcher-kva.de' },
  { written: '[::1]:9000', host: '[::1]' },
  { written: '192.168.0.7', host: '192.168.0.7' },
];
const PATHS = [
  { written: '', path: '/' },
  { written: '/a/b.html', path: '/a/b.html' },
  { written: '/caf%C3%A9', path: '/caf%C3%A9' },
  { written: '/straße', path: '/stra%C3%9Fe' },
];
const QUERIES: [string, string][][] = [
  [],
  [['q', 'storm']],
  [['a', '1'], ['b', '2'], ['a', '3']],
  [['utm_source', 'hn'], ['utm_medium', 'social'], ['utm_campaign', 'launch'], ['ref', '']],
];

interface ValidCase {
  url: string;
  host: string;
  path: string;
  queryKeys: number;
}

/** Every host with every path, and the first host again with each path: hosts get different counts. */
function validCases(): ValidCase[] {
  const cases: ValidCase[] = [];
  const hosts = [...HOSTS, HOSTS[0]];
  hosts.forEach((host, i) =>
    PATHS.forEach((path, j) => {
      const pairs = QUERIES[(i + j) % QUERIES.length];
      const query = pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&')}`;
      const fragment = (i + j) % 3 === 0 ? '#top' : '';
      cases.push({
        url: `${i % 2 === 0 ? 'https' : 'http'}://${host.written}${path.written}${query}${fragment}`,
        host: host.host,
        path: path.path,
        queryKeys: new Set(pairs.map(([k]) => k)).size,
      });
    }),
  );
  return cases;
}

const MALFORMED: [string, InvalidReason][] = [
  ['www.example.com/no-scheme', 'missing-scheme'],
  ['//cdn.example.com/lib.js', 'missing-scheme'],
  ['ht!tp://x', 'missing-scheme'],
  ['http://', 'empty-host'],
  ['https://?q=1', 'empty-host'],
  ['http://%2e/path', 'empty-host'],
  ['ftp://files.example.com/a.zip', 'unsupported-scheme'],
  ['mailto:someone@example.com', 'unsupported-scheme'],
  ['http://exa mple.com/', 'unparseable'],
  ['https://example.com:99999/', 'unparseable'],
  ['http://256.1.1.1/', 'unparseable'],
];

const sorted = (rows: unknown[][]): unknown[][] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** key -> the counts emitted for it, in emit order. */
function countsByKey(rows: unknown[][]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const [key, count] of rows) {
    const counts = byKey.get(key as string) ?? [];
    counts.push(count as number);
    byKey.set(key as string, counts);
  }
  return byKey;
}

const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

describe('UrlParser topology', () => {
  const valid = validCases();
  // Malformed lines spread through the valid ones, as in a real feed.
  const input = valid.flatMap((c, i) => (i % 2 === 0 && MALFORMED[i / 2] !== undefined ? [MALFORMED[i / 2][0], c.url] : [c.url]));

  it('sends parsed URLs on the default stream, malformed ones on invalid, and counts both', async () => {
    expect(input).toHaveLength(valid.length + MALFORMED.length);
    const { tuples, replays } = await completeTopology(UrlParser, { mockedSources: { urlSpout: input.map((url) => [url]) } });

    expect(replays).toBe(0);
    expect(sorted(tuples.urlSpout.default)).toEqual(sorted(input.map((url) => [url])));
    expect(sorted(tuples.urlBolt.default)).toEqual(sorted(valid.map((c) => [c.host, c.path, c.queryKeys])));
    expect(sorted(tuples.urlBolt.invalid)).toEqual(sorted(MALFORMED));

    const reasons = tally(MALFORMED.map(([, reason]) => reason));
    expect(countsByKey(tuples.invalidCount.default)).toEqual(new Map([...reasons].map(([reason, n]) => [reason, oneToN(n)])));
  });

  it('counts each host in one hostCount task: its emitted counts run 1..n without restarting', async () => {
    const { tuples } = await completeTopology(UrlParser, { mockedSources: { urlSpout: input.map((url) => [url]) } });

    const hosts = tally(valid.map((c) => c.host));
    expect(new Set(hosts.values()).size).toBeGreaterThan(1);
    expect(countsByKey(tuples.hostCount.default)).toEqual(new Map([...hosts].map(([host, n]) => [host, oneToN(n)])));
  });
});
