import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hashValue } from '@topo/runtime';

/** Builds fresh, equal instances every call, so equality is by value, never by identity. */
const samples = (): [string, unknown][] => [
  ['empty string', ''],
  ['string', 'example.com'],
  ['unicode string', 'naïve – ünïcödé ✓'],
  ['zero', 0],
  ['negative zero', -0],
  ['int', 42],
  ['negative int', -7],
  ['int32 max', 2147483647],
  ['beyond int32', 2 ** 40 + 3],
  ['float', 3.25],
  ['NaN', Number.NaN],
  ['true', true],
  ['false', false],
  ['null', null],
  ['undefined', undefined],
  ['bigint', 12345678901234567890n],
  ['array', [1, 'two', { three: 3 }]],
  ['object', { host: 'example.com', port: 443, path: ['a', 'b'] }],
  ['object with a bigint', { id: 9007199254740993n }],
];

describe('hashValue', () => {
  it('hashes equal values equally, whatever their type', () => {
    const first = samples();
    const second = samples();
    for (let i = 0; i < first.length; i++) {
      const [name, value] = first[i];
      const h = hashValue(value);
      expect(Number.isInteger(h), name).toBe(true);
      expect(h, name).toBe(hashValue(second[i][1]));
    }
    expect(hashValue(-0)).toBe(hashValue(0));
  });

  it('tells apart values that differ only in type or by a little', () => {
    const pairs: [unknown, unknown][] = [
      [1, '1'],
      [true, 'true'],
      [null, 'null'],
      [0, false],
      ['ab', 'ba'],
      [[1, 2], [2, 1]],
      [{ a: 1 }, { a: 2 }],
      [1, 2],
      [2 ** 40, 2 ** 40 + 1],
    ];
    for (const [a, b] of pairs) expect(hashValue(a), `${String(a)} vs ${String(b)}`).not.toBe(hashValue(b));
  });

  it('hashes objects and arrays that hold bigints', () => {
    expect(hashValue({ id: 12n, tags: [1n] })).toBe(hashValue({ id: 12n, tags: [1n] }));
    expect(hashValue({ id: 12n })).not.toBe(hashValue({ id: 13n }));
    expect(hashValue([2n ** 70n])).toBe(hashValue([2n ** 70n]));
  });

  it('spreads consecutive integers and similar strings over tasks', () => {
    for (const key of [(i: number) => i, (i: number) => `user-${i}`]) {
      const buckets = new Array(8).fill(0);
      for (let i = 0; i < 8000; i++) buckets[(hashValue(key(i)) >>> 0) % 8]++;
      for (const count of buckets) expect(count).toBeGreaterThan(800);
    }
  });

  it('is the same in another process, so every worker routes a key alike', () => {
    // The other process loads the built package, as a worker does.
    const entry = createRequire(import.meta.url).resolve('@topo/runtime');
    const script = `
      const { hashValue } = await import(${JSON.stringify(entry)});
      const samples = (${samples.toString()})();
      process.stdout.write(JSON.stringify(samples.map(([, v]) => hashValue(v))));
    `;
    const remote = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as number[];
    expect(remote).toEqual(samples().map(([, v]) => hashValue(v)));
  });
});

describe('hashValue on structured values', () => {
  it('hashes equal objects alike whatever their key order, and tells Maps and Sets by content', () => {
    expect(hashValue({ a: 1, b: { c: 2, d: 3 } })).toBe(hashValue({ b: { d: 3, c: 2 }, a: 1 }));
    expect(hashValue(new Map([['x', 1], ['y', 2]]))).toBe(hashValue(new Map([['y', 2], ['x', 1]])));
    expect(hashValue(new Map([['x', 1]]))).not.toBe(hashValue(new Map([['x', 2]])));
    expect(hashValue(new Set([1, 2, 3]))).toBe(hashValue(new Set([3, 2, 1])));
    expect(hashValue(new Set([1, 2]))).not.toBe(hashValue(new Set([1, 3])));
  });
});
