import { nanoid } from 'nanoid';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_MODULE_FILE, BUNDLE_RESOURCES_DIR, BundleError, parseBundle, unpackBundle, type ClusterState } from '@topo/nimbus';
import { linkEnginePackages } from './engine-packages.js';

/** An unpacked topology, ready for workers. */
export interface TopologyFolder {
  dir: string;
  moduleFile: string;
  /** The workers' working directory: the topology's folder as shipped. */
  resourcesDir: string;
  exportName?: string;
}

/** Written last, so a folder without it is a half-done unpack. */
const MANIFEST = 'manifest.json';

/**
 * The bundles this supervisor has fetched, one folder per topology id under `root`.
 * A bundle is fetched from Redis and unpacked into a scratch folder that is renamed
 * into place when complete, so a crash mid-way never leaves a folder that looks whole.
 */
export class TopologyFolders {
  private readonly ready = new Map<string, TopologyFolder>();

  constructor(
    private readonly root: string,
    private readonly state: ClusterState,
  ) {}

  async ensure(topology: string): Promise<TopologyFolder> {
    const known = this.ready.get(topology);
    if (known !== undefined) return known;
    const dir = path.join(this.root, topology);
    let folder = await readManifest(dir);
    if (folder === undefined) {
      const json = await this.state.bundle(topology);
      if (json === undefined) throw new BundleError(`no bundle stored for topology ${topology}`, { topology });
      const bundle = parseBundle(json, `topology ${topology}`);
      const scratch = `${dir}.unpacking-${nanoid(10)}`;
      try {
        await unpackBundle(bundle, scratch);
        await linkEnginePackages(scratch, bundle.externals);
        await writeFile(path.join(scratch, MANIFEST), JSON.stringify({ exportName: bundle.exportName ?? null }));
        await rm(dir, { recursive: true, force: true });
        await rename(scratch, dir);
      } catch (error) {
        await rm(scratch, { recursive: true, force: true });
        throw error;
      }
      folder = (await readManifest(dir))!;
    }
    this.ready.set(topology, folder);
    return folder;
  }

  /**
   * Deletes the folders of topologies not in `keep`, and scratch folders a crash left
   * (the caller never runs this while an `ensure` is under way).
   */
  async prune(keep: ReadonlySet<string>): Promise<void> {
    if (!existsSync(this.root)) return;
    for (const entry of await readdir(this.root)) {
      if (keep.has(entry)) continue;
      this.ready.delete(entry);
      await rm(path.join(this.root, entry), { recursive: true, force: true });
    }
  }
}

async function readManifest(dir: string): Promise<TopologyFolder | undefined> {
  let manifest: { exportName: string | null };
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as { exportName: string | null };
  } catch {
    return undefined;
  }
  const folder: TopologyFolder = { dir, moduleFile: path.join(dir, BUNDLE_MODULE_FILE), resourcesDir: path.join(dir, BUNDLE_RESOURCES_DIR) };
  if (manifest.exportName !== null) folder.exportName = manifest.exportName;
  return folder;
}
