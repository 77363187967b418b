import { existsSync, readFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleError } from '@topo/nimbus';

/**
 * The folder of an engine package (`@topo/...`) as this supervisor resolves it: the
 * copy its workers load, so a bundle that imports it shares one copy per process.
 */
export function enginePackageDir(name: string): string {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(name));
  } catch {
    throw new BundleError(`the topology imports ${name}, which is not installed beside this supervisor`, { package: name });
  }
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
  }
  throw new BundleError(`cannot find the package folder of ${name} (resolved to ${entry})`, { package: name });
}

/**
 * Links each engine package into `folder/node_modules`, where Node's resolution from
 * the bundle finds it; Node then loads it by its real path, the same module instance
 * the worker itself uses.
 */
export async function linkEnginePackages(folder: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const link = path.join(folder, 'node_modules', ...name.split('/'));
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(enginePackageDir(name), link, 'dir');
  }
}
