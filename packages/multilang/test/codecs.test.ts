import { Packr } from 'msgpackr';
import { seededRandom } from '@topo/runtime';
import { JsonDecoder, jsonSerializer, MsgpackDecoder, msgpackSerializer, ProtocolViolation } from '@topo/multilang';
import { describe, expect, it } from 'vitest';

/** Feeds `bytes` to a fresh decoder in pieces cut at `cuts`, returning the messages. */
function decodeJson(bytes: Buffer, cuts: number[] = [], max = 1 << 20): unknown[] {
  const out: unknown[] = [];
  const decoder = new JsonDecoder((m) => out.push(m), max);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    decoder.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

function decodeMsgpack(bytes: Buffer, cuts: number[] = [], max = 1 << 20): unknown[] {
  const out: unknown[] = [];
  const decoder = new MsgpackDecoder((m) => out.push(m), max);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    decoder.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

const everyCut = (length: number) => Array.from({ length: length - 1 }, (_, i) => [i + 1]);

describe('JSON framing as Storm reads it', () => {
  const stream = Buffer.from(
    [
      '{"command":"emit","tuple":["a"]}\nend\n',
      '{"command":"log",\r\n"msg":"CRLF lines"}\r\nend\r\n',
      '{"command":"log",\r"msg":"CR lines"}\rend\r',
      '\n\n{"command":"sync"}\nend\n', // blank lines before a message are dropped
      '{"command":"log","msg":"naïve ☃ \\u2028 end"}\nend\n',
      '[1,2]\nend\n',
    ].join(''),
  );
  const expected = [
    { command: 'emit', tuple: ['a'] },
    { command: 'log', msg: 'CRLF lines' },
    { command: 'log', msg: 'CR lines' },
    { command: 'sync' },
    { command: 'log', msg: 'naïve ☃ \u2028 end' },
    [1, 2],
  ];

  it('reads LF, CR and CRLF line ends, multi-line JSON and multi-byte characters', () => {
    expect(decodeJson(stream)).toEqual(expected);
  });

  it('gives the same messages however the stream is cut, one byte at a time included', () => {
    for (const cuts of everyCut(stream.length)) expect(decodeJson(stream, cuts)).toEqual(expected);
    expect(decodeJson(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1))).toEqual(expected);
  });

  it('reads acks in any JSON form alike (Topo adapters’ compact form takes a shortcut past JSON.parse)', () => {
    const acks = ['{"command":"ack","id":"123"}', '{"command": "ack", "id": "123"}', '{"command":"ack","id":"a\\"b"}', '{"command":"ack","id":"x"} ', '{"command":"ack","id":"7","extra":1}'];
    expect(decodeJson(Buffer.from(acks.map((a) => `${a}\nend\n`).join('')))).toEqual(acks.map((a) => JSON.parse(a)));
  });

  it('reads emits in any JSON form alike (the TypeScript adapter’s form takes a shortcut, parsing only the tuple)', () => {
    const emits = [
      '{"command":"emit","anchors":["12"],"stream":"default","tuple":[1,"two",{"three":[3]}],"need_task_ids":false}',
      '{"command":"emit","anchors":[],"stream":"s","tuple":[],"need_task_ids":false}',
      '{"command":"emit","anchors":["1","2","3"],"stream":"x","tuple":["a\\"b",",\\"need_task_ids\\":false}"],"need_task_ids":false}',
      '{"command":"emit","anchors":["a\\u0041"],"stream":"default","tuple":[1],"need_task_ids":false}',
      '{"command":"emit","anchors":["1"],"stream":"de\\"f","tuple":[1],"need_task_ids":false}',
      '{"command":"emit","anchors":["1"],"stream":"default","tuple":[1],"need_task_ids":true}',
      '{"command": "emit", "anchors": ["1"], "stream": "default", "tuple": [1]}',
      '{"command":"emit","anchors":["1"],"stream":"default","tuple":[1],"task":3,"need_task_ids":false}',
    ];
    expect(decodeJson(Buffer.from(emits.map((e) => `${e}\nend\n`).join('')))).toEqual(emits.map((e) => JSON.parse(e)));
    for (const malformed of [
      '{"command":"emit","anchors":["1",],"stream":"default","tuple":[1],"need_task_ids":false}',
      '{"command":"emit","anchors":["1"],"stream":"default","tuple":[1,],"need_task_ids":false}',
    ]) {
      expect(() => decodeJson(Buffer.from(`${malformed}\nend\n`))).toThrow(/^sent malformed JSON/);
    }
  });

  it('ends a message only at a line that is exactly "end"', () => {
    expect(() => decodeJson(Buffer.from('{"a":1}\nend \nend\n'))).toThrow(ProtocolViolation);
    expect(() => decodeJson(Buffer.from('{"a":1}\nEND\n'))).not.toThrow();
    expect(decodeJson(Buffer.from('{"a":1}\nEND\n'))).toEqual([]);
  });

  it('rejects malformed JSON and empty messages with what was sent', () => {
    expect(() => decodeJson(Buffer.from('{"command": "ack", "id": \nend\n'))).toThrow(/^sent malformed JSON \(.*\): \{"command": "ack", "id": $/);
    expect(() => decodeJson(Buffer.from('\nend\n'))).toThrow('sent an empty message');
  });

  it('rejects a message past the limit as soon as it grows past it', () => {
    const decoder = new JsonDecoder(() => {}, 1000);
    decoder.push(Buffer.from(`{"tuple":["${'x'.repeat(900)}`));
    expect(() => decoder.push(Buffer.from('x'.repeat(200)))).toThrow('sent a message larger than the limit of 1000 bytes');
    expect(() => decodeJson(Buffer.from(`["${'y'.repeat(600)}",\n"${'y'.repeat(600)}"]\nend\n`), [], 1000)).toThrow(/larger than the limit/);
  });

  it('reads a 16 MiB message sent in 1 KiB pieces (scanning each byte once: quadratic work would not finish)', () => {
    const big = JSON.stringify({ command: 'emit', tuple: ['z'.repeat(16 << 20)] });
    const bytes = Buffer.from(`${big}\nend\n`);
    const cuts = Array.from({ length: Math.floor(bytes.length / 1024) }, (_, i) => (i + 1) * 1024);
    const [message] = decodeJson(bytes, cuts, 32 << 20) as { tuple: string[] }[];
    expect(message.tuple[0]).toHaveLength(16 << 20);
  });

  it('writes compact JSON then "\\nend\\n"; a bolt tuple encodes as its JSON', () => {
    expect(jsonSerializer.encode({ command: 'next', id: '' })).toBe('{"command":"next","id":""}\nend\n');
    const tuple = jsonSerializer.encodeTuple('7', 'words', 'default', 3, ['a "quoted" word', 2]) as string;
    expect(tuple.endsWith('\nend\n')).toBe(true);
    expect(JSON.parse(tuple.slice(0, -5))).toEqual({ id: '7', comp: 'words', stream: 'default', task: 3, tuple: ['a "quoted" word', 2] });
    expect(JSON.parse((jsonSerializer.encodeTuple('8', null, '__heartbeat', -1, []) as string).slice(0, -5))).toEqual({ id: '8', comp: null, stream: '__heartbeat', task: -1, tuple: [] });
  });
});

describe('msgpack framing as pystorm writes it (values back to back)', () => {
  const packr = new Packr({ useRecords: false, variableMapSize: true });
  // Every kind of header, with payloads small enough to try every cut.
  const small: unknown[] = [
    { command: 'emit', tuple: ['short', 'x'.repeat(40), 'y'.repeat(300)], anchors: ['1', '2'] },
    { command: 'log', tuple: [0, 127, -1, -32, 200, -200, 70_000, -70_000, 5_000_000_000, -5_000_000_000, 1.5, true, false, null] },
    { tuple: [Buffer.alloc(3, 7), Buffer.alloc(300, 1), new Date(1_700_000_000_000)] },
    { command: 'sync', nested: { a: [[], {}, [[1]]], b: Array.from({ length: 20 }, (_, i) => i) } },
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    [1, 2, 3],
  ];
  const smallStream = Buffer.concat(small.map((m) => packr.pack(m)));
  // 32-bit lengths: a string, binary and an array too long for 16 bits.
  const big: unknown[] = [{ tuple: ['z'.repeat(70_000)] }, { tuple: [Buffer.alloc(70_000, 2)] }, { tuple: Array.from({ length: 70_000 }, () => 1) }];
  const bigStream = Buffer.concat(big.map((m) => packr.pack(m)));

  it('gives the same messages however the stream is cut, one byte at a time included', () => {
    const expected = decodeMsgpack(smallStream);
    expect(JSON.stringify(expected)).toBe(JSON.stringify(small));
    for (const cuts of everyCut(smallStream.length)) expect(decodeMsgpack(smallStream, cuts)).toEqual(expected);
    expect(decodeMsgpack(smallStream, Array.from({ length: smallStream.length - 1 }, (_, i) => i + 1))).toEqual(expected);
  });

  it('reads 32-bit lengths cut anywhere in their headers', () => {
    const expected = JSON.stringify(big);
    const starts = big.reduce<number[]>((acc, m) => [...acc, acc[acc.length - 1] + packr.pack(m).length], [0]);
    for (const start of starts.slice(0, -1)) {
      for (let cut = start + 1; cut < start + 12; cut++) expect(JSON.stringify(decodeMsgpack(bigStream, [cut]))).toBe(expected);
    }
  });

  it('reads a 16 MiB message sent in 1 KiB pieces (scanning each byte once)', () => {
    const bytes = Buffer.from(packr.pack({ command: 'emit', tuple: ['q'.repeat(16 << 20)] }));
    const cuts = Array.from({ length: Math.floor(bytes.length / 1024) }, (_, i) => (i + 1) * 1024);
    const [message] = decodeMsgpack(bytes, cuts, 32 << 20) as { tuple: string[] }[];
    expect(message.tuple[0]).toHaveLength(16 << 20);
  });

  it('rejects a message whose declared size passes the limit before buffering it', () => {
    const decoder = new MsgpackDecoder(() => {}, 1 << 20);
    // A map with one key whose string claims 100 MB: only its header has arrived.
    const header = Buffer.from([0x81, 0xa3, 0x6d, 0x73, 0x67, 0xdb, 0x05, 0xf5, 0xe1, 0x00]);
    expect(() => decoder.push(header)).toThrow('sent a message larger than the limit of 1048576 bytes');
    expect(() => decodeMsgpack(Buffer.from([0xdd, 0x7f, 0xff, 0xff, 0xff]))).toThrow(/larger than the limit/);
  });

  it('rejects bytes that are not msgpack', () => {
    expect(() => decodeMsgpack(Buffer.from([0x92, 0x01, 0xc1]))).toThrow('sent malformed msgpack: byte 0xc1 is not a msgpack type');
  });

  it('encodes messages and bolt tuples as maps with string keys', () => {
    expect(decodeMsgpack(msgpackSerializer.encode({ command: 'next', id: '' }) as Buffer)).toEqual([{ command: 'next', id: '' }]);
    expect(decodeMsgpack(msgpackSerializer.encodeTuple('7', 'words', 'default', 3, ['w', 2]) as Buffer)).toEqual([{ id: '7', comp: 'words', stream: 'default', task: 3, tuple: ['w', 2] }]);
  });

  it('encodes tuples from changing sources, heartbeats and unusual ids exactly', () => {
    const cases: [string, string | null, string, number, unknown[]][] = [
      ['1', 'words', 'default', 3, ['w', 2]],
      ['2', 'words', 'default', 4, [{ nested: [1.5, null, true] }]],
      ['3', 'lines', 'errors', 3, []],
      ['4', 'words', 'default', 3, ['x'.repeat(70_000)]],
      ['5', null, '__heartbeat', -1, []],
      ['id-with-more-than-thirty-one-chars!', 'words', 'default', 3, [1]],
      ['ünïcode', 'wörds', 'défault', 300, [-1, 2 ** 40]],
    ];
    for (const [id, comp, stream, task, values] of cases) {
      expect(decodeMsgpack(msgpackSerializer.encodeTuple(id, comp, stream, task, values) as Buffer)).toEqual([{ id, comp, stream, task, tuple: values }]);
    }
  });

  it('writes tuples, emits, acks and fails byte for byte as msgpackr packs the whole message, whatever the values', () => {
    const reference = new Packr({ useRecords: false, variableMapSize: true });
    const random = seededRandom(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const text = (n: number) => Array.from({ length: n }, () => pick(['a', 'Z', '7', ' ', 'é', '中', '😀', '\u0000', '"'])).join('');
    const scalar = (): unknown =>
      pick([
        () => text(Math.floor(random() * 40)),
        () => text(Math.floor(random() * 400)),
        () => Math.floor((random() - 0.5) * 2 ** pick([4, 6, 8, 9, 16, 17, 31, 32, 33, 50])),
        () => pick([0, -0, 127, 128, 255, 256, -32, -33, -128, -129, 65535, 65536, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, 0.5, NaN, Infinity]),
        () => random() * 1e6,
        () => pick([true, false, null, undefined]),
        () => [text(3), 1, [2.5]],
        () => ({ k: text(2), n: 3 }),
        () => 12345678901234567890n,
        () => new Uint8Array([1, 2, 3]),
      ])();
    // Small enough chunks are exhausted many times over, so messages also start over in fresh ones.
    for (let i = 0; i < 20_000; i++) {
      const values = Array.from({ length: pick([0, 1, 2, 3, 15, 16, 17]) }, scalar);
      const id = pick([String(i), text(5), 'x'.repeat(40)]);
      const comp = pick([null, 'words', text(8)]);
      const stream = pick(['default', '__heartbeat', text(35)]);
      const task = pick([-1, 0, 3, 300, 70_000]);
      const anchors = Array.from({ length: pick([0, 1, 1, 2, 17]) }, () => pick([String(i), text(40)]));
      const needTaskIds = random() < 0.5;
      const direct = pick([undefined, 0, 5, 300]);
      const emit: Record<string, unknown> = { command: 'emit', anchors, stream, tuple: values, need_task_ids: needTaskIds };
      if (direct !== undefined) emit.task = direct;
      const command = pick(['ack', 'fail'] as const);
      const pairs: [Buffer | string, Buffer][] = [
        [msgpackSerializer.encodeTuple(id, comp, stream, task, values), reference.pack({ id, comp, stream, task, tuple: values })],
        [msgpackSerializer.encodeEmit(anchors, stream, values, needTaskIds, direct), reference.pack(emit)],
        [msgpackSerializer.encodeFinish(command, id), reference.pack({ command, id })],
      ];
      for (const [written, packed] of pairs) {
        const mine = Buffer.from(written as Buffer);
        const theirs = Buffer.from(packed);
        if (!mine.equals(theirs)) expect({ values, anchors, mine: mine.toString('hex') }).toEqual({ values, anchors, mine: theirs.toString('hex') });
      }
    }
  });
});

