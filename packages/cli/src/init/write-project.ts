import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TopoError } from '@topo/topology-dsl';
import { projectManifest } from './project-manifest.js';
import { renderTemplate } from './render-template.js';

/** This package's folder: dist/init/ (or src/init/) is two levels down, wherever it is installed. */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATES_DIR = path.join(PACKAGE_DIR, 'templates');

/**
 * Template files stored under another name: npm leaves `.gitignore` out of a package
 * (it would rename it to `.npmignore` on install), so the template keeps it without the dot.
 */
const STORED_NAMES: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

export interface ProjectOptions {
  /** Folder to create the project in; must not exist or be empty. */
  dir: string;
  /** Package name (npm's rules). */
  name: string;
  /** Adds a Python bolt on Topo's adapter. */
  python: boolean;
}

/** The version of this CLI, which is the version of every `@topo/*` package released with it. */
export function topoVersion(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Writes a new project; returns the files written, relative to `dir`, sorted. */
export function writeProject({ dir, name, python }: ProjectOptions): string[] {
  refuseUnusable(dir);
  const version = topoVersion();
  const files = new Map<string, string>();
  const layers = ['word-count', ...(python ? ['word-count-python'] : [])];
  const input = { values: { name }, switches: { python } };
  for (const layer of layers) {
    const root = path.join(TEMPLATES_DIR, layer);
    for (const file of listFiles(root)) {
      const target = path.join(path.dirname(file), STORED_NAMES[path.basename(file)] ?? path.basename(file));
      files.set(target, renderTemplate(readFileSync(path.join(root, file), 'utf8'), input, `${layer}/${file}`));
    }
  }
  files.set('package.json', `${JSON.stringify(projectManifest({ name, topoVersion: version, python }), null, 2)}\n`);

  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return [...files.keys()].sort();
}

function refuseUnusable(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new TopoError(`${dir} exists and is not a folder; topo init needs a new or empty folder`, { dir });
  const entries = readdirSync(dir);
  if (entries.length > 0) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, and ${entries.length - 3} more` : '');
    throw new TopoError(`${dir} is not empty (it holds ${shown}); topo init writes a project only into a new or empty folder`, { dir });
  }
}

/** Every file under `root`, relative to it. */
function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}
