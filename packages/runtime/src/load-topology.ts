import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Topology, TopoError, type TopologyClass } from '@topo/topology-dsl';

let tsLoaderRegistered = false;

/**
 * Loads a topology class from a `.ts` or `.js` module: its default export, or the named
 * export `exportName`, or else its only exported Topology subclass.
 */
export async function loadTopology(file: string, exportName?: string): Promise<TopologyClass> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new TopoError(`topology file not found: ${file}`, { file });
  if (/\.[cm]?tsx?$/.test(absolute) && !tsLoaderRegistered) {
    // A global registration (not tsImport's namespaced one) so the file shares our copy of
    // @topo/topology-dsl and its classes pass instanceof checks.
    // Both hooks: a .ts file outside a `"type": "module"` package is CommonJS to Node, and
    // with only the ESM hook Node 20 fails on it with "require() of ES Module in a cycle".
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
    tsLoaderRegistered = true;
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
    // A CommonJS module's exports arrive as the default export of its ESM facade.
    if (!isTopologyLike(module.default) && typeof module.default === 'object' && module.default !== null) {
      module = { ...(module.default as Record<string, unknown>), ...module };
      if (!isTopologyLike(module.default)) module.default = (module.default as Record<string, unknown>).default;
    }
  } catch (error) {
    throw new TopoError(`could not load ${file}: ${error instanceof Error ? error.message : String(error)}`, { file, cause: error });
  }
  const isTopology = isTopologyLike;

  if (exportName !== undefined) {
    const value = module[exportName];
    if (!isTopology(value)) {
      throw new TopoError(`${file} has no exported Topology subclass named ${exportName} (found: ${topologyExports(module, isTopology)})`, { file, export: exportName });
    }
    return value;
  }
  if (isTopology(module.default)) return module.default;
  const candidates = Object.keys(module).filter((k) => isTopology(module[k]));
  if (candidates.length === 1) return module[candidates[0]] as TopologyClass;
  throw new TopoError(
    candidates.length === 0
      ? `${file} exports no Topology subclass; export one as default`
      : `${file} exports several topologies (${candidates.join(', ')}); pick one with --topology`,
    { file },
  );
}

function isTopologyLike(value: unknown): value is TopologyClass {
  return typeof value === 'function' && value.prototype instanceof Topology;
}

function topologyExports(module: Record<string, unknown>, isTopology: (v: unknown) => boolean): string {
  const names = Object.keys(module).filter((k) => isTopology(module[k]));
  return names.length > 0 ? names.join(', ') : 'none';
}
