import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '../../../packages/runtime/src/testing/wait-for.js';
import { afterEach, describe, expect, it } from 'vitest';
import { runInLanes, type LaneJob } from '../src/lanes.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Jobs that each mark that they started, then wait until the test lets them all end. */
function blockedJobs(count: number): LaneJob[] {
  dir = mkdtempSync(path.join(tmpdir(), 'topo-lanes-'));
  return Array.from({ length: count }, (_, i) => ({
    name: `job ${i}`,
    cwd: path.relative(dir, dir),
    // Also ends once the folder is gone, so that a failed test leaves no job waiting.
    command: `touch ${dir}/started-${i}; while [ -d ${dir} ] && [ ! -e ${dir}/release ]; do sleep 0.05; done`,
  }));
}

const started = () => readdirSync(dir).filter((f) => f.startsWith('started-')).length;

describe('runInLanes', () => {
  it('runs `lanes` jobs at once, and one more while spare() says a core is idle', async () => {
    const jobs = blockedJobs(4);
    let spare = false;
    let asked = 0;
    const run = runInLanes(dir, jobs, { lanes: 2, spare: { lanes: 1, spare: () => (asked++, spare), everyMs: 20 }, env: {}, report: () => {} });
    await waitFor(() => started() === 2 && asked >= 2, 'two jobs started, and spare() asked twice');
    expect(started()).toBe(2);
    spare = true;
    await waitFor(() => started() === 3, 'a third job started on a spare core');
    const askedAtThree = asked;
    await waitFor(() => asked >= askedAtThree + 2, 'spare() asked twice more');
    expect(started(), 'no fourth job: one spare lane').toBe(3);
    writeFileSync(path.join(dir, 'release'), '');
    const runs = await run;
    expect(runs.map((r) => r.package).sort()).toEqual(jobs.map((j) => j.name).sort());
    expect(runs.every((r) => r.exitCode === 0)).toBe(true);
    expect(existsSync(path.join(dir, 'started-3'))).toBe(true);
  });
});
