import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NimbusClient, secondScaleFlags } from '@topo/nimbus';
import { freePort, freePortRange, scaledMs, startTestRedis, waitFor } from '@topo/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackages, type PackedPackage } from '../src/pack-packages.js';
import { ProjectProcess, runInProject, type ProcessResult } from '../src/project-process.js';
import { publishablePackages, repoRoot } from '../src/publishable-packages.js';

/**
 * Topo as a user gets it: every package packed, a project written by `topo init --python`
 * in a temp folder outside the repository, the tarballs installed there (third-party
 * packages come from npm's cache or registry, as for any install), and then the commands
 * the project's README gives. One install for the whole file.
 */
const publishable = publishablePackages();
const version = publishable.find((pkg) => pkg.dir === 'packages/cli')!.manifest.version;
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'topo-packed-')));
const project = path.join(root, 'word-count');
let packed: PackedPackage[] = [];

/** Fails with the command's output, which says what went wrong, instead of a bare exit code. */
function expectSuccess(result: ProcessResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
}

beforeAll(async () => {
  const tarballs = path.join(root, 'tarballs');
  mkdirSync(tarballs);
  packed = await packPackages(publishable, tarballs);
  // The repository's build of `topo init` writes the project; the installed CLI's init is tested below.
  expectSuccess(await runInProject(process.execPath, [path.join(repoRoot, 'bin/topo.js'), 'init', project, '--python'], root), 'topo init');
  const install = await runInProject('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packed.map((p) => p.tarball)], project);
  expectSuccess(install, 'npm install of the tarballs');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('packed packages', () => {
  it('are outside the repository, one tarball per package, each built first', () => {
    expect(path.relative(repoRoot, root).startsWith('..')).toBe(true);
    const names = publishable.map((pkg) => pkg.manifest.name).sort();
    expect(packed.map((p) => p.name).sort()).toEqual(names);
    // This package depends on each only so that turbo builds them before packing: a new one must be added.
    const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Object.keys(own.devDependencies).sort()).toEqual(names);
  });

  it('hold their dist (JS and .d.ts), README and LICENSE, every file their exports and bin name, and a manifest fit to publish', () => {
    for (const pkg of publishable) {
      const { manifest } = pkg;
      const files = new Set(packed.find((p) => p.name === manifest.name)!.files);
      const where = `${manifest.name} (${pkg.dir})`;
      // A library ships its build; create-topo is only a bin.
      const library = manifest.exports !== undefined ? ['dist/index.js', 'dist/index.d.ts'] : [];
      for (const file of ['package.json', 'README.md', 'LICENSE', ...library]) {
        expect(files.has(file), `${where} packs ${file}`).toBe(true);
      }
      expect([...files].filter((file) => file.startsWith('test/')), `${where} packs no tests`).toEqual([]);
      const targets = [...Object.values(manifest.exports ?? {}).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target))), ...Object.values(manifest.bin ?? {})];
      for (const target of targets) expect(files.has(path.posix.normalize(target)), `${where} packs ${target}, named in its manifest`).toBe(true);

      expect(manifest.version, `${where} is released with the others`).toBe(version);
      expect(manifest.license, `${where} names its license`).toBe('MIT');
      expect(manifest.engines?.node, `${where} names the Node versions it runs on`).toBe('>=20.19');
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
        expect(range, `${where} depends on ${dependency} by a real range`).not.toMatch(/^(\*|latest|file:|workspace:|link:)/);
        if (dependency.startsWith('@topo/') || dependency === 'create-topo') expect(range, `${where} pins ${dependency} to the version released with it`).toBe(version);
      }
    }
    expect(publishable.find((pkg) => pkg.dir === 'packages/cli')!.manifest.bin).toEqual({ topo: 'bin/topo.js' });
    expect(publishable.find((pkg) => pkg.dir === 'packages/create-topo')!.manifest.bin).toEqual({ 'create-topo': 'bin/create-topo.js' });
  });
});

