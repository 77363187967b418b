import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliProcess, bin, repoRoot, runCli } from './cli-process.js';

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

describe.concurrent('topo --help loads no engine', () => {
  it('imports none of the engine, nimbus or supervisor packages to list the commands', async () => {
    const hook = fileURLToPath(new URL('./fixtures/log-imports.mjs', import.meta.url));
    // NODE_ENV as a user's: under vitest (test) oclif loads the commands' TypeScript source through tsx instead.
    const child = spawn(process.execPath, ['--import', hook, bin, '--help'], { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production' } });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    expect(stdout).toContain('COMMANDS');
    const imported = stderr.split('\n').filter((line) => line.startsWith('import '));
    // The hook works: oclif itself was imported (the commands are not: the manifest describes them).
    expect(imported.some((line) => line.includes('/@oclif/core/')), stderr.slice(0, 2000)).toBe(true);
    const heavy = imported.filter((line) => /packages\/(runtime|nimbus|supervisor|topology-dsl)\/|node_modules\/(@topo|ioredis|bullmq|ajv|esbuild|msgpackr)\//.test(line));
    expect(heavy).toEqual([]);
  });

  it('states the daemons\' defaults as the packages define them', async () => {
    const { DEFAULT_NIMBUS_PORT } = await import('@topo/nimbus');
    const { DEFAULT_BASE_PORT } = await import('@topo/supervisor');
    expect((await runCli('nimbus', '--help')).stdout.replace(/\s+/g, ' ')).toContain(`default: ${DEFAULT_NIMBUS_PORT},`);
    expect((await runCli('supervisor', '--help')).stdout.replace(/\s+/g, ' ')).toContain(`default: ${DEFAULT_BASE_PORT},`);
    expect((await runCli('list', '--help')).stdout.replace(/\s+/g, ' ')).toContain(`default: http://127.0.0.1:${DEFAULT_NIMBUS_PORT})`);
  });
});

describe.concurrent('the CLI as oclif CLIs behave', () => {
  it('answers `topo help <command>` as `topo <command> --help`', async () => {
    const help = await runCli('help', 'run');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/USAGE\n\s+\$ topo run FILE/);
    expect(help.stdout).toBe((await runCli('run', '--help')).stdout);
  });

  it('says a mistyped command is not one, with the exit code oclif gives', async () => {
    const { code, stderr, stdout } = await runCli('chek');
    expect(code).toBe(127);
    expect(stderr).toContain('chek is not a topo command.');
    expect(stdout).toBe('');
  });

  it('offers the closest command at a terminal and runs it when accepted', async () => {
    // A pseudo-terminal, as a user's shell gives: the suggestion is a prompt only there.
    const pty = spawn('python3', ['-c', 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', process.execPath, bin, 'chek'], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = '';
    pty.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Did you mean check?') && !pty.stdin.writableEnded) pty.stdin.end('y\r');
    });
    const code = await new Promise<number | null>((resolve) => pty.on('close', resolve));
    expect(output).toContain('Did you mean check?');
    // Accepted: `topo check` ran, and asked for the file it needs.
    expect(output).toContain('Missing 1 required arg');
    expect(code).toBe(2);
  });

  it('installs shell completion with `topo autocomplete`, listing the commands', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'topo-autocomplete-'));
    try {
      const setup = new CliProcess(['autocomplete', 'bash'], undefined, { XDG_CACHE_HOME: cache });
      const { code, stdout } = await setup.exited;
      expect(code).toBe(0);
      expect(stdout).toContain('topo autocomplete script bash');
      const completion = await readFile(join(cache, 'topo/autocomplete/functions/bash/topo.bash'), 'utf8');
      for (const command of ['run', 'check', 'visualize', 'nimbus', 'submit']) expect(completion).toMatch(new RegExp(`\\b${command}\\b`));
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
