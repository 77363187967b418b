import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/repo-root.js';
import { splitTestCommands } from '../src/shared-type-check.js';

const sample = fileURLToPath(new URL('./fixtures/type-check/', import.meta.url));

/** Every workspace folder with a `test` script, as `npm test` would run them. */
function packagesWithTestScripts(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  return manifest.workspaces
    .flatMap((pattern) => (pattern.endsWith('/*') ? readdirSync(path.join(repoRoot, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`) : [pattern]))
    .filter((dir) => existsSync(path.join(repoRoot, dir, 'package.json')))
    .filter((dir) => (JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as { scripts?: { test?: string } }).scripts?.test !== undefined);
}

describe('the shared type check of the tests', () => {
  it("stands in for each package's own check of its tests, leaving what else its test script runs", () => {
    const packages = packagesWithTestScripts();
    expect(packages).toEqual(expect.arrayContaining(['packages/cli', 'packages/runtime', 'packages/ui', 'bench', 'tools/test-run']));
    for (const split of splitTestCommands(repoRoot, packages)) {
      // A package whose tests' config drifted from the base (or whose files tsconfig.tests.json misses) would keep its own tsc run: slower, never unchecked.
      expect(split.covered, split.package).toHaveLength(1);
      expect(split.command, split.package).toMatch(/(^| && )vitest run$/);
      expect(split.command, split.package).not.toContain(split.covered[0]);
    }
    // The web UI's browser code is checked with the DOM library, not Node's: its own run stays.
    expect(splitTestCommands(repoRoot, ['packages/ui'])[0].command).toBe('tsc -p src/client/tsconfig.json && vitest run');
  });

  it('keeps a check whose options differ or whose files the shared config lacks', () => {
    expect(splitTestCommands(sample, ['pkg'])).toEqual([{ package: 'pkg', command: 'tsc -p tsconfig.dom.json && tsc -p tsconfig.more.json && vitest run', covered: ['test/tsconfig.json'] }]);
  });
});
