import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpoutHarness } from '@topo/runtime';
import type { TopologyConfig } from '@topo/topology-dsl';
import { FileUrlSpout, type FilePosition } from '../src/file-url-spout.js';

const dir = mkdtempSync(path.join(tmpdir(), 'file-url-spout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const urls = Array.from({ length: 6 }, (_, n) => `https://h${n}.example/`);
const file = path.join(dir, 'urls.txt');
writeFileSync(file, `${urls.join('\n')}\n`);

function task(config: TopologyConfig = { 'urlparser.loop': false }): SpoutHarness<FileUrlSpout> {
  const harness = new SpoutHarness(new FileUrlSpout(), { 'urlparser.file': file, ...config });
  harness.spout.open();
  return harness;
}

const urlsOf = (emits: { values: unknown[] }[]) => emits.map((e) => e.values[0]);

describe('FileUrlSpout as a rewindable source', () => {
  it('re-emits exactly the lines after the position, in this task and in a restarted one', async () => {
    const first = task();
    first.spout.rewind(undefined);
    expect((await first.take(2)).map((e) => e.msgId)).toEqual([0, 1]);
    const position = first.spout.position();
    expect(position).toEqual({ line: 2, failed: [] });
    expect(urlsOf(await first.take(3))).toEqual(urls.slice(2, 5));

    first.spout.rewind(JSON.parse(JSON.stringify(position)));
    expect(urlsOf(await first.take(4))).toEqual(urls.slice(2));
    expect(await first.poll(2)).toEqual([]);

    const restarted = task();
    restarted.spout.rewind(position);
    expect(urlsOf(await restarted.take(4))).toEqual(urls.slice(2));
    expect(await restarted.poll(2)).toEqual([]);
  });

  it('emits the failed lines of its position again first (at-least-once topologies)', async () => {
    const harness = task();
    harness.spout.rewind(undefined);
    await harness.take(4);
    harness.spout.fail(1);
    harness.spout.fail(3);
    harness.spout.ack(0);
    const position = harness.spout.position() as FilePosition;
    expect(position).toEqual({ line: 4, failed: [1, 3] });
    harness.spout.rewind(position);
    expect(urlsOf(await harness.take(4))).toEqual([urls[1], urls[3], urls[4], urls[5]]);
    harness.spout.ack(1);
    harness.spout.ack(3);
    expect(harness.spout.position()).toEqual({ line: 6, failed: [] });
  });

  it('counts passes in its position when looping, so a rewind lands in the right pass', async () => {
    const harness = task({ 'urlparser.loop': true });
    harness.spout.rewind(undefined);
    await harness.take(8);
    expect(harness.spout.position()).toEqual({ line: 8, failed: [] });
    harness.spout.rewind({ line: 5, failed: [] });
    expect((await harness.take(3)).map((e) => [e.msgId, e.values[0]])).toEqual([
      [5, urls[5]],
      [6, urls[0]],
      [7, urls[1]],
    ]);
  });

  it('refuses stdin and positions it never gave, naming the component', () => {
    expect(() => task({ 'urlparser.source': 'stdin' })).toThrow('source: FileUrlSpout reads files only (it rewinds to a line number); urlparser.source is "stdin"');
    const harness = task();
    expect(() => harness.spout.rewind(3)).toThrow('source: cannot rewind to 3, which is not a position of FileUrlSpout');
  });
});
