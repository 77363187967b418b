import { ShellProtocolError, type SerializerName } from '@topo/multilang';
import type { TopologyConfig } from '@topo/topology-dsl';
import { afterEach, describe, expect, it } from 'vitest';
import { marksDir, pythonWithMsgpack, runTopology, silenceTimeout, waitFor, type Run } from './support/harness.js';
import { Ledger } from './support/ledger-spout.js';
import { items, scriptedTopology } from './support/scripted-topology.js';

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const starts = (r: Run, component: string) => r.logsOf(component).filter((m) => m.includes('stderr: started task')).length;
const shellErrors = (r: Run) => r.errors.filter((e) => e.error instanceof ShellProtocolError).map((e) => e.error as ShellProtocolError);

interface Scenario {
  action: string;
  reason: RegExp;
  config?: TopologyConfig;
  exitCode?: number;
  stderr?: string;
  serializer?: SerializerName;
  /** Extra arguments for scripted_bolt.py. */
  args?: string[];
}

/** Messages exactly as Topo's adapter writes them, which the engine reads without message objects. */
const TOPO_FORM = ['--form', 'topo'];

const scenarios: Scenario[] = [
  { action: 'crash', reason: /^exited$/, exitCode: 3, stderr: 'about to crash on 5' },
  ...(['json', 'msgpack'] as const).map((serializer): Scenario => ({
    action: 'cut-off',
    reason: serializer === 'json' ? /^exited with a message cut off \(\d+ bytes of a message with no "end" line after them\)$/ : /^exited with a message cut off \(\d+ bytes of a msgpack value that does not end\)$/,
    exitCode: 0,
    serializer,
  })),
  { action: 'malformed', reason: /^sent malformed JSON \(.*\): \{"command": "ack", "id": $/ },
  { action: 'oversized:200000', reason: /^sent a message larger than the limit of 100000 bytes/, config: { 'topo.shell.max.message.bytes': 100_000 } },
  { action: 'no-command', reason: /^sent a message without a command: \{"id":"\d+"\}$/ },
  { action: 'ack-unknown', reason: /^sent ack for id "no-such-id": a tuple that is not in flight/ },
  { action: 'unknown-stream', reason: /^sent an emit the engine rejects: scripted emitted on stream nope, which it does not declare/ },
  { action: 'wrong-types', reason: /^sent emit with tuple that is not an array/ },
  { action: 'unknown-command', reason: /^sent unknown command "dance"$/ },
  { action: 'ack-heartbeat', reason: /^sent ack for id "\d+": a heartbeat, which must be answered with sync/ },
  ...(['json', 'msgpack'] as const).flatMap((serializer): Scenario[] => [
    { action: 'ack-unsent', reason: /^sent ack for id "999999999": a tuple that is not in flight/, serializer, args: TOPO_FORM },
    { action: 'anchor-unsent', reason: /^anchored an emit to tuple id "999999999", which is not in flight/, serializer, args: TOPO_FORM },
    { action: 'unknown-stream', reason: /^sent an emit the engine rejects: scripted emitted on stream nope, which it does not declare/, serializer, args: TOPO_FORM },
    { action: 'ack-heartbeat', reason: /^sent ack for id "\d+": a heartbeat, which must be answered with sync/, serializer, args: TOPO_FORM },
  ]),
  { action: 'hang', reason: /^sent nothing for 2 s \(topology.subprocess.timeout.secs\)$/, config: silenceTimeout(2), stderr: 'going quiet' },
];

describe('a subprocess that misbehaves while running', () => {
  it.each(scenarios)('$action $serializer $args: reported with component, task, pid, exit status and stderr; its in-flight tuples replay on a restarted subprocess; nothing is lost; other components carry on', async (scenario) => {
    const values = [...items('echo', 0, 5), [scenario.action, 5], ...items('echo', 6, 10)];
    const bystander = new Ledger(items('echo', 0, 200));
    const { topology, ledger } = scriptedTopology(values, { marks: marksDir(), bystander, serializer: scenario.serializer, args: scenario.args, python: scenario.serializer === 'msgpack' ? pythonWithMsgpack : undefined });
    run = await runTopology(topology, scenario.config);
    await waitFor(() => ledger.complete() && bystander.complete() && shellErrors(run!).length > 0 && starts(run!, 'scripted') === 2, 'every tree of both spouts acked, the error and the restart');

    const errors = shellErrors(run);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error.reason).toMatch(scenario.reason);
    expect(error).toMatchObject({ component: 'scripted', task: 7 });
    expect(error.pid).toBeGreaterThan(1);
    if (scenario.exitCode !== undefined) expect(error.exitCode).toBe(scenario.exitCode);
    else expect([error.exitCode, error.signal]).toEqual([null, 'SIGKILL']);
    expect(error.stderrTail).toContain('started task 7 of scripted');
    if (scenario.stderr !== undefined) expect(error.stderrTail).toContain(scenario.stderr);
    expect(error.message).toContain(`multi-lang subprocess of scripted (task 7, pid ${error.pid})`);
    expect(run.errors.find((e) => e.error === error)).toMatchObject({ component: 'scripted', task: 7 });

    // Only that subprocess was replaced; the bystander's never was.
    expect(starts(run, 'scripted')).toBe(2);
    expect(starts(run, 'bystander')).toBe(1);
    // Every value reached the sink, and none was acked without passing through.
    const reached = new Set(run.valuesOf('scripted', 'default').map((v) => v[1]));
    expect([...reached].sort((a, b) => Number(a) - Number(b))).toEqual(values.map((v) => v[1]));
    if (scenario.action !== 'ack-heartbeat') expect(ledger.failed).toContain(5);
  });
});

