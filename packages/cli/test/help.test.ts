import { describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

// Each test is one or two runs of the CLI, independent of the others: they run side by side.
describe.concurrent('topo --help', () => {
  it('lists every command with a one-line description', async () => {
    const { code, stdout } = await runCli('--help');
    expect(code).toBe(0);
    const commands = stdout.slice(stdout.indexOf('COMMANDS'));
    for (const command of ['run', 'check', 'visualize']) {
      expect(commands).toMatch(new RegExp(`^  ${command} +\\S.*$`, 'm'));
    }
    // One line each: a wrapped description would start a line with spaces and no command.
    expect(commands.split('\n').slice(1).filter((line) => /^ {3,}\S/.test(line))).toEqual([]);
  });

  it('shows the flags and examples of a command', async () => {
    const { code, stdout } = await runCli('run', '--help');
    expect(code).toBe(0);
    for (const flag of ['--topology', '--config', '--duration', '--name', '--log-level', '--progress-secs']) expect(stdout).toContain(flag);
    expect(stdout).toMatch(/EXAMPLES\n\s+\$ topo run /);
  });
});
