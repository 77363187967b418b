import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resultsFileName, type PackageResults } from './results-file.js';

export interface Summary {
  /** What failed, a file or package per line with its failed tests below it, then the count line. */
  lines: string[];
  ok: boolean;
}

/**
 * Sums up a whole run: the failing files named with their failed tests, and last, alone on
 * its line, `N passed, N failed` (`, N skipped` when any was). A package expected to run
 * that left no results (its build or type check failed, or it crashed) counts as one
 * failure, as does each error outside a test, each failed check that is not a package's
 * tests (`failedChecks`, such as the shared type check), and a run whose tests all passed
 * but whose command failed: the count line never says 0 failed about a run that did not pass.
 */
export function summarize(expected: readonly string[], results: ReadonlyMap<string, PackageResults>, exitCode = 0, failedChecks: readonly string[] = []): Summary {
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const check of failedChecks) {
    failed++;
    lines.push(`FAIL ${check}: see its output above`);
  }
  for (const packageDir of expected) {
    const result = results.get(packageDir);
    if (result === undefined) {
      failed++;
      lines.push(`FAIL ${packageDir}: its tests did not run (its build or type check failed, or vitest crashed; see its output above)`);
      continue;
    }
    for (const file of result.files) {
      passed += file.passed;
      skipped += file.skipped;
      const errors = file.failed === 0 && file.errors.length > 0 ? 1 : 0;
      failed += file.failed + errors;
      if (file.failed + errors === 0) continue;
      lines.push(`FAIL ${file.file}`);
      for (const error of file.errors) lines.push(`  ${error}`);
      for (const name of file.failures) lines.push(`  × ${name}`);
    }
    if (result.unhandledErrors.length > 0) {
      failed += result.unhandledErrors.length;
      lines.push(`FAIL ${packageDir}: ${result.unhandledErrors.length} unhandled error(s) outside any test`);
      for (const error of result.unhandledErrors) lines.push(`  ${error}`);
    }
  }
  if (exitCode !== 0 && failed === 0) {
    failed++;
    lines.push(`FAIL the test command exited with code ${exitCode} though no test failed; see the output above`);
  }
  lines.push(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return { lines, ok: failed === 0 };
}

/** The results each package's reporter wrote into `dir`, by package folder. */
export function readResults(dir: string, expected: readonly string[]): Map<string, PackageResults> {
  const results = new Map<string, PackageResults>();
  for (const packageDir of expected) {
    const file = path.join(dir, resultsFileName(packageDir));
    if (existsSync(file)) results.set(packageDir, JSON.parse(readFileSync(file, 'utf8')) as PackageResults);
  }
  return results;
}
