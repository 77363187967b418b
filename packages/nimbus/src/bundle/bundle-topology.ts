import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import { BundleError } from '../errors.js';
import { BUNDLE_FORMAT, type BundleResource, type TopologyBundle } from './topology-bundle.js';
import { BUNDLE_RESOURCES_DIR } from './unpack-bundle.js';

export interface BundleOptions {
  /** Export holding the Topology class, when it is not the default or only one. */
  exportName?: string;
  /** Files or folders inside the topology's folder to ship as well (relative to the cwd). */
  resources?: string[];
}

/** Storm's convention: multi-lang scripts live in `resources/` next to the topology, and run from there. */
const CONVENTIONAL_RESOURCES = 'resources';
const SOURCE_FILES = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const IMPORT_META = /\bimport\.meta\.(url|filename|dirname)\b/g;

/**
 * CommonJS dependencies inlined into an ES module still call `require` for Node's
 * built-ins; ESM has none, so the bundle makes one.
 */
const BANNER = [
  "import { createRequire as __topoCreateRequire } from 'node:module';",
  "import { fileURLToPath as __topoFileURLToPath } from 'node:url';",
  'const require = __topoCreateRequire(import.meta.url);',
  `const __topoModuleUrl = (rel) => new URL('./${BUNDLE_RESOURCES_DIR}/' + rel, import.meta.url).href;`,
  'const __topoModuleFile = (rel) => __topoFileURLToPath(__topoModuleUrl(rel));',
].join('\n');

/**
 * Bundles a topology module for `topo submit`: one ESM file with every dependency
 * inlined except Node's built-ins and the engine's own `@topo/*` packages (each worker
 * provides those, so a process holds one copy of the DSL and the runtime).
 *
 * The topology's folder is mirrored under the bundle's `resources/`: each module of
 * that folder sees `import.meta.url` as its mirrored place, so code that finds data
 * next to itself (`new URL('../data/x.txt', import.meta.url)`) finds the shipped copy.
 * Shipped are the folder's `resources/` (multi-lang scripts, by Storm's convention) and
 * whatever `resources` names.
 */
export async function bundleTopology(file: string, options: BundleOptions = {}): Promise<TopologyBundle> {
  const entry = path.resolve(file);
  const root = path.dirname(entry);
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    const { build } = await loadEsbuild();
    result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      metafile: true,
      keepNames: true,
      logLevel: 'silent',
      external: ['@topo/*'],
      banner: { js: BANNER },
      plugins: [mirrorModuleLocations(root)],
    });
  } catch (error) {
    const errors = (error as { errors?: esbuild.Message[] }).errors ?? [];
    const detail = errors.length > 0 ? errors.map(formatMessage).join('\n') : error instanceof Error ? error.message : String(error);
    throw new BundleError(`cannot bundle ${file}:\n${detail}`, { file });
  }
  const externals = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && imported.path.startsWith('@topo/')) externals.add(imported.path.split('/').slice(0, 2).join('/'));
    }
  }
  const bundle: TopologyBundle = {
    format: BUNDLE_FORMAT,
    module: result.outputFiles[0].text,
    externals: [...externals].sort(),
    resources: await collectResources(root, options.resources ?? []),
  };
  if (options.exportName !== undefined) bundle.exportName = options.exportName;
  return bundle;
}

/** Rewrites `import.meta.url`, `.filename` and `.dirname` in the topology folder's own modules to their mirrored place. */
function mirrorModuleLocations(root: string): esbuild.Plugin {
  return {
    name: 'topo-mirror-module-locations',
    setup(build) {
      build.onLoad({ filter: SOURCE_FILES }, async (args) => {
        const rel = path.relative(root, args.path);
        if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const posix = JSON.stringify(rel.split(path.sep).join('/'));
        const dir = JSON.stringify(path.dirname(rel).split(path.sep).join('/'));
        const contents = source.replace(IMPORT_META, (_all, what: string) =>
          what === 'url' ? `__topoModuleUrl(${posix})` : what === 'filename' ? `__topoModuleFile(${posix})` : `__topoModuleFile(${dir})`,
        );
        return { contents, loader: loaderFor(args.path), resolveDir: path.dirname(args.path) };
      });
    },
  };
}

function loaderFor(file: string): esbuild.Loader {
  if (file.endsWith('.tsx')) return 'tsx';
  if (file.endsWith('.jsx')) return 'jsx';
  return /\.[cm]?ts$/.test(file) ? 'ts' : 'js';
}

function formatMessage(message: esbuild.Message): string {
  const where = message.location !== null ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : '';
  return `  ${where}${message.text}`;
}

/** The conventional `resources/` folder (if any) and the named paths, as bundle entries relative to `root`. */
async function collectResources(root: string, named: string[]): Promise<BundleResource[]> {
  const files = new Map<string, string>();
  const conventional = path.join(root, CONVENTIONAL_RESOURCES);
  const wanted = named.map((p) => path.resolve(p));
  if ((await stat(conventional).catch(() => undefined))?.isDirectory() === true) wanted.unshift(conventional);
  for (const absolute of wanted) {
    const rel = path.relative(root, absolute);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new BundleError(`resource ${absolute} is not inside the topology's folder ${root}; resources are shipped at their place in that folder`, { file: absolute });
    }
    await addFiles(absolute, root, files);
  }
  const resources: BundleResource[] = [];
  for (const [rel, absolute] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const info = await stat(absolute);
    const resource: BundleResource = { path: rel, data: (await readFile(absolute)).toString('base64') };
    if ((info.mode & 0o111) !== 0) resource.executable = true;
    resources.push(resource);
  }
  return resources;
}

async function addFiles(absolute: string, root: string, files: Map<string, string>): Promise<void> {
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) throw new BundleError(`resource ${absolute} does not exist`, { file: absolute });
  if (info.isDirectory()) {
    for (const entry of await readdir(absolute)) await addFiles(path.join(absolute, entry), root, files);
  } else if (info.isFile()) {
    files.set(path.relative(root, absolute).split(path.sep).join('/'), absolute);
  }
}

/**
 * esbuild, imported on first use: most processes that import nimbus (workers, supervisors,
 * `topo run`) never bundle, and importing it cost each 30 ms of CPU at start.
 */
export function loadEsbuild(): Promise<typeof esbuild> {
  return import('esbuild');
}
