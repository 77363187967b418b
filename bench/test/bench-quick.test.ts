import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaledMs } from '@topo/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../results.js';
import { parts, variants } from '../variants.js';

const bench = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(path.join(os.tmpdir(), 'topo-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Figures that are counts or rates of work done, so zero would mean the variant did nothing. */
const POSITIVE = ['tuplesPerSec', 'latencyP50Us', 'latencyP99Us', 'latencyP999Us', 'peakRssMiB', 'cpuCores', 'redisPeakRssMiB', 'childrenPeakRssMiB', 'offeredTuplesPerSec', 'pendingTrees', 'trackingBytesPerTree'];

// Proves the bench code still runs end to end; it asserts that figures exist, never how fast anything is.
describe('npm run bench --quick', () => {
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    // Two processes at a time, each running several variants of a part: their figures are not what is tested.
    run = spawnSync(process.execPath, ['--import', 'tsx', path.join(bench, 'run.ts'), '--quick', '--jobs', '2', '--out', out], { cwd: bench, encoding: 'utf8', timeout: scaledMs(240_000) });
  }, scaledMs(300_000));

  it('exits 0 and writes latest.json and BENCHMARKS.md into --out', () => {
    expect(run.stderr + run.stdout).not.toMatch(/failed \(exit/);
    expect(run.status).toBe(0);
    expect(existsSync(path.join(out, 'latest.json'))).toBe(true);
    expect(existsSync(path.join(out, 'BENCHMARKS.md'))).toBe(true);
  });

  it('has figures for every registered variant', () => {
    const results = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResults;
    const measured = results.parts.flatMap((p) => p.variants);
    expect(measured.map((v) => v.id).sort()).toEqual(variants.map((v) => v.id).sort());
    for (const v of measured) {
      expect(v.runs.length, v.id).toBe(1);
      expect(Object.keys(v.median).length, v.id).toBeGreaterThan(1);
      for (const [key, value] of Object.entries(v.median)) {
        expect(Number.isFinite(value), `${v.id} ${key}`).toBe(true);
        if (POSITIVE.includes(key)) expect(value, `${v.id} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('reports every target of every part, measured or not', () => {
    const results = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResults;
    const expected = parts.flatMap((p) => p.targets ?? []).length;
    expect(results.parts.flatMap((p) => p.targets)).toHaveLength(expected);
    const markdown = readFileSync(path.join(out, 'BENCHMARKS.md'), 'utf8');
    for (const part of parts) expect(markdown).toContain(`## ${part.name}`);
    for (const target of results.parts.flatMap((p) => p.targets)) {
      if (target.measured !== null) expect(target.measured, `${target.subject} / ${target.peer ?? 'a figure'}`).toBeGreaterThan(0);
    }
  });

  it('draws the charts it links', () => {
    const markdown = readFileSync(path.join(out, 'BENCHMARKS.md'), 'utf8');
    const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
    expect(links.sort()).toEqual(['./latency.svg', './throughput.svg']);
    for (const link of links) {
      const svg = readFileSync(path.join(out, link), 'utf8');
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toMatch(/<circle /);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    }
  });
});
