import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Plugin } from '@oclif/core';

/** Where oclif looks for the manifest of a package's commands. */
export const MANIFEST_FILE = 'oclif.manifest.json';

/**
 * Makes `<packageDir>/oclif.manifest.json` (each command's id, flags, args and file) current
 * with the built commands, writing it when it is missing or older than any of them. With it
 * oclif imports only the command it runs; without it, every command, and through them the
 * daemons, the REST client, the bundler and their dependencies: most of a `topo` start.
 * Checking costs a stat per command file; `bin/topo.js` does it before each start, so a
 * rebuild by any means (`npm run build`, `tsc -b`) never leaves oclif a stale manifest. In
 * a folder that cannot be written, oclif imports every command, as it would without one.
 */
export async function ensureCommandManifest(packageDir: string): Promise<void> {
  const manifest = path.join(packageDir, MANIFEST_FILE);
  const commandsDir = path.join(packageDir, 'dist', 'commands');
  let newestCommand: number;
  try {
    newestCommand = Math.max(...readdirSync(commandsDir).map((f) => statSync(path.join(commandsDir, f)).mtimeMs));
  } catch {
    return; // Not built: oclif says so itself.
  }
  const written = statSync(manifest, { throwIfNoEntry: false })?.mtimeMs;
  if (written !== undefined && written >= newestCommand) return;
  const plugin = new Plugin({ root: packageDir, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  // Written aside and renamed: CLI processes starting side by side never read half a file.
  const temporary = `${manifest}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
    renameSync(temporary, manifest);
  } catch {
    // Read-only: see above.
  }
}
