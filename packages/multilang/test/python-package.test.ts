import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PYTHON_ADAPTER_PATH, ShellBolt } from '@topo/multilang';
import { Topology } from '@topo/topology-dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS, PACKAGE_ROOT, runTopology, waitFor, type Run } from './support/harness.js';
import { Ledger, ledgerSpout } from './support/ledger-spout.js';
import { Sink } from './support/scripted-topology.js';

const exec = promisify(execFile);
const root = mkdtempSync(path.join(os.tmpdir(), 'topo-pip-'));
const venvPython = path.join(root, 'venv', 'bin', 'python');
const { version } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
let run: Run | undefined;

/**
 * The Python adapter as a Python user installs it: `pip install <folder>` into a fresh venv,
 * offline (no index, no build isolation: nothing but pip and the adapter's own backend). The
 * venv is made without its own pip (installing pip into it is most of a venv's start-up
 * time) and the system's pip installs into it with `--python`.
 */
beforeAll(async () => {
  // A copy, as pip would get from a git URL or the npm package, so no build output lands in the repository.
  const source = path.join(root, 'adapter');
  cpSync(PYTHON_ADAPTER_PATH, source, { recursive: true, filter: (file) => path.basename(file) !== '__pycache__' });
  await exec('python3', ['-m', 'venv', '--without-pip', path.join(root, 'venv')]);
  await exec('python3', ['-m', 'pip', '--python', venvPython, 'install', '--no-build-isolation', '--no-index', '--disable-pip-version-check', source]);
});

afterAll(async () => {
  await run?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('pip install of adapters/python', () => {
  it('gives the venv topo_multilang from its own site-packages, at the version of @topo/multilang', async () => {
    const { stdout } = await exec(venvPython, ['-c', 'import importlib.metadata, topo_multilang; print(topo_multilang.__file__); print(importlib.metadata.version("topo-multilang"))'], {
      cwd: root,
      env: { ...process.env, PYTHONPATH: '' },
    });
    const [file, installed] = stdout.trim().split('\n');
    expect(path.relative(path.join(root, 'venv'), file).startsWith('..')).toBe(false);
    expect(file).toMatch(/site-packages[\\/]topo_multilang\.py$/);
    expect(installed).toBe(version);
  });

  it('runs a multi-lang bolt with the venv python and no PYTHONPATH', async () => {
    const ledger = new Ledger([
      ['echo', 0],
      ['echo', 1],
      ['echo', 2],
    ]);
    const Feed = ledgerSpout(ledger, ['action', 'n']);
    class Installed extends Topology {
      feed = Feed.spec();
      echo = ShellBolt.spec({
        command: venvPython,
        args: ['adapter_bolt.py'],
        cwd: path.join(COMPONENTS, 'python'),
        // Empty, so the adapter can only come from the venv.
        env: { PYTHONPATH: '' },
        outputs: ['action', 'n'],
        input: this.feed,
      });
      sink = Sink.spec({ input: this.echo });
    }
    run = await runTopology(Installed);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(ledger.failed).toEqual([]);
    expect(run.errors).toEqual([]);
    expect(run.valuesOf('echo').sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['echo', 0],
      ['echo', 1],
      ['echo', 2],
    ]);
  });
});
