import type * as esbuild from 'esbuild';
import { ackerExecutors, DEFAULT_CONFIG, mergeConfig, validate, type TopologyConfig, type TopologyDefinition, type TopologyLimits, type ValidationProblem } from '@topo/topology-dsl';
import { loadEsbuild } from '../bundle/bundle-topology.js';
import { validators } from '../schema-validator.js';
import { bundleProblems, type TopologyBundle } from '../bundle/topology-bundle.js';

/** The body of `POST /api/v1/uploadTopology`. */
export interface Submission {
  /** Compiled by the client from the module, with the submit-time config in its config. */
  definition: TopologyDefinition;
  /** The submit-time config (`--config`, `--workers`), which workers layer over the module's own. */
  overrides: TopologyConfig;
  bundle: TopologyBundle;
  /** Replace a live topology of the same name. */
  force?: boolean;
  /** Start with spouts deactivated. */
  inactive?: boolean;
}

export const submissionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:topo:submission',
  type: 'object',
  required: ['definition', 'overrides', 'bundle'],
  additionalProperties: false,
  properties: {
    definition: { type: 'object' },
    overrides: { type: 'object' },
    bundle: { type: 'object' },
    force: { type: 'boolean' },
    inactive: { type: 'boolean' },
  },
} as const;

/**
 * Every problem of a submission: its shape, its bundle (paths that would escape the
 * topology's folder, bad base64, a module that does not parse), and the definition with
 * its overrides (ajv schema plus the graph checks `topo check` runs), its size within
 * `ceilings` (nimbus's limits, which the topology's config cannot raise). Empty when sound.
 */
export async function submissionProblems(body: unknown, ceilings?: Partial<TopologyLimits>): Promise<ValidationProblem[]> {
  const checkShape = validators().submission;
  if (!checkShape(body)) {
    return (checkShape.errors ?? []).map((e) => ({ code: 'malformed-upload', message: `upload${e.instancePath}: ${e.message}` }));
  }
  const problems: ValidationProblem[] = bundleProblems(body.bundle).map((message) => ({
    code: /outside|absolute|climbs|segment|NUL|backslash/.test(message) ? 'unsafe-resource-path' : 'malformed-bundle',
    message,
  }));
  if (problems.length === 0) {
    try {
      const { transform } = await loadEsbuild();
      await transform(body.bundle.module, { loader: 'js', format: 'esm', logLevel: 'silent' });
    } catch (error) {
      const first = (error as { errors?: esbuild.Message[] }).errors?.[0];
      const where = first?.location != null ? ` at line ${first.location.line}, column ${first.location.column}` : '';
      problems.push({ code: 'malformed-bundle', message: `the bundled module does not parse${where}: ${first?.text ?? String(error)}` });
    }
  }
  const definition = body.definition as TopologyDefinition;
  const withOverrides = typeof definition.config === 'object' && definition.config !== null ? { ...definition, config: { ...definition.config, ...body.overrides } } : definition;
  problems.push(...validate(withOverrides, { ceilings }));
  return problems;
}

/**
 * The overrides as nimbus stores them: `topology.workers` and `topology.acker.executors`
 * resolved (ackers default to one per worker, as in Storm) and fixed from now on, so a
 * rebalance to another worker count never renumbers tasks.
 */
export function resolveOverrides(definition: TopologyDefinition, overrides: TopologyConfig): TopologyConfig {
  const merged = mergeConfig(DEFAULT_CONFIG, definition.config, overrides);
  return { ...overrides, 'topology.workers': Number(merged['topology.workers']), 'topology.acker.executors': ackerExecutors(merged) };
}
