import path from 'node:path';
import { BundleError } from '../errors.js';
import { validators } from '../schema-validator.js';

export const BUNDLE_FORMAT = 'topo-bundle/1';

/** A file shipped with the topology, at a path relative to the topology's folder. */
export interface BundleResource {
  /** Relative POSIX path: no `..`, no `.`, no empty segment, no leading `/`, no backslash. */
  path: string;
  /** Contents, base64. */
  data: string;
  executable?: boolean;
}

/**
 * What `topo submit` uploads besides the definition: the topology as one ESM module with
 * its dependencies inlined, and its resources. Unpacked on a supervisor as
 * `topology.mjs` next to a `resources/` folder.
 */
export interface TopologyBundle {
  format: typeof BUNDLE_FORMAT;
  module: string;
  /** The module's export holding the Topology class (default: its default or only one). */
  exportName?: string;
  /** Engine packages (`@topo/*`) the module imports; the worker's own copies serve them, so each process has one copy. */
  externals: string[];
  resources: BundleResource[];
}

export const topologyBundleSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:topology-bundle',
  type: 'object',
  required: ['format', 'module', 'externals', 'resources'],
  additionalProperties: false,
  properties: {
    format: { const: BUNDLE_FORMAT },
    module: { type: 'string', minLength: 1 },
    exportName: { type: 'string', minLength: 1 },
    externals: { type: 'array', items: { type: 'string', pattern: '^@topo/[a-z0-9-]+$' } },
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'data'],
        additionalProperties: false,
        properties: {
          path: { type: 'string', minLength: 1, maxLength: 1024 },
          data: { type: 'string', contentEncoding: 'base64' },
          executable: { type: 'boolean' },
        },
      },
    },
  },
} as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Why a resource path could write outside the topology's folder (or is otherwise not a
 * plain relative path), or undefined when it is safe to join under that folder.
 */
export function resourcePathProblem(resourcePath: string): string | undefined {
  if (resourcePath.includes('\0')) return 'contains a NUL byte';
  if (resourcePath.includes('\\')) return 'contains a backslash (use /)';
  if (resourcePath.startsWith('/') || /^[A-Za-z]:/.test(resourcePath)) return 'is absolute';
  const segments = resourcePath.split('/');
  if (segments.some((s) => s === '..')) return 'climbs out with ..';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or . segment';
  return undefined;
}

/** Every problem of a parsed upload's bundle part, as readable lines; empty when it is sound. */
export function bundleProblems(value: unknown): string[] {
  const checkBundle = validators().bundle;
  if (!checkBundle(value)) return (checkBundle.errors ?? []).map((e) => `bundle${e.instancePath}: ${e.message}`);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const resource of value.resources) {
    const problem = resourcePathProblem(resource.path);
    if (problem !== undefined) problems.push(`resource ${JSON.stringify(resource.path)} ${problem}`);
    else if (seen.has(resource.path)) problems.push(`resource ${JSON.stringify(resource.path)} appears twice`);
    if (!BASE64.test(resource.data) || resource.data.length % 4 !== 0) problems.push(`resource ${JSON.stringify(resource.path)} is not valid base64`);
    seen.add(resource.path);
  }
  return problems;
}

/** Parses stored bundle JSON, refusing anything `bundleProblems` finds. */
export function parseBundle(json: string, where: string): TopologyBundle {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new BundleError(`bundle at ${where} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { where });
  }
  const problems = bundleProblems(value);
  if (problems.length > 0) throw new BundleError(`bundle at ${where} is malformed: ${problems.join('; ')}`, { where });
  return value as TopologyBundle;
}

/** Where a resource lands under `resourcesDir`; throws if it would land anywhere else. */
export function resourceTarget(resourcesDir: string, resourcePath: string): string {
  const problem = resourcePathProblem(resourcePath);
  const target = path.resolve(resourcesDir, ...resourcePath.split('/'));
  if (problem !== undefined || !target.startsWith(path.resolve(resourcesDir) + path.sep)) {
    throw new BundleError(`resource ${JSON.stringify(resourcePath)} would be written outside ${resourcesDir}${problem !== undefined ? ` (it ${problem})` : ''}`, { path: resourcePath });
  }
  return target;
}
