import { realpathSync } from 'node:fs';
import path from 'node:path';
import { HttpError } from '@topo/nimbus';

/** The files a worker folder holds that the logviewer serves: the log, its rolls, the process output and its roll. */
const SERVED_NAME = /^worker\.log(?:\.\d+|\.out(?:\.1)?)?$/;

/**
 * Resolves a `file` parameter (`<topologyId>/<port>/worker.log`, Storm's form) to a file
 * inside `root`, or refuses it with 400 (a path that leaves the folder, by `..`, an
 * absolute path or a symbolic link; or a name that is not a worker log) or 404 (no such
 * file). Only what the layout produces is served, so no other file on the node is.
 */
export function resolveLogFile(root: string, file: string | null): string {
  if (file === null || file === '') throw new HttpError(400, 'the file parameter is missing (e.g. file=<topologyId>/<port>/worker.log)');
  const parts = file.split('/');
  if (file.includes('\0') || file.includes('\\') || parts.length !== 3 || parts.some((p) => p === '' || p === '.' || p === '..') || !/^\d+$/.test(parts[1]) || !SERVED_NAME.test(parts[2])) {
    throw new HttpError(400, `not a worker log: ${JSON.stringify(file)} (expected <topologyId>/<port>/worker.log, .log.N or .log.out)`);
  }
  const resolved = path.resolve(root, ...parts);
  let real: string;
  try {
    real = realpathSync(resolved);
  } catch {
    throw new HttpError(404, `no such log: ${file}`);
  }
  const realRoot = realpathSync(root);
  if (!real.startsWith(realRoot + path.sep)) throw new HttpError(400, `not a worker log: ${JSON.stringify(file)} leads out of the log folder`);
  return real;
}
