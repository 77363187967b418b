/** One test file's outcome, as the results reporter writes it and the summary reads it. */
export interface FileResult {
  /** Relative to the repository root. */
  file: string;
  durationMs: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Full names of the failed tests. */
  failures: string[];
  /** Errors outside any test: the file failed to load, or a hook failed. */
  errors: string[];
}

/** Everything one package's `vitest run` reported: `<results dir>/<package dir with + for />.json`. */
export interface PackageResults {
  /** The package's folder relative to the repository root, such as `packages/cli`. */
  package: string;
  files: FileResult[];
  /** Errors vitest caught outside every test (each fails the run). */
  unhandledErrors: string[];
}

/** The environment variable naming the folder the reporter writes into; unset, it writes nothing. */
export const RESULTS_DIR_VARIABLE = 'TOPO_TEST_RESULTS_DIR';

export function resultsFileName(packageDir: string): string {
  return `${packageDir.split('/').join('+')}.json`;
}
