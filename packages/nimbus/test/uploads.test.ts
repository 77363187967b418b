import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedisServer, waitFor, silentLogger } from '@topo/runtime';
import { Nimbus, NimbusClient, prepareSubmission } from '@topo/nimbus';

const tiny = fileURLToPath(new URL('./fixtures/tiny.ts', import.meta.url));
const LIMIT = 256 * 1024;

let redisServer: TestRedisServer;
let nimbus: Nimbus;

beforeAll(async () => {
  redisServer = await startTestRedis();
  nimbus = await Nimbus.start({
    redisUrl: redisServer.url,
    port: 0,
    config: { 'nimbus.upload.max.bytes': LIMIT, 'nimbus.upload.max.concurrent': 1, 'nimbus.monitor.freq.secs': 0.2 },
    logger: silentLogger(),
  });
});

afterAll(async () => {
  await nimbus?.stop();
  await redisServer?.stop();
});

/** An upload whose body the test writes itself, piece by piece, with whatever headers it declares. */
function upload(headers: Record<string, string | number>): { req: ClientRequest; answer: Promise<{ status: number; headers: IncomingMessage['headers']; body: { error: string } }> } {
  const { port } = new URL(nimbus.url);
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/uploadTopology', headers: { 'content-type': 'application/json', ...headers } });
  // The server may answer and close while the test is still writing: that is the point.
  req.on('error', () => {});
  const answer = new Promise<{ status: number; headers: IncomingMessage['headers']; body: { error: string } }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as { error: string } }));
      res.on('error', reject);
    });
  });
  return { req, answer };
}

async function submissionJson(name: string): Promise<string> {
  const { submission, problems } = await prepareSubmission(tiny, { name });
  expect(problems).toEqual([]);
  return JSON.stringify(submission);
}

describe('uploads', () => {
  it('are refused with 413 on a declared oversized length at once, before any of the body is sent', async () => {
    const { req, answer } = upload({ 'content-length': 100 * LIMIT });
    req.flushHeaders();
    const { status, headers, body } = await answer;
    expect(status).toBe(413);
    expect(body.error).toBe(`the upload is ${100 * LIMIT} bytes; this nimbus accepts at most ${LIMIT} (nimbus.upload.max.bytes)`);
    expect(headers.connection).toBe('close');
    req.destroy();
  });

  it('without a declared length are refused with 413 as soon as the bytes pass the limit, not at the end', async () => {
    const { req, answer } = upload({ 'transfer-encoding': 'chunked' });
    // More than the limit, and the body never ends: only counting bytes can answer this.
    for (let sent = 0; sent <= LIMIT; sent += 16 * 1024) req.write(Buffer.alloc(16 * 1024, 0x20));
    const { status, body } = await answer;
    expect(status).toBe(413);
    expect(body.error).toBe(`the upload is more than ${LIMIT} bytes; this nimbus accepts at most ${LIMIT} (nimbus.upload.max.bytes)`);
    req.destroy();
  });

  it('past nimbus.upload.max.concurrent are answered 503 with Retry-After, and served once a place is free', async () => {
    const held = Buffer.from(await submissionJson('Held'));
    const first = upload({ 'content-length': held.length });
    // Half the body: the upload is being read, and holds its place until the rest comes.
    first.req.write(held.subarray(0, held.length >> 1));
    // An empty submission: 400 while a place is free, so probing stores nothing.
    let refused: Response | undefined;
    await waitFor(async () => {
      refused = await fetch(`${nimbus.url}/api/v1/uploadTopology`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return refused.status === 503;
    }, 'an upload refused while the first holds the only place');
    expect(refused!.headers.get('retry-after')).toBe('1');
    expect(((await refused!.json()) as { error: string }).error).toBe('nimbus is already reading 1 upload (nimbus.upload.max.concurrent); try again in 1 s');

    first.req.end(held.subarray(held.length >> 1));
    expect((await first.answer).status).toBe(200);
    const client = new NimbusClient({ urls: [nimbus.url] });
    expect((await client.submit(JSON.parse(await submissionJson('Second')))).name).toBe('Second');
    expect((await client.topologySummary()).topologies.map((t) => t.name).sort()).toEqual(['Held', 'Second']);
  });
});
