import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_URLS_FILE } from '../src/file-url-source.js';
import { parseUrl } from '../src/parse-url.js';
import { MALFORMED_RATE, URL_COUNT, URLS_FILE, generateUrls } from '../scripts/generate-urls.js';

describe('data/urls.txt', () => {
  const text = readFileSync(BUNDLED_URLS_FILE, 'utf8');
  const lines = text.split('\n').slice(0, -1);
  const generated = generateUrls();

  it('is what scripts/generate-urls.ts writes, so it can be regenerated', () => {
    expect(URLS_FILE).toBe(BUNDLED_URLS_FILE);
    expect(lines).toEqual(generated.map((u) => u.url));
    expect(text.endsWith('\n')).toBe(true);
  });

  it(`holds ${URL_COUNT} URLs, about ${MALFORMED_RATE * 100}% of them malformed`, () => {
    expect(lines).toHaveLength(URL_COUNT);
    const invalid = lines.filter((line) => !parseUrl(line).valid).length;
    expect(invalid / lines.length).toBeGreaterThanOrEqual(0.03);
    expect(invalid / lines.length).toBeLessThanOrEqual(0.05);
    // The generator's intent and the parser's verdict agree line by line.
    expect(generated.filter((u) => parseUrl(u.url).valid === u.malformed).map((u) => u.url)).toEqual([]);
  });

  it('has dozens of hosts with a skewed popularity, and every invalid reason', () => {
    const hosts = new Map<string, number>();
    const reasons = new Set<string>();
    for (const line of lines) {
      const parsed = parseUrl(line);
      if (parsed.valid) hosts.set(parsed.host, (hosts.get(parsed.host) ?? 0) + 1);
      else reasons.add(parsed.reason);
    }
    const counts = [...hosts.values()].sort((a, b) => b - a);
    const valid = counts.reduce((a, b) => a + b, 0);
    expect(hosts.size).toBeGreaterThanOrEqual(30);
    expect(counts[0] / valid).toBeGreaterThan(0.15);
    expect(counts[0]).toBeGreaterThan(10 * counts[Math.floor(counts.length / 2)]);
    expect([...reasons].sort()).toEqual(['empty-host', 'missing-scheme', 'unparseable', 'unsupported-scheme']);
  });

  it('has the shapes real feeds have: ports, IDN hosts, percent-encoding, fragments, queries of 0 to 6 keys', () => {
    const valid = lines.map((line) => ({ line, parsed: parseUrl(line) })).filter((u) => u.parsed.valid);
    expect(valid.some((u) => /^https?:\/\/[^/?#]*:\d+/.test(u.line))).toBe(true);
    expect(valid.some((u) => u.parsed.valid && u.parsed.host.includes('xn--'))).toBe(true);
    expect(valid.some((u) => /%[0-9A-F]{2}/i.test(u.line))).toBe(true);
    expect(valid.some((u) => u.line.includes('#'))).toBe(true);
    const keyCounts = new Set(valid.map((u) => (u.parsed.valid ? u.parsed.queryKeys : -1)));
    for (let keys = 0; keys <= 6; keys++) expect(keyCounts).toContain(keys);
  });
});
