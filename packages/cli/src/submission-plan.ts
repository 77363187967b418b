import type { Submission } from '@topo/nimbus';
import { resolveOverrides } from '@topo/nimbus';
import { computeTaskLayout, scheduleEvenly, type Assignment } from '@topo/runtime';
import { kib } from './format-bytes.js';
import { ACKER_COMPONENT, DEFAULT_CONFIG, mergeConfig, type TopologyConfig } from '@topo/topology-dsl';

export interface Plan {
  name: string;
  components: { name: string; kind: 'spout' | 'bolt' | 'acker'; executors: number; tasks: number[] }[];
  workers: Assignment['workers'];
  bundle: { moduleBytes: number; resources: { path: string; bytes: number }[]; externals: string[] };
  config: TopologyConfig;
}

/** What nimbus would run, by the even scheduler, before any supervisor is chosen. */
export function dryRunPlan(submission: Submission): Plan {
  const { definition, bundle } = submission;
  const overrides = resolveOverrides(definition, submission.overrides);
  const config = mergeConfig(DEFAULT_CONFIG, definition.config, overrides);
  const layout = computeTaskLayout(definition, Number(overrides['topology.acker.executors']));
  const workers = Math.min(Number(overrides['topology.workers']), layout.executors.length);
  const kinds = new Map(definition.components.map((c) => [c.name, c.kind]));
  const components = [...layout.componentTasks].map(([name, tasks]) => ({
    name,
    kind: name === ACKER_COMPONENT ? ('acker' as const) : kinds.get(name)!,
    executors: layout.executors.filter((e) => e.component === name).length,
    tasks,
  }));
  const ids = Array.from({ length: workers }, (_, i) => `worker-${i + 1}`);
  return {
    name: definition.name,
    components,
    workers: scheduleEvenly(definition.name, layout.executors, ids).workers,
    bundle: {
      moduleBytes: Buffer.byteLength(bundle.module),
      resources: bundle.resources.map((r) => ({ path: r.path, bytes: Buffer.from(r.data, 'base64').length })),
      externals: bundle.externals,
    },
    config: Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

export function renderPlan(plan: Plan): string {
  const tasks = plan.components.reduce((n, c) => n + c.tasks.length, 0);
  const executors = plan.components.reduce((n, c) => n + c.executors, 0);
  const width = Math.max(...plan.components.map((c) => c.name.length));
  const lines = [`dry run: ${plan.name} would run as below (nothing uploaded)`, `components (${tasks} tasks in ${executors} executors):`];
  for (const c of plan.components) {
    lines.push(`  ${c.name.padEnd(width)}  ${c.kind.padEnd(5)}  ${c.executors} executor${c.executors === 1 ? ' ' : 's'}  tasks ${c.tasks.join(',')}`);
  }
  lines.push(`workers (${plan.workers.length}):`);
  for (const w of plan.workers) lines.push(`  ${w.id}: ${w.executors.map((e) => `${e.component}[${e.tasks.join(',')}]`).join(' ')}`);
  const resources = plan.bundle.resources.map((r) => r.path);
  lines.push(
    `bundle: module ${kib(plan.bundle.moduleBytes)}; ${resources.length} resource${resources.length === 1 ? '' : 's'}${resources.length > 0 ? ` (${resources.join(', ')})` : ''}; from the workers: ${plan.bundle.externals.join(', ') || 'nothing'}`,
  );
  lines.push('config:');
  for (const [key, value] of Object.entries(plan.config)) lines.push(`  ${key} = ${JSON.stringify(value)}`);
  return lines.join('\n');
}
