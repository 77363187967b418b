import { readFileSync } from 'node:fs';
import { completeTopology } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import { BUNDLED_URLS_FILE } from '../src/file-url-source.js';
import UrlParserPython from '../topology-python.js';
import UrlParser from '../topology.js';

const byJson = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe('topology-python.ts: UrlBolt in Python, as ShellBolt subprocesses', () => {
  it('emits exactly what the TypeScript UrlBolt emits for every URL of the bundled file, and the counts agree', async () => {
    const lines = readFileSync(BUNDLED_URLS_FILE, 'utf8').split('\n').filter((line) => line.trim() !== '');
    const mockedSources = { urlSpout: lines.map((line) => [line]) };
    const python = await completeTopology(UrlParserPython, { mockedSources });
    const typescript = await completeTopology(UrlParser, { mockedSources });
    for (const stream of ['default', 'invalid']) {
      expect(python.tuples.urlBolt[stream].length, stream).toBeGreaterThan(0);
      expect([...python.tuples.urlBolt[stream]].sort(byJson), stream).toEqual([...typescript.tuples.urlBolt[stream]].sort(byJson));
    }
    expect([...python.tuples.hostCount.default].sort(byJson)).toEqual([...typescript.tuples.hostCount.default].sort(byJson));
    expect(python.replays).toBe(0);
  });
});
