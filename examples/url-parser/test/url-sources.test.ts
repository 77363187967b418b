import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { scaledMs } from '@topo/runtime';
import { TopoError } from '@topo/topology-dsl';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_URLS_FILE, FileUrlSource } from '../src/file-url-source.js';
import { StdinUrlSource } from '../src/stdin-url-source.js';
import { urlSourceFromConfig, type UrlSource } from '../src/url-source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'url-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const take = (source: UrlSource, n: number): (string | undefined)[] => Array.from({ length: n }, () => source.next());

/** Everything a stream source yields until it ends, polling as the spout does. */
async function drain(source: UrlSource): Promise<string[]> {
  const lines: string[] = [];
  const deadline = performance.now() + scaledMs(10_000);
  while (!source.ended) {
    if (performance.now() > deadline) throw new Error(`source did not end; ${lines.length} lines read`);
    const line = source.next();
    if (line !== undefined) lines.push(line);
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return lines;
}

describe('FileUrlSource', () => {
  const file = fileWith('three.txt', 'https://a.example/\n\nhttps://b.example/\r\n  \nhttps://c.example/\n');
  const lines = ['https://a.example/', 'https://b.example/', 'https://c.example/'];

  it('starts over at the end of the file when looping, skipping blank lines', () => {
    const source = new FileUrlSource(file, { loop: true });
    expect(take(source, 8)).toEqual([...lines, ...lines, ...lines.slice(0, 2)]);
    expect(source.ended).toBe(false);
  });

  it('ends after one pass without looping', () => {
    const source = new FileUrlSource(file, { loop: false });
    expect(take(source, 3)).toEqual(lines);
    expect(source.ended).toBe(true);
    expect(source.next()).toBeUndefined();
  });

  it('reads only its share of the lines when it is one of several tasks', () => {
    const shares = [0, 1].map((index) => new FileUrlSource(file, { loop: false, share: { index, of: 2 } }));
    expect([take(shares[0], 2), take(shares[1], 1)]).toEqual([[lines[0], lines[2]], [lines[1]]]);
    expect(shares.every((source) => source.ended)).toBe(true);
  });

  it('names the file it cannot use', () => {
    const missing = path.join(dir, 'missing.txt');
    expect(() => new FileUrlSource(missing, { loop: true })).toThrow(missing);
    const blank = fileWith('blank.txt', '\n \n');
    expect(() => new FileUrlSource(blank, { loop: true })).toThrow(`URL file ${blank} has no URLs`);
  });
});

describe('StdinUrlSource', () => {
  it('yields the non-blank lines of a stream, across chunk boundaries, then ends', async () => {
    const source = new StdinUrlSource(Readable.from(['https://a.example/x\nhttps://b.exa', 'mple/y\n\n', 'https://c.example/z']));
    expect(await drain(source)).toEqual(['https://a.example/x', 'https://b.example/y', 'https://c.example/z']);
  });

  it('delivers a stream much longer than its read-ahead buffer in order', async () => {
    const urls = Array.from({ length: 5000 }, (_, i) => `https://example.com/${i}`);
    const source = new StdinUrlSource(Readable.from(urls.map((url) => `${url}\n`)));
    expect(await drain(source)).toEqual(urls);
  });
});

describe('urlSourceFromConfig', () => {
  it('reads the bundled file, looping, when nothing is configured', () => {
    const source = urlSourceFromConfig({}, 'urlSpout');
    expect(source).toBeInstanceOf(FileUrlSource);
    const file = source as FileUrlSource;
    expect(file.file).toBe(BUNDLED_URLS_FILE);
    expect(take(file, file.lines.length + 1).at(-1)).toBe(file.lines[0]);
  });

  it('refuses stdin to a spout with several tasks, which would each read every line', () => {
    expect(() => urlSourceFromConfig({ 'urlparser.source': 'stdin' }, 'urlSpout', { index: 0, of: 2 })).toThrow(
      'urlSpout: urlparser.source "stdin" needs a spout with one task, this one has 2',
    );
  });

  it('rejects bad values naming the component and config key', () => {
    const problems: [Record<string, string | number>, string][] = [
      [{ 'urlparser.source': 'kafka' }, 'urlparser.source'],
      [{ 'urlparser.file': 42 }, 'urlparser.file'],
      [{ 'urlparser.loop': 'yes' }, 'urlparser.loop'],
    ];
    for (const [config, configKey] of problems) {
      let thrown: unknown;
      try {
        urlSourceFromConfig(config, 'urlSpout');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TopoError);
      expect((thrown as TopoError).context).toMatchObject({ component: 'urlSpout', configKey });
      expect((thrown as TopoError).message).toContain(`urlSpout: ${configKey}`);
    }
  });
});
