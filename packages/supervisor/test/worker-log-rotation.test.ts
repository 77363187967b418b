import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SECOND_SCALE_CONFIG } from '@topo/nimbus';
import { parseLogLine, waitFor } from '@topo/runtime';
import { workerLogFile } from '@topo/supervisor';
import { TestCluster } from './support/test-cluster.js';

const MAX_BYTES = 20_000;
const MAX_FILES = 2;

let cluster: TestCluster | undefined;
afterAll(() => cluster?.stop());

/** The `n` of each `line n xxx…` in a log file, in file order (none while it is being rolled). */
function lineNumbers(file: string): number[] {
  return (existsSync(file) ? readFileSync(file, 'utf8') : '')
    .split('\n')
    .flatMap((line) => {
      const match = /^line (\d+) /.exec(parseLogLine(line)?.message ?? '');
      return match === null ? [] : [Number(match[1])];
    });
}

describe('worker log rotation', () => {
  it('rolls a loud worker\'s log by size and keeps topo.worker.log.max.files of them: its disk use stays bounded, and no line is lost between files', async () => {
    cluster = await TestCluster.start();
    const supervisor = await cluster.addSupervisor('127.0.0.2', 1, {
      config: { ...SECOND_SCALE_CONFIG, 'topo.worker.log.max.bytes': MAX_BYTES, 'topo.worker.log.max.files': MAX_FILES },
    });
    const { topologyId } = await cluster.submit(fileURLToPath(new URL('fixtures/loud.ts', import.meta.url)), { workers: 1 });
    const live = workerLogFile(supervisor.logDir, topologyId, supervisor.ports[0]);
    const folder = path.dirname(live);
    // Room for about 130 lines in all; wait until the worker has written twenty times that.
    await waitFor(() => existsSync(`${live}.${MAX_FILES}`) && (lineNumbers(live).at(-1) ?? 0) > 2_600, 'the worker to log twenty times what its files hold', 60_000);
    await cluster.client.kill(topologyId, 0);
    // Stopped, so the files below are read as one snapshot.
    await waitFor(() => supervisor.workerPids().get(supervisor.ports[0]) === undefined, 'the worker stopped');

    const files = readdirSync(folder).sort();
    expect(files).toEqual(['worker.log', 'worker.log.1', 'worker.log.2', 'worker.log.out']);
    for (const name of ['worker.log', 'worker.log.1', 'worker.log.2']) expect(statSync(path.join(folder, name)).size).toBeLessThanOrEqual(MAX_BYTES);
    // The oldest file first: consecutive numbers across the rolls, as the one bolt task logged them.
    const numbers = [`${live}.2`, `${live}.1`, live].flatMap(lineNumbers);
    // Rolled files were closed because the next line (about 550 bytes) did not fit: nearly full, about 36 lines each.
    // The live file may have just been opened when the kill came, so it is not counted on.
    for (const name of ['worker.log.1', 'worker.log.2']) expect(statSync(path.join(folder, name)).size).toBeGreaterThan(MAX_BYTES - 1_000);
    expect(lineNumbers(`${live}.2`).length + lineNumbers(`${live}.1`).length).toBeGreaterThan(MAX_FILES * 30);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1)).toBe(true);
  });
});
