import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Refuses a body that declares more than `limit` bytes, before reading any of it. The
 * answer closes the connection, so the body is never read.
 */
export function refuseDeclaredOversize(req: IncomingMessage, limit: number): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(`the upload is ${declared} bytes`, limit);
}

/**
 * Reads a JSON body of at most `limit` bytes: 413 at once on a larger declared length,
 * or as soon as the bytes read pass the limit (the rest is never read: the answer closes
 * the connection); 400 when it is not JSON.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  refuseDeclaredOversize(req, limit);
  const body = await readBody(req, limit);
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`, [
      { code: 'malformed-upload', message: 'the request body is not JSON' },
    ]);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A client that goes away after the answer must not become an unhandled 'error'.
    req.on('error', () => {});
    const settle = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks, size));
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.pause();
      chunks.length = 0;
      settle(tooLarge(`the upload is more than ${limit} bytes`, limit));
    };
    const onEnd = () => settle();
    const onClose = () => settle(req.complete ? undefined : new HttpError(400, 'the request body was cut short'));
    req.on('data', onData).on('end', onEnd).on('error', settle).on('close', onClose);
  });
}

function tooLarge(what: string, limit: number): HttpError {
  return new HttpError(413, `${what}; this nimbus accepts at most ${limit} (nimbus.upload.max.bytes)`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