// Concurrent: each waits mostly on its own processes starting, and a user's machine runs them side by side too.
describe.concurrent('a project outside the repository, installed from the tarballs', () => {
  it('has every @topo package installed in the project itself, not linked to the repository', ({ expect }) => {
    for (const { name } of packed) {
      const installed = path.join(project, 'node_modules', ...name.split('/'));
      expect(lstatSync(installed).isSymbolicLink(), `${name} is a real folder`).toBe(false);
      expect(realpathSync(installed).startsWith(project + path.sep), `${name} is inside the project`).toBe(true);
    }
  });

  it('passes npm test: a strict tsc --noEmit (noImplicitOverride) and its own vitest tests', async ({ expect }) => {
    const tsconfig = JSON.parse(readFileSync(path.join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, noImplicitOverride: true, noEmit: true });

    const result = await runInProject('npm', ['test'], project);
    expectSuccess(result, 'npm test');
    expect(result.stdout).toContain('tsc --noEmit && vitest run');
    expect(result.stdout).toMatch(/Tests\s+2 passed \(2\)/);
  });

  it('validates its topology with npx topo check', async ({ expect }) => {
    const result = await runInProject('npx', ['topo', 'check', 'topology.ts'], project);
    expectSuccess(result, 'npx topo check');
    expect(result.stdout).toContain('ok: topology WordCount is valid: 4 components (1 spout, 3 bolts)');
  });

  it('runs its topology with npx topo run over two worker processes, the Python bolt included, to the end of its file', async ({ expect }) => {
    // The spout says done() after the last line, so the run ends by itself once every tree is acked.
    const result = await runInProject('npx', ['topo', 'run', 'topology.ts', '--workers', '2'], project);
    expectSuccess(result, 'npx topo run');
    // Five lines in data/lines.txt: every tree acked means split, stopWords (python3) and count all ran.
    expect(result.stdout).toMatch(/summary: emitted 5 acked 5 failed 0 timed out 0 errors 0 pending 0/);
    expect(result.stdout).toMatch(/stopWords\s+bolt\s+executed 60\s+emitted 20\s+acked 60\s+failed 0\s+errors 0/);
    expect(result.stdout).toMatch(/count\s+bolt\s+executed 20\s+emitted 20/);
  });

  it('has a topo init of its own (and npm create topo) that writes a new project pinned to the installed versions, whose tests pass, and refuses a non-empty folder', async ({ expect }) => {
    // The installed bin, as npx runs it (npx's own start-up is tested by the other commands).
    const topo = path.join(project, 'node_modules/.bin/topo');
    const created = await runInProject(topo, ['init', '../second', '--name', 'my-words'], project);
    expectSuccess(created, 'topo init ../second');
    const second = path.join(root, 'second');
    for (const file of ['package.json', 'tsconfig.json', 'vitest.config.ts', 'topology.ts', 'README.md', '.gitignore', 'data/lines.txt', 'test/split-bolt.test.ts', 'test/word-count.test.ts']) {
      expect(existsSync(path.join(second, file)), `topo init writes ${file}`).toBe(true);
    }
    expect(existsSync(path.join(second, 'python'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(second, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
    expect(manifest.name).toBe('my-words');
    expect(manifest.dependencies).toEqual({ '@topo/cli': version, '@topo/runtime': version, '@topo/topology-dsl': version });

    // Its tests pass too, on the installed packages (linked from the first project: a second install would test npm, not Topo).
    symlinkSync(path.join(project, 'node_modules'), path.join(second, 'node_modules'), 'dir');
    const tests = await runInProject('npm', ['test'], second);
    expectSuccess(tests, 'npm test in the second project');
    expect(tests.stdout).toMatch(/Tests\s+2 passed \(2\)/);

    // npm create topo: the create-topo package's bin, which is topo init.
    const createdByNpm = await runInProject('npm', ['create', 'topo', '../third', '--', '--name', 'third-words', '--python'], project);
    expectSuccess(createdByNpm, 'npm create topo ../third');
    const third = JSON.parse(readFileSync(path.join(root, 'third', 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
    expect(third.name).toBe('third-words');
    expect(third.dependencies['@topo/multilang']).toBe(version);
    expect(existsSync(path.join(root, 'third', 'python/stop_words.py'))).toBe(true);

    const refused = await runInProject(topo, ['init', '.'], project);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*word-count is not empty \(it holds .*\); topo init writes a project only into a new or empty folder/m);
  });

  it('runs its topology on a cluster of the installed daemons: npx topo nimbus, npx topo supervisor, npx topo submit', async ({ expect }) => {
    const redis = await startTestRedis();
    const daemons: ProjectProcess[] = [];
    const started = async (args: string[], ready: RegExp) => {
      const daemon = new ProjectProcess('npx', ['topo', ...args, '--redis', redis.url, ...secondScaleFlags()], project);
      daemons.push(daemon);
      await waitFor(() => ready.test(daemon.stderr) || daemon.child.exitCode !== null, `${args[0]} ready`, 60_000);
      expect(daemon.child.exitCode, `${args[0]} is running\n${daemon.stderr}`).toBe(null);
    };
    try {
      const port = await freePort();
      const slotPort = await freePortRange('127.0.0.1', 1);
      const nimbus = `http://127.0.0.1:${port}`;
      // daemons[0] is the nimbus, daemons[1] the supervisor.
      await Promise.all([
        started(['nimbus', '--port', String(port)], /listening on http:/),
        started(['supervisor', '--slots', '1', '--base-port', String(slotPort), '--dir', path.join(root, 'supervisor')], /supervisor \S+ on /),
      ]);
      // The spout reads data/, the Python bolt's script is in python/: both go with the bundle.
      const submitted = await runInProject('npx', ['topo', 'submit', 'topology.ts', '--resource', 'data', '--resource', 'python', '--nimbus', nimbus], project);
      expectSuccess(submitted, 'npx topo submit');
      const client = new NimbusClient({ urls: [nimbus] });
      await waitFor(
        async () => {
          const detail = await client.topology('WordCount').catch(() => undefined);
          const count = detail?.components.find((c) => c.component === 'count');
          return detail?.components.find((c) => c.component === 'lines')?.acked === 5 && count?.executed === 20;
        },
        'the cluster acking every line of data/lines.txt',
        60_000,
      );
    } finally {
      // The supervisor first: stopping cleanly, it stops its worker.
      for (const daemon of daemons.reverse()) await daemon.stop(scaledMs(10_000));
      await redis.stop();
    }
  });

  it('has a Python adapter in the installed @topo/multilang that pip installs into a venv', async ({ expect }) => {
    const venv = path.join(root, 'venv');
    expectSuccess(await runInProject('python3', ['-m', 'venv', '--without-pip', venv], root), 'python3 -m venv');
    // The system's pip into the venv (a venv's own pip is most of its start-up), offline.
    const adapter = path.join(project, 'node_modules/@topo/multilang/adapters/python');
    const pip = await runInProject('python3', ['-m', 'pip', '--python', path.join(venv, 'bin/python'), 'install', '--no-index', '--no-build-isolation', '--disable-pip-version-check', adapter], root);
    expectSuccess(pip, 'pip install of the installed adapter');
    const imported = await runInProject(path.join(venv, 'bin/python'), ['-c', 'import topo_multilang; print(topo_multilang.__file__)'], root);
    expectSuccess(imported, 'import topo_multilang');
    expect(imported.stdout.trim().startsWith(path.join(venv, 'lib'))).toBe(true);
  });
});
