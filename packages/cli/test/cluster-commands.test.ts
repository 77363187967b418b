import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '@topo/nimbus';
import { freePort, waitFor } from '@topo/runtime';
import { fixture, runCli } from './cli-process.js';
import { ProcessCluster } from './process-cluster.js';

const TOKEN = 'cli-test-token';
const example = 'examples/url-parser/topology.ts';

const cluster = ProcessCluster.perFile({ token: TOKEN, nimbuses: 1 });

/** Clear errors are one `error:` line (plus problems), never a stack trace. */
function expectClearError(stderr: string, message: RegExp): void {
  expect(stderr).toMatch(message);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('cluster commands', () => {
  it('report an unreachable nimbus clearly, every one of them', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const commands = [['list'], ['kill', 'X'], ['activate', 'X'], ['deactivate', 'X'], ['rebalance', 'X', '--workers', '2'], ['submit', example]];
    // Run side by side: nothing answers any of them.
    const results = await Promise.all(commands.map((args) => runCli(...args, '--nimbus', nowhere)));
    for (const [i, { code, stderr }] of results.entries()) {
      expect(code, commands[i].join(' ')).toBe(1);
      expectClearError(stderr, new RegExp(`^error: cannot reach nimbus at ${nowhere} \\(connection refused\\); is nimbus running\\?`, 'm'));
    }
  });

  it('report an unknown name and a wrong token clearly, as text and as JSON', async () => {
    const unknown = await cluster.topo('kill', 'NoSuchTopology');
    expect(unknown.code).toBe(1);
    expectClearError(unknown.stderr, /^error: no topology named NoSuchTopology is running$/m);

    const wrong = await runCli('deactivate', 'NoSuchTopology', '--nimbus', cluster.nimbusUrls[0], '--token', 'guess');
    expect(wrong.code).toBe(1);
    expectClearError(wrong.stderr, /^error: the bearer token is wrong \(set it with --token or TOPO_TOKEN\)$/m);

    const json = await cluster.topo('activate', 'NoSuchTopology', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: 'no topology named NoSuchTopology is running', status: 404, problems: [] });
  });

  it('refuse a submission with the wrong token, and nothing is stored', async () => {
    const refused = await runCli('submit', example, '--nimbus', cluster.nimbusUrls[0], '--token', 'guess');
    expect(refused.code).toBe(1);
    expectClearError(refused.stderr, /^error: the bearer token is wrong/m);
    expect((await cluster.topo('list')).stdout.trim()).toBe('No topologies running.');
  });

  it('refuse an invalid topology before uploading, listing every problem', async () => {
    const { code, stderr } = await cluster.topo('submit', fixture('broken.ts'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^topology Broken is invalid \(\d+ problems\):/m);
    expect(stderr).toMatch(/^ {2}- component lonely: bolt has no inputs/m);
    expect((await cluster.client.topologySummary()).topologies).toEqual([]);
    const missing = await cluster.topo('submit', 'no/such/topology.ts');
    expect(missing.code).toBe(2);
    expectClearError(missing.stderr, /^error: topology file not found: no\/such\/topology.ts$/m);
  });

  it('list the problems nimbus finds in a rebalance', async () => {
    const submitted = await cluster.topo('submit', example, '--inactive', '--json');
    expect(submitted.code, submitted.stderr).toBe(0);
    expect((JSON.parse(submitted.stdout) as CommandResult).topologyStatus).toBe('inactive');
    const { code, stderr } = await cluster.topo('rebalance', 'UrlParser', '--component', 'urlBolt=9', '--component', 'ghost=1');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: cannot rebalance UrlParser$/m);
    expect(stderr).toMatch(/^ {2}- component urlBolt: parallelism must be an integer from 1 to the component's 4 tasks, got 9$/m);
    expect(stderr).toMatch(/^ {2}- component ghost: no component named ghost/m);
    const killed = await cluster.topo('kill', 'UrlParser', '--wait', '0');
    expect(killed.code, killed.stderr).toBe(0);
  });
});

describe('every command', () => {
  it('ends a usage error with one `error:` line naming the problem, not oclif\'s block', async () => {
    const cases: [string[], RegExp][] = [
      [['rebalance', 'X', '--wait', 'soon'], /^error: --wait: expected a whole number of seconds >= 0, got "soon" \(see topo rebalance --help\)$/],
      [['rebalance', 'X', '--workers', '0'], /^error: --workers: Expected an integer greater than or equal to 1 but received: 0 \(see topo rebalance --help\)$/],
      [['rebalance', 'X', '--component', 'urlBolt'], /^error: --component expects name=parallelism, got "urlBolt"$/],
      [['kill', 'X', '--wait', '2.5'], /^error: --wait: expected a whole number of seconds >= 0, got "2.5" \(see topo kill --help\)$/],
      [['kill'], /^error: Missing 1 required arg: name topology name \(or id, as `topo list` shows it\) \(see topo kill --help\)$/],
      [['list', '--bogus'], /^error: Nonexistent flag: --bogus \(see topo list --help\)$/],
      [['nimbus', '--config', 'nokey'], /^error: --config expects key=value, got "nokey" \(see topo nimbus --help\)$/],
      [['run', fixture('broken.ts'), '--duration', '0'], /^error: --duration: expected a positive number of seconds, got "0" \(see topo run --help\)$/],
    ];
    // Side by side: each is a CLI start and a failure, and none depends on another.
    const results = await Promise.all(cases.map(([args]) => runCli(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      const { code, stdout, stderr } = results[i];
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trimEnd().split('\n'), args.join(' ')).toEqual([expect.stringMatching(message)]);
      expect(stdout, args.join(' ')).toBe('');
    }
    const json = await runCli('kill', 'X', '--wait', '-1', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: '--wait: expected a whole number of seconds >= 0, got "-1" (see topo kill --help)', problems: [] });
  }, 240_000);

  it('says once where the missing token goes', async () => {
    const { code, stderr } = await runCli('deactivate', 'X', '--nimbus', cluster.nimbusUrls[0]);
    expect(code).toBe(1);
    expect(stderr.trimEnd()).toBe('error: this nimbus requires a bearer token for changes (set it with --token or TOPO_TOKEN)');
  });
});

