import { Args, Flags } from '@oclif/core';
import { prepareSubmission, resolveOverrides, type Submission } from '@topo/nimbus';
import { computeTaskLayout, scheduleEvenly, type Assignment } from '@topo/runtime';
import { ACKER_COMPONENT, DEFAULT_CONFIG, mergeConfig, TopoError, TopologyValidationError, type TopologyConfig } from '@topo/topology-dsl';
import { clusterFlags, failClusterCommand, nimbusClient } from '../cluster-client.js';
import { EXIT_INVALID, EXIT_UNLOADABLE } from '../topology-command.js';
import { configFromFlags, topologyFlags } from '../topology-flags.js';
import { CliCommand } from '../cli-command.js';

export default class Submit extends CliCommand {
  static override summary = 'Bundle a topology and submit it to nimbus';
  static override description =
    'Compiles and validates the topology here, bundles it with esbuild into one ES module holding every dependency (the engine\'s @topo packages come from the workers), adds its resources (the resources/ folder next to the module, which holds multi-lang scripts by Storm\'s convention, and every --resource), and uploads it. Nimbus validates it again and schedules it over the supervisors. --dry-run prints the plan and the resolved config without uploading.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/url-parser/topology.ts --resource examples/url-parser/data --workers 2',
    '<%= config.bin %> <%= command.id %> topology.ts --nimbus http://10.0.0.1:6627,http://10.0.0.2:6627 --config topology.message.timeout.secs=60',
    '<%= config.bin %> <%= command.id %> topology.ts --name WordCount --force',
    '<%= config.bin %> <%= command.id %> topology.ts --workers 4 --dry-run',
  ];
  static override args = {
    file: Args.string({ name: 'file', required: true, description: 'topology module (.ts or .js) exporting a Topology subclass' }),
  };
  static override flags = {
    ...clusterFlags,
    ...topologyFlags,
    name: Flags.string({ helpValue: 'N', description: 'topology name (default: static topologyName, else the class name)' }),
    workers: Flags.integer({ min: 1, helpValue: 'N', description: 'worker processes (topology.workers; default: the topology\'s own, else 1)' }),
    resource: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      helpValue: 'PATH',
      description: 'file or folder inside the topology\'s folder to ship too; it lands at the same place relative to the module (repeatable)',
    }),
    force: Flags.boolean({ description: 'replace a running topology of the same name' }),
    inactive: Flags.boolean({ description: 'submit with spouts deactivated (`topo activate` starts them)' }),
    'dry-run': Flags.boolean({ description: 'print the plan (components, tasks, workers) and the resolved config; upload nothing' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Submit);
    let prepared: Awaited<ReturnType<typeof prepareSubmission>>;
    try {
      prepared = await prepareSubmission(args.file, {
        exportName: flags.topology,
        name: flags.name,
        config: configFromFlags(flags.config),
        workers: flags.workers,
        resources: flags.resource,
        force: flags.force,
        inactive: flags.inactive,
      });
    } catch (error) {
      if (!(error instanceof TopoError)) throw error;
      this.logToStderr(`error: ${error.message}`);
      return this.exit(EXIT_UNLOADABLE);
    }
    const { submission, problems } = prepared;
    if (problems.length > 0) {
      this.logToStderr(new TopologyValidationError(submission.definition.name, problems).message);
      return this.exit(EXIT_INVALID);
    }
    if (flags['dry-run']) {
      const plan = dryRunPlan(submission);
      this.log(flags.json ? JSON.stringify(plan, null, 2) : renderPlan(plan));
      return;
    }
    try {
      const result = await nimbusClient(flags).submit(submission);
      const bytes = Buffer.byteLength(JSON.stringify(submission));
      this.log(flags.json ? JSON.stringify(result, null, 2) : `submitted ${result.name} as ${result.topologyId} (${result.topologyStatus}, ${kib(bytes)} uploaded)`);
    } catch (error) {
      failClusterCommand(this, error, flags.json);
    }
  }
}

interface Plan {
  name: string;
  components: { name: string; kind: 'spout' | 'bolt' | 'acker'; executors: number; tasks: number[] }[];
  workers: Assignment['workers'];
  bundle: { moduleBytes: number; resources: { path: string; bytes: number }[]; externals: string[] };
  config: TopologyConfig;
}

/** What nimbus would run, by the even scheduler, before any supervisor is chosen. */
function dryRunPlan(submission: Submission): Plan {
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

function renderPlan(plan: Plan): string {
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

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
