import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalCluster, waitFor, silentLogger } from '@topo/runtime';
import { Topology, type TopologyClass } from '@topo/topology-dsl';
import { BundleError, bundleTopology, parseBundle, resourcePathProblem, unpackBundle, type TopologyBundle } from '@topo/nimbus';

const fixtureDir = fileURLToPath(new URL('./fixtures/shipped/', import.meta.url));
const repoNodeModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
const scratch: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'topo-bundle-test-'));
  scratch.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('bundleTopology', () => {
  it('inlines dependencies, leaves the engine packages to the worker, and ships resources', async () => {
    const bundle = await bundleTopology(path.join(fixtureDir, 'topology.ts'), { resources: [path.join(fixtureDir, 'data')] });
    expect(bundle.externals).toEqual(['@topo/topology-dsl']);
    // ajv is inlined: no import of it is left, only of Node built-ins and the engine.
    const imports = [...bundle.module.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]);
    expect(imports.filter((i) => !i.startsWith('node:') && !i.startsWith('@topo/'))).toEqual([]);
    expect(bundle.resources.map((r) => r.path)).toEqual(['data/words.txt', 'resources/hello.py']);
    expect(bundle.resources.find((r) => r.path === 'resources/hello.py')?.executable).toBe(true);
    expect(Buffer.from(bundle.resources[0].data, 'base64').toString()).toBe('alpha\nbeta\ngamma\n');
  });

  it('unpacks into a folder where the module runs with one copy of the DSL and finds its shipped data', async () => {
    const bundle = await bundleTopology(path.join(fixtureDir, 'topology.ts'), { resources: [path.join(fixtureDir, 'data')] });
    const dir = tempDir();
    await unpackBundle(parseBundle(JSON.stringify(bundle), 'test'), dir);
    // The supervisor links the engine packages the same way; here the repository's node_modules serves.
    symlinkSync(repoNodeModules, path.join(dir, 'node_modules'));
    expect(statSync(path.join(dir, 'resources/resources/hello.py')).mode & 0o111).not.toBe(0);

    const module = (await import(pathToFileURL(path.join(dir, 'topology.mjs')).href)) as {
      default: TopologyClass;
      wordsFile: string;
      platform: string;
      isWord: (v: unknown) => boolean;
    };
    expect(module.wordsFile).toBe(path.join(dir, 'resources/data/words.txt'));
    expect(module.platform).toBe(process.platform);
    expect([module.isWord('abc'), module.isWord('ABC')]).toEqual([true, false]);
    expect(module.default.prototype instanceof Topology).toBe(true);
    const upper: unknown[] = [];
    const cluster = new LocalCluster();
    await cluster.submit(module.default, { logger: silentLogger(), observer: { emitted: (component, _task, _stream, values) => component === 'upper' && upper.push(values[0]) } });
    await waitFor(() => upper.length >= 3, 'three words through the bundled topology').finally(() => cluster.shutdown());
    expect(upper.sort()).toEqual(['ALPHA', 'BETA', 'GAMMA']);
  });

  it('names the file and line of a module that does not compile', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.ts');
    writeFileSync(file, "import { Topology } from '@topo/topology-dsl';\nexport default class Broken extends Topology {\n  x = (;\n}\n");
    const error = await bundleTopology(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as Error).message).toMatch(/cannot bundle .*broken\.ts:\n.*broken\.ts:3:\d+: /);
  });

  it('refuses resources outside the topology folder', async () => {
    const error = await bundleTopology(path.join(fixtureDir, 'topology.ts'), { resources: [repoNodeModules] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as Error).message).toMatch(/is not inside the topology's folder/);
  });
});

describe('bundle paths', () => {
  it.each([
    ['../escape.sh', /climbs out/],
    ['a/../../x', /climbs out/],
    ['/etc/passwd', /absolute/],
    ['C:/x', /absolute/],
    ['a\\..\\b', /backslash/],
    ['a//b', /empty/],
    ['./a', /\. segment/],
    ['a\0b', /NUL/],
  ])('refuses %j', (p, why) => {
    expect(resourcePathProblem(p)).toMatch(why);
  });

  it('accepts plain relative paths', () => {
    expect(resourcePathProblem('resources/split.py')).toBeUndefined();
    expect(resourcePathProblem('data/..hidden/x')).toBeUndefined();
  });

  it('never writes outside the folder, even for a bundle that skipped validation', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'unpacked');
    const evil: TopologyBundle = { format: 'topo-bundle/1', module: 'export {}', externals: [], resources: [{ path: '../../escaped.txt', data: Buffer.from('x').toString('base64') }] };
    await expect(unpackBundle(evil, target)).rejects.toThrow(/would be written outside/);
    expect(existsSync(path.join(dir, 'escaped.txt'))).toBe(false);
    expect(existsSync(path.join(target, 'topology.mjs'))).toBe(false);
    expect(() => parseBundle(JSON.stringify(evil), 'test')).toThrow(/climbs out/);
    expect(() => parseBundle('{"format":', 'test')).toThrow(/not JSON/);
    expect(readFileSync(path.join(fixtureDir, 'data/words.txt'), 'utf8')).toContain('alpha');
  });
});