describe('a subprocess that never gets going', () => {
  // The short handshake timeout is the failing component's alone: the bystander's subprocess
  // may be slow to start on a busy machine, and must not race it.
  const cases: { name: string; args: string[]; reason: RegExp; config: TopologyConfig }[] = [
    { name: 'exits before the handshake', args: ['--exit-at-start'], reason: /^exited before answering the handshake$/, config: {} },
    { name: 'never answers the handshake', args: ['--never-handshake'], reason: /^did not answer the handshake within 1 s \(topology.subprocess.timeout.secs\)$/, config: { 'topology.subprocess.timeout.secs': 1 } },
  ];

  it.each(cases)('$name: reported each time, restarted with growing delays, the rest of the topology unaffected', async ({ args, reason, config }) => {
    const bystander = new Ledger(items('echo', 0, 100));
    const { topology } = scriptedTopology(items('echo', 0, 3), { args, bystander, config });
    run = await runTopology(topology);
    await waitFor(() => shellErrors(run!).length >= 3 && bystander.complete(), 'three failures and the bystander done', 30_000);
    const errors = run.errors.filter((e) => e.error instanceof ShellProtocolError);
    for (const { error } of errors) expect((error as ShellProtocolError).reason).toMatch(reason);
    expect(errors.filter((e) => e.component !== 'scripted').map((e) => String(e.error))).toEqual([]);
    // The backoff starts at 100 ms and doubles: each gap is at least that long.
    for (let k = 1; k < errors.length; k++) expect(errors[k].at - errors[k - 1].at).toBeGreaterThanOrEqual(100 * 2 ** (k - 1));
    expect(starts(run, 'bystander')).toBe(1);
  });

  it('a command that does not exist is reported as such, and retried', async () => {
    const { topology } = scriptedTopology(items('echo', 0, 3), { command: 'no-such-program-topo-test' });
    run = await runTopology(topology);
    await waitFor(() => shellErrors(run!).length >= 2, 'two failures');
    const [first] = shellErrors(run);
    expect(first.reason).toBe('could not be started (no-such-program-topo-test: spawn no-such-program-topo-test ENOENT)');
    expect(first.pid).toBeUndefined();
  });
});
