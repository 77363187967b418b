import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  files?: string[];
  license?: string;
  dependencies?: Record<string, string>;
}

export interface PublishablePackage {
  /** Folder, relative to the repository root: `packages/cli`. */
  dir: string;
  manifest: PackageManifest;
}

/** The packages under `packages/` a user can install: every one not marked private. */
export function publishablePackages(): PublishablePackage[] {
  return readdirSync(path.join(repoRoot, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = `packages/${entry.name}`;
      return { dir, manifest: JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as PackageManifest };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}
