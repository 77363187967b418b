import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';
import { RESULTS_DIR_VARIABLE, resultsFileName, type FileResult, type PackageResults } from './results-file.js';
import { repoRoot } from './repo-root.js';

/**
 * A vitest reporter, next to the default one, that writes the package's results as plain
 * data for the whole-run summary of `npm test`. vitest's own JSON reporter counts suites and
 * tests but not the errors outside tests that fail a run, which the summary must name.
 */
export default class ResultsReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const dir = process.env[RESULTS_DIR_VARIABLE];
    if (dir === undefined || dir === '') return;
    const packageDir = path.relative(repoRoot, this.root).split(path.sep).join('/');
    const results: PackageResults = { package: packageDir, files: modules.map(fileResult).sort((a, b) => a.file.localeCompare(b.file)), unhandledErrors: unhandledErrors.map(firstLine) };
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, resultsFileName(packageDir)), `${JSON.stringify(results, null, 2)}\n`);
  }
}

function fileResult(module: TestModule): FileResult {
  const result: FileResult = {
    file: path.relative(repoRoot, module.moduleId).split(path.sep).join('/'),
    durationMs: Math.round(module.diagnostic().duration),
    passed: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    errors: module.errors().map(firstLine),
  };
  for (const test of module.children.allTests()) {
    const { state } = test.result();
    if (state === 'passed') result.passed++;
    else if (state === 'failed') {
      result.failed++;
      result.failures.push(test.fullName);
    } else result.skipped++;
  }
  return result;
}

function firstLine(error: SerializedError): string {
  return `${error.name ?? 'Error'}: ${String(error.message ?? '').split('\n')[0]}`;
}
