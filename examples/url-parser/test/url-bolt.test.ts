import { testBolt } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import { UrlBolt } from '../src/url-bolt.js';

describe('UrlBolt', () => {
  it('emits host, path and distinct query keys, sends malformed URLs to invalid, and acks every input', async () => {
    const inputs = [
      ['https://Docs.Example.com:8080/guide/intro?lang=en&lang=de&v=2#setup'],
      ['http://example.com'],
      ['example.com/no-scheme'],
      ['mailto:team@example.com'],
      ['http://'],
      ['https://exa mple.com/'],
    ];
    const result = await testBolt(UrlBolt, { inputs, inputFields: ['url'] });

    expect(result.emitted).toEqual([
      { stream: 'default', values: ['docs.example.com', '/guide/intro', 2] },
      { stream: 'default', values: ['example.com', '/', 0] },
      { stream: 'invalid', values: ['example.com/no-scheme', 'missing-scheme'] },
      { stream: 'invalid', values: ['mailto:team@example.com', 'unsupported-scheme'] },
      { stream: 'invalid', values: ['http://', 'empty-host'] },
      { stream: 'invalid', values: ['https://exa mple.com/', 'unparseable'] },
    ]);
    expect([...result.acked].sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i));
    expect(result.failed).toEqual([]);
    expect(result.errors).toEqual([]);
  });
});
