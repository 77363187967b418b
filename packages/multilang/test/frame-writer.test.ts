import { describe, expect, it } from 'vitest';
import { jsonSerializer, msgpackSerializer } from '@topo/multilang';
import { FrameWriter } from '../src/frame-writer.js';

function collect(): { writes: Buffer[]; writer: FrameWriter } {
  const writes: Buffer[] = [];
  return { writes, writer: new FrameWriter((data) => (writes.push(Buffer.from(data as Buffer)), true)) };
}

describe('FrameWriter', () => {
  it('sends the frames of one turn in one write, in order, whether or not they share an allocation', () => {
    const { writes, writer } = collect();
    const frames = [
      msgpackSerializer.encodeTuple('1', 'a', 'default', 1, ['x']) as Buffer,
      msgpackSerializer.encodeTuple('2', 'a', 'default', 1, ['y']) as Buffer,
      Buffer.from([0x90]),
      msgpackSerializer.encodeTuple('3', 'a', 'default', 1, [3]) as Buffer,
    ];
    for (const frame of frames) writer.write(frame);
    writer.flush();
    expect(writes).toEqual([Buffer.concat(frames)]);
  });

  it('joins frames that lie back to back without copying them', () => {
    const writes: Buffer[] = [];
    const writer = new FrameWriter((data) => (writes.push(data as Buffer), true));
    let a: Buffer;
    let b: Buffer;
    // The writer starts a new chunk when one is full: the second try lies in one chunk.
    do {
      a = msgpackSerializer.encodeTuple('1', 'a', 'default', 1, ['x']) as Buffer;
      b = msgpackSerializer.encodeTuple('2', 'a', 'default', 1, ['y']) as Buffer;
    } while (b.buffer !== a.buffer);
    writer.write(a);
    writer.write(b);
    writer.flush();
    expect(writes[0].buffer).toBe(a.buffer);
    expect(Buffer.from(writes[0])).toEqual(Buffer.concat([a, b]));
  });

  it('sends what was appended to its run in order with the frames written around it', () => {
    const { writes, writer } = collect();
    const run = msgpackSerializer.createFrameRun();
    writer.attach(run);
    writer.write(msgpackSerializer.encode({ pid: 1 }) as Buffer);
    run.addFinish('ack', '1');
    run.addEmit(['2'], 'default', ['x'], false, undefined);
    writer.appended();
    writer.write(msgpackSerializer.encode({ command: 'sync' }) as Buffer);
    run.addFinish('fail', '3');
    writer.appended();
    writer.flush();
    const expected = [
      msgpackSerializer.encode({ pid: 1 }),
      msgpackSerializer.encodeFinish('ack', '1'),
      msgpackSerializer.encodeEmit(['2'], 'default', ['x'], false, undefined),
      msgpackSerializer.encode({ command: 'sync' }),
      msgpackSerializer.encodeFinish('fail', '3'),
    ] as Buffer[];
    expect(Buffer.concat(writes)).toEqual(Buffer.concat(expected.map((b) => Buffer.from(b))));
  });

  it('keeps the order of JSON frames when text (pid, sync, task ids) and a run (bytes) alternate', () => {
    const { writes, writer } = collect();
    const run = jsonSerializer.createFrameRun();
    writer.attach(run);
    writer.write(jsonSerializer.encode({ pid: 1 }));
    run.addFinish('ack', '1');
    writer.appended();
    writer.write(jsonSerializer.encode([4, 5]));
    writer.write(jsonSerializer.encode({ command: 'sync' }));
    run.addEmit(['2'], 'default', ['x'], true, undefined);
    writer.appended();
    writer.flush();
    writer.write(jsonSerializer.encode({ command: 'sync' }));
    writer.flush();
    const expected = [
      jsonSerializer.encode({ pid: 1 }),
      jsonSerializer.encodeFinish('ack', '1'),
      jsonSerializer.encode([4, 5]),
      jsonSerializer.encode({ command: 'sync' }),
      jsonSerializer.encodeEmit(['2'], 'default', ['x'], true, undefined),
      jsonSerializer.encode({ command: 'sync' }),
    ];
    expect(Buffer.concat(writes).toString()).toBe(expected.join(''));
    expect(writes).toHaveLength(2);
  });

  it('flushes what was appended to its run in a microtask, as it does frames', async () => {
    const { writes, writer } = collect();
    const run = msgpackSerializer.createFrameRun();
    writer.attach(run);
    run.addFinish('ack', '9');
    writer.appended();
    expect(writes).toEqual([]);
    await Promise.resolve();
    expect(writes).toEqual([Buffer.from(msgpackSerializer.encodeFinish('ack', '9') as Buffer)]);
  });
});
