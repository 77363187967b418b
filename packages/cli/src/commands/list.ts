import { clusterFlags, failClusterCommand, nimbusClient } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';

export default class List extends CliCommand {
  static override summary = 'List the topologies running on the cluster';
  static override description = 'Asks nimbus for every topology: name, status, tasks, workers, uptime and id, as `storm list` prints them. --json prints nimbus\'s topology summary.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --nimbus http://10.0.0.1:6627 --json'];
  static override flags = { ...clusterFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(List);
    try {
      const { topologies } = await (await nimbusClient(flags)).topologySummary();
      if (flags.json) return this.log(JSON.stringify(topologies, null, 2));
      if (topologies.length === 0) return this.log('No topologies running.');
      const rows = [['Topology_name', 'Status', 'Num_tasks', 'Num_workers', 'Uptime_secs', 'Topology_Id']];
      for (const t of topologies) rows.push([t.name, t.status, String(t.tasksTotal), String(t.workersTotal), String(t.uptimeSeconds), t.id]);
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
      // Why a FAILED topology cannot run, under the table: too long for a column.
      const problems = topologies.filter((t) => t.problem !== undefined).map((t) => `${t.name} (${t.id}) ${t.status}: ${t.problem}`);
      this.log([line(rows[0]), '-'.repeat(line(rows[0]).length), ...rows.slice(1).map(line), ...(problems.length > 0 ? ['', ...problems] : [])].join('\n'));
    } catch (error) {
      await failClusterCommand(this, error, flags.json);
    }
  }
}
