import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resourceTarget, type TopologyBundle } from './topology-bundle.js';

/** The module's file name in an unpacked topology folder. */
export const BUNDLE_MODULE_FILE = 'topology.mjs';
/** The resources folder in an unpacked topology folder; workers run with it as their working directory. */
export const BUNDLE_RESOURCES_DIR = 'resources';

/**
 * Writes a bundle into `dir` (which should be new and empty): the module as
 * `topology.mjs`, each resource under `resources/`. Every resource path is checked
 * again here, so a bundle that slipped past nimbus still cannot write elsewhere.
 */
export async function unpackBundle(bundle: TopologyBundle, dir: string): Promise<void> {
  const resources = path.join(dir, BUNDLE_RESOURCES_DIR);
  const targets = bundle.resources.map((r) => resourceTarget(resources, r.path));
  await mkdir(resources, { recursive: true });
  await writeFile(path.join(dir, BUNDLE_MODULE_FILE), bundle.module);
  for (const [i, resource] of bundle.resources.entries()) {
    await mkdir(path.dirname(targets[i]), { recursive: true });
    await writeFile(targets[i], Buffer.from(resource.data, 'base64'));
    if (resource.executable === true) await chmod(targets[i], 0o755);
  }
}
