import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Shared by every copy of this module in the process (the built one tests import, the
 * source one vitest's setup file imports), so that either removes what the other made.
 */
const created: string[] = ((globalThis as { [key: symbol]: string[] | undefined })[Symbol.for('topo.temporaryDirs')] ??= []);

/**
 * A fresh folder under the system's temporary one, removed with its contents by
 * `removeTemporaryDirs()` (every test file's, after it: tools/test-run's vitest setup) or
 * else when this process exits. For what a test hands to processes it starts (an ack log,
 * markers): each test run left about thirty such folders behind before, and a user's /tmp
 * kept them all.
 */
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (!process.listeners('exit').includes(removeTemporaryDirs)) process.on('exit', removeTemporaryDirs);
  created.push(dir);
  return dir;
}

/** Removes every folder `temporaryDir()` made in this process so far. */
export function removeTemporaryDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