describe('kill and rebalance waits', () => {
  it('past nimbus.wait.max.secs are refused with the limit named, and the topology stays listed and killable', async () => {
    const submitted = await cluster.topo('submit', example, '--inactive');
    expect(submitted.code, submitted.stderr).toBe(0);
    for (const args of [['kill', 'UrlParser', '--wait', '1e308'], ['rebalance', 'UrlParser', '--wait', '86401']]) {
      const { code, stderr } = await cluster.topo(...args);
      expect(code, args.join(' ')).toBe(1);
      expectClearError(stderr, /^error: the wait must be a whole number of seconds from 0 to 86400 \(nimbus\.wait\.max\.secs\), got "(1e\+308|86401)"$/m);
    }
    expect((await cluster.topo('list')).stdout).toMatch(/^UrlParser +INACTIVE /m);
    const killed = await cluster.topo('kill', 'UrlParser', '--wait', '0');
    expect(killed.code, killed.stderr).toBe(0);
    // Polled over REST (a `topo list` per poll is a CLI start each time), then seen as `topo list` shows it.
    await waitFor(async () => (await cluster.client.topologySummary()).topologies.length === 0, 'UrlParser gone');
    expect((await cluster.topo('list')).stdout.trim()).toBe('No topologies running.');
  });

  it('a topology whose stored record is corrupt is listed as FAILED with its problem, and killed', async () => {
    const submitted = await cluster.topo('submit', example, '--inactive', '--json');
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = (JSON.parse(submitted.stdout) as CommandResult).topologyId;
    const redis = new Redis(cluster.redis.url);
    try {
      // What a wait of 1e308 seconds left before waits were bounded: a time stored as null.
      const record = JSON.parse((await redis.get(`topo:topology:${id}`))!) as Record<string, unknown>;
      await redis.set(`topo:topology:${id}`, JSON.stringify({ ...record, status: 'killed', transition: { kind: 'kill', at: null, resume: 'active' } }));
      const list = await cluster.topo('list');
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`^UrlParser +FAILED +\\d+ +0 +\\d+ +${id}$`, 'm'));
      expect(list.stdout).toMatch(new RegExp(`^UrlParser \\(${id}\\) FAILED: stored value at topo:topology:${id} is not valid: data/transition/at must be number$`, 'm'));
      const killed = await cluster.topo('kill', 'UrlParser');
      expect(killed.code, killed.stderr).toBe(0);
      expect(await redis.keys(`topo:*${id}*`)).toEqual([]);
      expect((await cluster.topo('list')).stdout.trim()).toBe('No topologies running.');
    } finally {
      redis.disconnect();
    }
  });
});

// Plans only, nothing sent: the two run side by side.
describe.concurrent('topo submit --dry-run', () => {
  it('prints the plan and the resolved config without contacting nimbus', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const { code, stdout, stderr } = await runCli('submit', example, '--workers', '2', '--config', 'topology.message.timeout.secs=60', '--dry-run', '--nimbus', nowhere);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^dry run: UrlParser would run as below \(nothing uploaded\)$/m);
    expect(stdout).toMatch(/^components \(11 tasks in 11 executors\):$/m);
    expect(stdout).toMatch(/^ {2}__acker +acker +2 executors +tasks 1,2$/m);
    expect(stdout).toMatch(/^ {2}urlBolt +bolt +4 executors +tasks \d+,\d+,\d+,\d+$/m);
    expect(stdout).toMatch(/^workers \(2\):$/m);
    expect(stdout).toMatch(/^ {2}worker-1: __acker\[1\] /m);
    expect(stdout).toMatch(/^ {2}worker-2: __acker\[2\] /m);
    expect(stdout).toMatch(/^ {2}topology\.message\.timeout\.secs = 60$/m);
    expect(stdout).toMatch(/^ {2}topology\.workers = 2$/m);
    expect(stdout).toMatch(/^ {2}topology\.max\.spout\.pending = 1000$/m);
  });

  it('gives the same plan as JSON', async () => {
    const { code, stdout } = await runCli('submit', example, '--resource', 'examples/url-parser/data', '--dry-run', '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { workers: { executors: { tasks: number[] }[] }[]; config: Record<string, unknown>; bundle: { resources: { path: string }[]; externals: string[] } };
    expect(plan.workers).toHaveLength(1);
    expect(plan.workers[0].executors.flatMap((e) => e.tasks)).toHaveLength(10);
    expect(plan.config['topology.acker.executors']).toBe(1);
    expect(plan.bundle.resources.map((r) => r.path)).toEqual(['data/urls.txt']);
    expect(plan.bundle.externals).toEqual(['@topo/topology-dsl']);
  });
});

describe('topo nimbus', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    const { code, stderr } = await runCli('nimbus', '--host', '0.0.0.0', '--port', String(await freePort()), '--redis', cluster.redis.url);
    expect(code).toBe(1);
    expectClearError(stderr, /^error: refusing to listen on 0\.0\.0\.0 without a token/m);
  });
});
