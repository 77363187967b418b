import { Packr, Unpackr } from 'msgpackr';
import { seededRandom } from '@topo/runtime';
import { JsonDecoder, jsonSerializer, MsgpackDecoder, msgpackSerializer, ProtocolViolation, type Serializer } from '@topo/multilang';
import { describe, expect, it } from 'vitest';
import type { BoltOutputSink } from '../src/bolt-output.js';
import { FlatJsonReader } from '../src/flat-json-reader.js';
import { FlatMessageReader, NOT_FLAT } from '../src/flat-message-reader.js';

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

/** A function choosing one of its arguments' items at random. */
const picker =
  (random: () => number) =>
  <T>(xs: readonly T[]): T =>
    xs[Math.floor(random() * xs.length)];

const everyCut = (length: number) => Array.from({ length: length - 1 }, (_, i) => [i + 1]);

/**
 * Writes 20,000 random tuples, emits, acks and fails with `serializer`'s encoders and
 * hands each to `check` with the whole message as an object, for comparing a writer with
 * the reference encoder. Small enough chunks are exhausted many times over, so messages
 * also start over in fresh ones.
 */
function writeRandomHotMessages(
  serializer: Serializer,
  random: () => number,
  text: (n: number) => string,
  scalar: () => unknown,
  check: (written: string | Buffer, message: Record<string, unknown>) => void,
): void {
  const pick = picker(random);
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
    check(serializer.encodeTuple(id, comp, stream, task, values), { id, comp, stream, task, tuple: values });
    check(serializer.encodeEmit(anchors, stream, values, needTaskIds, direct), emit);
    check(serializer.encodeFinish(command, id), { command, id });
  }
}

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

  it('reads fast-form acks and emits where they lie in the chunk, with any line ends and however the stream is cut, as JSON.parse would', () => {
    const random = seededRandom(31);
    const pick = picker(random);
    const forms = (i: number) => [
      `{"command":"ack","id":"${i}"}`,
      `{"command":"emit","anchors":["${i}"],"stream":"default","tuple":[${i},"w${i}"],"need_task_ids":false}`,
      `{"command":"emit","anchors":["${i}","x]"],"stream":"default","tuple":[${i}],"need_task_ids":false}`,
      `{"command":"emit","anchors":[],"stream":"other","tuple":[],"need_task_ids":false}`,
      `{"command":"emit","anchors":["${i}"],"tuple":[1],"stream":"default","need_task_ids":false}`,
      `{"command": "ack", "id": "${i}"}`,
      `{"command":"fail","id":"${i}"}`,
    ];
    const messages: string[] = [];
    let text = '';
    for (let i = 0; i < 2_000; i++) {
      const message = pick(forms(i));
      messages.push(message);
      text += pick(['', '', '\n', '\r\n']) + message + pick(['\n', '\r', '\r\n']) + 'end' + pick(['\n', '\r', '\r\n']);
    }
    const bytes = Buffer.from(text);
    const expected = JSON.stringify(messages.map((m) => JSON.parse(m)));
    for (const cuts of [[], Array.from({ length: 300 }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b)]) {
      expect(JSON.stringify(decodeJson(bytes, cuts))).toBe(expected);
    }
    // A line in the fast form is a message of its own only when it starts one.
    expect(() => decodeJson(Buffer.from('{\n{"command":"ack","id":"1"}\nend\n'))).toThrow(/^sent malformed JSON/);
    expect(decodeJson(Buffer.from(' \n{"command":"ack","id":"1"}\nend\n'))).toEqual([{ command: 'ack', id: '1' }]);
  });

  it('reads every message as JSON.parse does, key order included, whether the flat reader takes it or not, with any line ends and however the stream is cut', () => {
    const random = seededRandom(37);
    const pick = picker(random);
    const gap = () => pick(['', '', '', ' ', '\t', '  ']);
    const numbers = ['0', '-0', '7', '-12', '42', '123456789012345', '-123456789012345', '1234567890123456', '9007199254740993', '1.5', '-0.0', '1e5', '2E-3', '10.25e+2'];
    const strings = ['', 'a', 'default', 'emit', 'ack', 'x'.repeat(17), 'with "quote"', 'back\\slash', 'tab\t', 'naïve', '☃', '\u2028', '~ !#$%&()*+,-./:;<=>?@[]^_`{|}'];
    const scalar = (): string => pick([() => pick(numbers), () => JSON.stringify(pick(strings)), () => pick(['true', 'false', 'null']), () => `{${gap()}"n"${gap()}:${gap()}1}`, () => `[${gap()}[1]${gap()}]`])();
    const value = (): string => (random() < 0.3 ? `[${gap()}${Array.from({ length: pick([0, 1, 2, 16]) }, scalar).join(`${gap()},${gap()}`)}${gap()}]` : scalar());
    const keys = ['command', 'id', 'anchors', 'stream', 'tuple', 'need_task_ids', 'task', 'comp', 'msg', 'x', '1', '', '__proto__', 'ключ', 'a"b'];
    const object = (): string => {
      const entries = Array.from({ length: pick([0, 1, 2, 5, 15, 16]) }, () => `${JSON.stringify(pick(keys))}${gap()}:${gap()}${value()}`);
      return `${gap()}{${gap()}${entries.join(`${gap()},${gap()}`)}${gap()}}${gap()}`;
    };
    const values = (): unknown[] => Array.from({ length: pick([0, 1, 3]) }, () => pick([1, -5, 2 ** 40, 0.5, 'w', 'é', 'q"', true, null, { k: 1 }, [2]]));
    const topo = (i: number): string =>
      pick<() => string | Buffer>([
        () => jsonSerializer.encodeFinish(pick(['ack', 'fail']), pick([String(i), 'a"b', 'é'])),
        () => jsonSerializer.encodeEmit(pick([[], [String(i)], [String(i), 'x]']]), pick(['default', 'other', 's"']), values(), random() < 0.5, pick([undefined, 3])),
        () => jsonSerializer.encodeTuple(String(i), pick(['counter', null, 'c"']), pick(['default', '__heartbeat']), pick([2, -1]), values()),
      ])()
        .toString()
        .slice(0, -'\nend\n'.length);
    const messages: string[] = [];
    let text = '';
    for (let i = 0; i < 3_000; i++) {
      const message = random() < 0.4 ? topo(i) : random() < 0.9 ? object() : pick(['[1, 2]', '"text"', '-3', 'null']);
      messages.push(message);
      text += pick(['', '', '\n', '\r\n']) + message + pick(['\n', '\r', '\r\n']) + 'end' + pick(['\n', '\r', '\r\n']);
    }
    const bytes = Buffer.from(text);
    const expected = messages.map((m) => JSON.parse(m) as unknown);
    const withKeys = (v: unknown): unknown => (Array.isArray(v) ? v.map(withKeys) : v !== null && typeof v === 'object' ? Object.entries(v).map(([k, x]) => [k, withKeys(x)]) : v);
    for (const cuts of [[], Array.from({ length: 300 }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b)]) {
      const got = decodeJson(bytes, cuts);
      expect(withKeys(got)).toEqual(withKeys(expected));
      // A "__proto__" key is an own property in both, never the object's prototype.
      got.forEach((m, i) => m !== null && typeof m === 'object' && expect(Object.getPrototypeOf(m)).toBe(Object.getPrototypeOf(expected[i])));
    }
  });

  it('takes the flat path for what Topo, Storm’s adapters and pystorm send, and leaves everything else to JSON.parse', () => {
    const reader = new FlatJsonReader();
    const read = (line: string) => {
      const bytes = Buffer.from(`${line}\nend\n`);
      return reader.read(bytes, 0, bytes.length - '\nend\n'.length);
    };
    const line = (frame: string | Buffer) => frame.toString().slice(0, -'\nend\n'.length);
    const flat = [
      line(jsonSerializer.encodeFinish('ack', '123')),
      line(jsonSerializer.encodeFinish('fail', '9')),
      line(jsonSerializer.encodeEmit(['9', '10'], 'default', ['http://example.com/a?b=1', 42, -7, true, null], false, undefined)),
      line(jsonSerializer.encodeEmit([], 'words', ['w'], true, undefined)),
      line(jsonSerializer.encodeEmit(['1'], 'words', ['w'], false, 3)),
      line(jsonSerializer.encodeTuple('77', 'urlSpout', 'default', 4, ['x'.repeat(300)])),
      '{"command": "emit", "anchors": ["5"], "tuple": [1, "a"], "stream": "default"}',
      '{"command": "ack", "id": "-5461787624553224307"}',
      '{"command":"sync"}',
      '{"command":"log","msg":"hello","level":2}',
      ' {} ',
    ];
    for (const text of flat) {
      const message = read(text);
      expect(message).not.toBe(NOT_FLAT);
      expect(Object.entries(message)).toEqual(Object.entries(JSON.parse(text)));
    }
    const general = [
      '{"tuple":[1.5]}',
      '{"tuple":[1e3]}',
      '{"n":1234567890123456}',
      '{"n":-}',
      '{"n":01}',
      '{"msg":"a\\"b"}',
      '{"msg":"\\u0041"}',
      '{"msg":"é"}',
      '{"tuple":[{"k":1}]}',
      '{"tuple":[[1]]}',
      '{"__proto__":1}',
      JSON.stringify(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))),
      '{"a":1} x',
      '{"a":1,}',
      '{"a" 1}',
      '{"a":tru}',
      '[1]',
      '',
    ];
    for (const text of general) expect(read(text), text).toBe(NOT_FLAT);
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
    const tuple = jsonSerializer.encodeTuple('7', 'words', 'default', 3, ['a "quoted" word', 2]).toString();
    expect(tuple.endsWith('\nend\n')).toBe(true);
    expect(JSON.parse(tuple.slice(0, -5))).toEqual({ id: '7', comp: 'words', stream: 'default', task: 3, tuple: ['a "quoted" word', 2] });
    expect(JSON.parse(jsonSerializer.encodeTuple('8', null, '__heartbeat', -1, []).toString().slice(0, -5))).toEqual({ id: '8', comp: null, stream: '__heartbeat', task: -1, tuple: [] });
  });

  it('writes tuples, emits, acks and fails byte for byte as JSON.stringify writes the whole message, whatever the values', () => {
    const random = seededRandom(13);
    const pick = picker(random);
    const text = (n: number) => Array.from({ length: n }, () => pick(['a', 'Z', '7', ' ', '~', 'é', '中', '😀', '\u0000', '\u001f', '\u007f', '"', '\\', '\n', '\u2028'])).join('');
    const plain = (n: number) => Array.from({ length: n }, () => pick(['a', 'Z', '7', ' ', '~', '/', '{'])).join('');
    const scalar = (): unknown =>
      pick([
        () => text(Math.floor(random() * 10)),
        () => plain(pick([0, 1, 8, 63, 64, 65, 300])),
        () => Math.floor((random() - 0.5) * 2 ** pick([4, 9, 17, 33, 52, 53, 54, 60])),
        () => pick([0, -0, 9, 10, 99, 100, -1, -10, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 999_999_999, 1_000_000_000, 9_999_999_999, 10_000_000_000, 99_999_999_999, 100_000_000_000, 999_999_999_999_999, 1e15, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 0.5, -1.25e-7, 1e21, NaN, Infinity, -Infinity]),
        () => random() * 1e6,
        () => pick([true, false, null, undefined]),
        () => [plain(3), 1, [2.5]],
        () => ({ k: text(2), n: 3 }),
        () => ({ toJSON: (key: string) => `key ${key}` }),
        () => new Date(Math.floor(random() * 2 ** 41)),
      ])();
    writeRandomHotMessages(jsonSerializer, random, text, scalar, (written, message) => expect(written.toString()).toBe(`${JSON.stringify(message)}\nend\n`));
    expect(() => jsonSerializer.encodeTuple('1', 'c', 'default', 1, [10n])).toThrow(TypeError);
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

  it('reads every message as msgpackr does, key order included, whether it takes the flat path or not, however the stream is cut', () => {
    const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
    const random = seededRandom(23);
    const pick = picker(random);
    const text = (n: number) => Array.from({ length: n }, () => pick(['a', 'Z', '7', ' ', 'é', '\u0000', '"', 'x', 'y'])).join('');
    const ascii = (n: number) => Array.from({ length: n }, () => pick(['a', 'Z', '7', ' ', '\u0000', '"', '~'])).join('');
    const scalar = (): unknown =>
      pick([
        () => ascii(pick([0, 1, 5, 8, 9, 16, 17, 31, 32, 200, 255, 256])),
        () => text(Math.floor(random() * 20)),
        () => pick([0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, 0.5, -1e300, NaN, Infinity]),
        () => random() * 1e6,
        () => pick([true, false, null]),
        () => ({ nested: ascii(2) }),
        () => new Uint8Array([1, 2]),
      ])();
    const keys = ['command', 'id', 'anchors', 'stream', 'tuple', 'need_task_ids', 'task', 'comp', 'msg', 'x', 'k'.repeat(31), 'ключ', '__proto__', ''];
    const messages: unknown[] = [];
    for (let i = 0; i < 3_000; i++) {
      const message: Record<string, unknown> = {};
      for (let k = pick([0, 1, 2, 5, 15, 16]); k > 0; k--) {
        const key = pick(keys);
        const value = random() < 0.3 ? Array.from({ length: pick([0, 1, 3, 15, 16]) }, scalar) : scalar();
        if (key === '__proto__') Object.defineProperty(message, key, { value, enumerable: true, configurable: true, writable: true });
        else message[key] = value;
      }
      messages.push(pick([message, message, message, [message], ascii(3), 7]));
    }
    const stream = Buffer.concat(messages.map((m) => new Packr({ useRecords: false, variableMapSize: true }).pack(m)));
    // Float32 and 64-bit integers are not what msgpackr writes for these values: added by hand.
    const float32 = Buffer.from([0x81, 0xa1, 0x66, 0xca, 0x3f, 0xc0, 0x00, 0x00]);
    const int64 = Buffer.from([0x81, 0xa1, 0x69, 0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]);
    const whole = Buffer.concat([stream, float32, int64]);
    // The start of a message whose rest has not arrived: held, not returned.
    const bytes = Buffer.concat([whole, (msgpackSerializer.encodeTuple('1', 'c', 'default', 1, ['x'.repeat(100)]) as Buffer).subarray(0, 50)]);
    const expected = unpackr.unpackMultiple(whole)!;
    const withKeys = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(withKeys) : value !== null && typeof value === 'object' && !(value instanceof Uint8Array) ? Object.entries(value).map(([k, v]) => [k, withKeys(v)]) : value;
    for (const cuts of [[], [1, 2, 3, 100, 101], Array.from({ length: 200 }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b)]) {
      const got = decodeMsgpack(bytes, cuts, 1 << 26);
      expect(got.length).toBe(expected.length);
      expect(withKeys(got)).toEqual(withKeys(expected));
      // A "__proto__" key is an own property in both, never the object's prototype.
      got.forEach((m, i) => m !== null && typeof m === 'object' && expect(Object.getPrototypeOf(m)).toBe(Object.getPrototypeOf(expected[i])));
    }
  });

  it('takes the flat path for what adapters send, and leaves everything else to msgpackr', () => {
    const packr = new Packr({ useRecords: false, variableMapSize: true });
    const reader = new FlatMessageReader();
    const read = (bytes: Buffer | Uint8Array, limit = bytes.length) => reader.read(Buffer.from(bytes), 0, limit);
    const flat = [
      msgpackSerializer.encodeFinish('ack', '123'),
      msgpackSerializer.encodeEmit(['9', '10'], 'default', ['http://example.com/a/b', 42, -7, 1.25, true, null], false, undefined),
      msgpackSerializer.encodeEmit([], 'words', ['w'], true, 3),
      msgpackSerializer.encodeTuple('77', 'urlSpout', 'default', 4, ['x'.repeat(255)]),
      packr.pack({ command: 'emit', tuple: [1], anchors: ['5'], stream: 'default', need_task_ids: true }),
      packr.pack({ command: 'sync' }),
      packr.pack({ command: 'log', msg: 'hello', level: 2 }),
      packr.pack({}),
    ];
    for (const bytes of flat) {
      const message = read(bytes as Buffer);
      expect(message).not.toBe(NOT_FLAT);
      expect(message).toEqual(new Unpackr({ useRecords: false, mapsAsObjects: true }).unpack(bytes as Buffer));
      expect(reader.end).toBe(bytes.length);
    }
    const general = [
      packr.pack({ tuple: [{ nested: 1 }] }),
      packr.pack({ tuple: [[1]] }),
      packr.pack({ msg: 'é' }),
      packr.pack({ msg: 'x'.repeat(256) }),
      packr.pack({ tuple: Array.from({ length: 16 }, () => 1) }),
      packr.pack(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))),
      packr.pack({ ['k'.repeat(32)]: 1 }),
      packr.pack({ bin: new Uint8Array([1]) }),
      packr.pack([1]),
      Buffer.from([0x81, 0xa1, 0x66, 0xca, 0x3f, 0xc0, 0x00, 0x00]),
      Buffer.from([0x81, 0xa9, ...Buffer.from('__proto__'), 0x01]),
    ];
    for (const bytes of general) expect(read(bytes)).toBe(NOT_FLAT);
    const ack = msgpackSerializer.encodeFinish('ack', '123') as Buffer;
    // A message is flat only if it ends within the limit: the rest of a cut message is still to come.
    for (let limit = 1; limit < ack.length; limit++) expect(read(ack, limit)).toBe(NOT_FLAT);
  });

  it('writes tuples, emits, acks and fails byte for byte as msgpackr packs the whole message, whatever the values', () => {
    const reference = new Packr({ useRecords: false, variableMapSize: true });
    const random = seededRandom(11);
    const pick = picker(random);
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
    writeRandomHotMessages(msgpackSerializer, random, text, scalar, (written, message) => {
      const mine = Buffer.from(written as Buffer);
      const theirs = Buffer.from(reference.pack(message));
      if (!mine.equals(theirs)) expect({ message, mine: mine.toString('hex') }).toEqual({ message, mine: theirs.toString('hex') });
    });
  });

  describe('frame runs (many hot messages as one frame)', () => {
    for (const serializer of [jsonSerializer, msgpackSerializer]) {
      it(`${serializer.name}: give the bytes of each tuple, emit, ack and fail encoded alone, back to back, across chunk boundaries and takes, skipping one that cannot be encoded`, () => {
        const run = serializer.createFrameRun();
        const random = seededRandom(5);
        const pick = picker(random);
        const bytes = (frame: string | Buffer | undefined) => (frame === undefined ? Buffer.alloc(0) : Buffer.from(frame as Buffer));
        const expected: Buffer[] = [];
        const got: Buffer[] = [];
        expect(run.take()).toBeUndefined();
        // 3,000 tuples of up to 2 KiB span many 64 KiB chunks; some are too big for one.
        for (let i = 0; i < 3_000; i++) {
          const values = i % 500 === 7 ? ['z'.repeat(100_000)] : ['x'.repeat(Math.floor(random() * 2048)), i, [i, { i }]];
          const kind = i % 4;
          if (kind === 0 || kind === 3) {
            // The engine's ids go in as numbers, written as their decimal text; large ones too.
            const id = pick([String(i), i, i * 2 ** 40, Number.MAX_SAFE_INTEGER]);
            run.addTuple(id, 'source', 'default', 4, values);
            expected.push(bytes(serializer.encodeTuple(String(id), 'source', 'default', 4, values)));
          } else if (kind === 1) {
            const direct = i % 8 === 1 ? 3 : undefined;
            run.addEmit([String(i), 'a'], 'words', values, i % 3 === 0, direct);
            expected.push(bytes(serializer.encodeEmit([String(i), 'a'], 'words', values, i % 3 === 0, direct)));
          } else {
            const command = i % 8 === 2 ? 'fail' : 'ack';
            run.addFinish(command, String(i));
            expected.push(bytes(serializer.encodeFinish(command, String(i))));
          }
          if (i % 10 === 0) {
            expect(() => run.addTuple('x', 'source', 'default', 4, [Symbol('no wire form'), 10n ** 30n])).toThrow();
            expect(() => run.addEmit(['x'], 'default', [Symbol('no wire form'), 10n ** 30n], false, undefined)).toThrow();
          }
          if (random() < 0.05) got.push(bytes(run.take()));
        }
        got.push(bytes(run.take()));
        expect(run.take()).toBeUndefined();
        expect(Buffer.concat(got).equals(Buffer.concat(expected))).toBe(true);
      });
    }
  });
});

