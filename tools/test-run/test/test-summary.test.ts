import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RESULTS_DIR_VARIABLE, type FileResult, type PackageResults } from '../src/results-file.js';
import { readResults, summarize } from '../src/test-summary.js';

const sample = fileURLToPath(new URL('./fixtures/sample/', import.meta.url));
const SAMPLE = 'tools/test-run/test/fixtures/sample';

function file(name: string, counts: Partial<FileResult> = {}): FileResult {
  return { file: name, durationMs: 1, passed: 0, failed: 0, skipped: 0, failures: [], errors: [], ...counts };
}

function results(...packages: PackageResults[]): Map<string, PackageResults> {
  return new Map(packages.map((p) => [p.package, p]));
}

describe('the whole-run summary', () => {
  it('names each failing file with its failed tests and errors, above one count line, from a real vitest run', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'topo-test-results-'));
    try {
      const run = spawnSync(process.execPath, [path.join(process.cwd(), '../../node_modules/vitest/vitest.mjs'), 'run', '--root', sample], {
        encoding: 'utf8',
        env: { ...process.env, [RESULTS_DIR_VARIABLE]: dir },
      });
      expect(run.status, run.stdout + run.stderr).toBe(1);
      const summary = summarize([SAMPLE], readResults(dir, [SAMPLE]));
      expect(summary.lines).toEqual([
        `FAIL ${SAMPLE}/broken.sample.ts`,
        '  Error: broken on purpose',
        `FAIL ${SAMPLE}/failing.sample.ts`,
        '  × sample > fails on purpose',
        '3 passed, 2 failed',
      ]);
      expect(summary.ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes with the count alone when nothing failed, and adds skipped tests when there are any', () => {
    expect(summarize(['a'], results({ package: 'a', files: [file('a/x.test.ts', { passed: 4 })], unhandledErrors: [] }))).toEqual({ lines: ['4 passed, 0 failed'], ok: true });
    expect(summarize(['a'], results({ package: 'a', files: [file('a/x.test.ts', { passed: 4, skipped: 2 })], unhandledErrors: [] })).lines).toEqual(['4 passed, 0 failed, 2 skipped']);
  });

  it('counts a package that left no results as a failure, naming it, and still sums up the others', () => {
    const summary = summarize(['a', 'b'], results({ package: 'b', files: [file('b/y.test.ts', { passed: 3 })], unhandledErrors: [] }));
    expect(summary.lines).toEqual(['FAIL a: its tests did not run (its build or type check failed, or vitest crashed; see its output above)', '3 passed, 1 failed']);
    expect(summary.ok).toBe(false);
  });

  it('counts each unhandled error as a failure of its package', () => {
    const summary = summarize(['a'], results({ package: 'a', files: [file('a/x.test.ts', { passed: 2 })], unhandledErrors: ['Error: late', 'TypeError: later'] }));
    expect(summary.lines).toEqual(['FAIL a: 2 unhandled error(s) outside any test', '  Error: late', '  TypeError: later', '2 passed, 2 failed']);
  });

  it('counts a failed check outside the packages (the shared type check) as one failure, naming it', () => {
    const summary = summarize(['a'], results({ package: 'a', files: [file('a/x.test.ts', { passed: 2 })], unhandledErrors: [] }), 2, ['type check (tsconfig.tests.json)']);
    expect(summary.lines).toEqual(['FAIL type check (tsconfig.tests.json): see its output above', '2 passed, 1 failed']);
    expect(summary.ok).toBe(false);
  });

  it('never says 0 failed about a run whose command failed', () => {
    const summary = summarize(['a'], results({ package: 'a', files: [file('a/x.test.ts', { passed: 2 })], unhandledErrors: [] }), 1);
    expect(summary.lines).toEqual(['FAIL the test command exited with code 1 though no test failed; see the output above', '2 passed, 1 failed']);
    expect(summary.ok).toBe(false);
  });
});
