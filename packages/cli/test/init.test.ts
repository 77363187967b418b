import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './cli-process.js';

// `topo init` as written into folders; installing and running the project it writes is
// tools/packed-install's test, against the packed packages.
const root = mkdtempSync(path.join(os.tmpdir(), 'topo-init-'));
const cliManifest = JSON.parse(readFileSync(path.join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string };
const rootManifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; allowScripts: Record<string, boolean> };

afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe.concurrent('topo init', () => {
  it('writes a word-count project whose package.json pins the @topo packages to this CLI\'s version', async ({ expect }) => {
    const dir = path.join(root, 'Word-Count');
    const { code, stdout } = await runCli('init', dir);
    expect(code).toBe(0);
    expect(stdout).toContain('npm install');
    expect(filesUnder(dir)).toEqual([
      '.gitignore',
      'README.md',
      'data/lines.txt',
      'package.json',
      'src/count-bolt.ts',
      'src/lines-spout.ts',
      'src/split-bolt.ts',
      'test/split-bolt.test.ts',
      'test/word-count.test.ts',
      'topology.ts',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(manifest.name).toBe('word-count');
    const version = cliManifest.version;
    expect(manifest.dependencies).toEqual({ '@topo/cli': version, '@topo/runtime': version, '@topo/topology-dsl': version });
    // The tools the project starts with are the ones this repository is tested with.
    for (const [tool, range] of Object.entries(manifest.devDependencies)) expect(range, tool).toBe(rootManifest.devDependencies[tool]);
    expect(manifest.scripts.test).toBe('tsc --noEmit && vitest run');
    // The install scripts the project allows are the ones this repository allows.
    expect(manifest.allowScripts).toEqual(rootManifest.allowScripts);

    const topology = readFileSync(path.join(dir, 'topology.ts'), 'utf8');
    expect(topology).toContain("count = CountBolt.spec({ p: 2, input: this.split.fields('word') });");
    expect(topology).not.toMatch(/python|multilang/i);
    for (const file of filesUnder(dir)) expect(readFileSync(path.join(dir, file), 'utf8'), file).not.toMatch(/\{\{|\}\}/);
  });

  it('adds a Python bolt on the adapter with --python', async ({ expect }) => {
    const dir = path.join(root, 'py');
    const { code } = await runCli('init', dir, '--python', '--name', '@me/py-words');
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'python/stop_words.py'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(manifest.name).toBe('@me/py-words');
    expect(manifest.dependencies['@topo/multilang']).toBe(cliManifest.version);
    const topology = readFileSync(path.join(dir, 'topology.ts'), 'utf8');
    expect(topology).toContain("import { PYTHON_ADAPTER_PATH, ShellBolt } from '@topo/multilang';");
    expect(topology).toContain("count = CountBolt.spec({ p: 2, input: this.stopWords.fields('word') });");
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('python/stop_words.py');
    for (const file of filesUnder(dir)) expect(readFileSync(path.join(dir, file), 'utf8'), file).not.toMatch(/\{\{|\}\}/);
  });

  it('refuses a folder that is not empty, naming it and what it holds, and writes nothing', async ({ expect }) => {
    const dir = path.join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const { code, stdout, stderr } = await runCli('init', dir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`error: ${dir} is not empty (it holds notes.txt); topo init writes a project only into a new or empty folder\n`);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('refuses a folder name that is no package name unless --name gives one', async ({ expect }) => {
    const dir = path.join(root, 'My Project');
    const refused = await runCli('init', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: the folder name "My Project" is not a valid npm package name (lower-case letters, digits, - . _ ~, optionally @scope/, at most 214 characters); pick one with --name\n');
    expect(existsSync(dir)).toBe(false);
    const named = await runCli('init', dir, '--name', 'my-project');
    expect(named.code).toBe(0);
  });
});
