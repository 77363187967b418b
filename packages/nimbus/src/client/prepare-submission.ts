import { loadTopology } from '@topo/runtime';
import { compileTopology, validate, type TopologyConfig, type ValidationProblem } from '@topo/topology-dsl';
import type { Submission } from '../api/submission.js';
import { bundleTopology } from '../bundle/bundle-topology.js';

export interface PrepareOptions {
  /** Export holding the Topology class, when not the default or only one. */
  exportName?: string;
  name?: string;
  /** Submit-time config (`--config`). */
  config?: TopologyConfig;
  /** `topology.workers`, over the topology's own. */
  workers?: number;
  /** Extra files or folders inside the topology's folder to ship. */
  resources?: string[];
  force?: boolean;
  inactive?: boolean;
}

/**
 * What `topo submit` uploads, made from a topology module: compiled (running the
 * module here, as `storm jar` runs the client's main), validated, and bundled. The
 * problems are returned rather than thrown, so a caller can show them all.
 */
export async function prepareSubmission(file: string, options: PrepareOptions = {}): Promise<{ submission: Submission; problems: ValidationProblem[] }> {
  const overrides: TopologyConfig = { ...options.config };
  if (options.workers !== undefined) overrides['topology.workers'] = options.workers;
  const compiled = compileTopology(await loadTopology(file, options.exportName), { name: options.name, config: overrides });
  const problems = validate(compiled.definition);
  const bundle = await bundleTopology(file, { exportName: options.exportName, resources: options.resources });
  const submission: Submission = { definition: compiled.definition, overrides, bundle };
  if (options.force === true) submission.force = true;
  if (options.inactive === true) submission.inactive = true;
  return { submission, problems };
}
