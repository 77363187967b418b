import type { IncomingMessage, ServerResponse } from 'node:http';
import { uiAssets, type UiAssets } from './ui-assets.js';

/**
 * Serves the UI's files and answers true, or answers false without touching the response
 * for anything else (the API's paths, other methods), so a server tries it first:
 *
 * ```ts
 * const ui = uiHandler();
 * createServer((req, res) => ui(req, res) || api(req, res));
 * ```
 */
export type UiRequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The page may talk to its own origin and nothing else except worker-log links (a
 * supervisor's logviewer is another host:port): no CDN, no inline script, no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' http: https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function uiHandler(assets: UiAssets = uiAssets()): UiRequestHandler {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://ui').pathname;
    const asset = assets.get(path);
    if (asset === undefined) return false;
    res.writeHead(200, {
      'content-type': asset.contentType,
      'content-length': asset.body.length,
      // The bundle's name does not change with its content, so the browser asks each load (a few tens of KB from the same box).
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
