import { Args, Flags } from '@oclif/core';
import type { prepareSubmission } from '@topo/nimbus';
import { clusterFlags, failClusterCommand, nimbusClient } from '../cluster-client.js';
import { EXIT_INVALID, EXIT_UNLOADABLE } from '../topology-command.js';
import { configFromFlags, topologyFlags } from '../topology-flags.js';
import { CliCommand } from '../cli-command.js';
import { kib } from '../format-bytes.js';

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
    const { prepareSubmission } = await import('@topo/nimbus');
    const { TopoError, TopologyValidationError } = await import('@topo/topology-dsl');
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
      const { dryRunPlan, renderPlan } = await import('../submission-plan.js');
      const plan = dryRunPlan(submission);
      this.log(flags.json ? JSON.stringify(plan, null, 2) : renderPlan(plan));
      return;
    }
    try {
      const result = await (await nimbusClient(flags)).submit(submission);
      const bytes = Buffer.byteLength(JSON.stringify(submission));
      this.log(flags.json ? JSON.stringify(result, null, 2) : `submitted ${result.name} as ${result.topologyId} (${result.topologyStatus}, ${kib(bytes)} uploaded)`);
    } catch (error) {
      await failClusterCommand(this, error, flags.json);
    }
  }
}

