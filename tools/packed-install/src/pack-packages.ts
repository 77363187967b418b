import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, type PublishablePackage } from './publishable-packages.js';

export interface PackedPackage {
  name: string;
  version: string;
  /** Absolute path of the tarball. */
  tarball: string;
  /** Paths inside the package, as npm put them in the tarball. */
  files: string[];
}

/** `npm pack` of every package at once (one npm process), tarballs into `destination`. */
export async function packPackages(packages: readonly PublishablePackage[], destination: string): Promise<PackedPackage[]> {
  const workspaces = packages.flatMap((pkg) => ['--workspace', pkg.dir]);
  const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--pack-destination', destination, ...workspaces], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  const packed = JSON.parse(stdout) as { name: string; version: string; filename: string; files: { path: string }[] }[];
  return packed.map((p) => ({ name: p.name, version: p.version, tarball: path.join(destination, p.filename), files: p.files.map((f) => f.path) }));
}
