import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/** A body past the limit is drained (so the client reads the 413) but never kept; past this many times the limit, the connection is cut. */
const DRAIN_FACTOR = 8;

/** Reads a JSON body of at most `limit` bytes; 413 past it, 400 when it is not JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_FACTOR) req.destroy();
    });
    req.on('end', resolve);
    req.on('error', reject);
    req.on('close', () => (req.complete ? resolve() : reject(new HttpError(400, 'the request body was cut short'))));
  });
  if (size > limit || declared > limit) throw new HttpError(413, `the upload is ${Math.max(size, declared || 0)} bytes; this nimbus accepts at most ${limit} (nimbus.upload.max.bytes)`);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`, [
      { code: 'malformed-upload', message: 'the request body is not JSON' },
    ]);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