describe("a bolt's hot commands, read without message objects", () => {
  /** Feeds `bytes` in pieces cut at `cuts`; hot commands come back as the messages they stand for, and are counted. */
  function decodeWith(serializer: Serializer, bytes: Buffer, cuts: number[], hot: boolean): { messages: unknown[]; hotCount: number } {
    const messages: unknown[] = [];
    let hotCount = 0;
    const sink: BoltOutputSink = {
      onFinish(failed, id) {
        hotCount++;
        messages.push({ command: failed ? 'fail' : 'ack', id: String(id) });
      },
      onEmit(anchors, anchorCount, stream, tuple, needTaskIds) {
        hotCount++;
        messages.push({ command: 'emit', anchors: anchors.slice(0, anchorCount).map(String), stream, tuple, need_task_ids: needTaskIds });
      },
    };
    const decoder = serializer.createDecoder((m) => messages.push(m), 1 << 20, hot ? sink : undefined);
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      decoder.push(bytes.subarray(from, cut));
      from = cut;
    }
    return { messages, hotCount };
  }

  it.each([jsonSerializer, msgpackSerializer])('$name: gives what reading them as messages gives, in the same order among other messages, however the stream is cut', (serializer) => {
    const random = seededRandom(41);
    const pick = picker(random);
    const ids = (i: number) => pick([String(i), String(i * 7919), '0', '01', '-1', 'x7', '1'.repeat(15), String(2 ** 53), ''].filter(Boolean));
    const frames: Buffer[] = [];
    const add = (frame: string | Buffer) => frames.push(Buffer.from(frame));
    for (let i = 0; i < 3000; i++) {
      const values = Array.from({ length: pick([0, 1, 3]) }, () => pick([i, -i, 'w', 'ünï', true, null, 2 ** 40]));
      const anchors = Array.from({ length: pick([0, 1, 1, 2, 16]) }, () => ids(i));
      switch (pick(['finish', 'finish', 'emit', 'emit', 'other'])) {
        case 'finish':
          add(serializer.encodeFinish(pick(['ack', 'fail']), ids(i)));
          break;
        case 'emit':
          add(serializer.encodeEmit(anchors, pick(['default', 'other', 'x'.repeat(40)]), values, random() < 0.5, pick([undefined, undefined, 4])));
          break;
        default:
          add(serializer.encode(pick([{ command: 'log', msg: `m${i}`, level: 2 }, { command: 'sync' }, { id: String(i), command: 'ack' }, { command: 'emit', tuple: values, anchors }, [i]])));
      }
    }
    const bytes = Buffer.concat(frames);
    const cuts = Array.from({ length: 200 }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b);
    const asMessages = decodeWith(serializer, bytes, cuts, false);
    const viaSink = decodeWith(serializer, bytes, cuts, true);
    expect(asMessages.messages).toHaveLength(3000);
    expect(viaSink.messages).toEqual(asMessages.messages);
    // Both ways were taken: most commands are hot, the rest (odd ids, direct emits, other forms) are not.
    expect(viaSink.hotCount).toBeGreaterThan(500);
    expect(viaSink.hotCount).toBeLessThan(2500);
  });
});
