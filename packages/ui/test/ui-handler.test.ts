import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiAssets, uiHandler } from '@topo/ui';

describe('uiHandler', () => {
  let server: Server;
  let base: string;
  const passedOn: string[] = [];

  beforeAll(async () => {
    const ui = uiHandler();
    server = createServer((req, res) => {
      if (ui(req, res)) return;
      passedOn.push(`${req.method} ${req.url}`);
      res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the page at / with a policy that allows no other origin for scripts and styles', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const policy = res.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/assets/app.js">');
    // Self-contained: the page names no other host.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves the bundle and the stylesheet, which fetch nothing from elsewhere', async () => {
    const js = await fetch(`${base}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await js.text();
    expect(code).toContain('/api/v1/topology/');
    expect(code).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const css = await fetch(`${base}/assets/style.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).not.toMatch(/url\(|@import/);
  });

  it('answers HEAD without a body', async () => {
    const res = await fetch(`${base}/assets/app.js`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(uiAssets().get('/assets/app.js')!.body.length);
    expect(await res.text()).toBe('');
  });

  it('passes on the API, unknown paths and other methods untouched', async () => {
    passedOn.length = 0;
    expect((await fetch(`${base}/api/v1/cluster/summary`)).status).toBe(418);
    expect((await fetch(`${base}/assets/../package.json`)).status).toBe(418);
    expect((await fetch(`${base}/assets/nope.js`)).status).toBe(418);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(418);
    expect(passedOn).toEqual(['GET /api/v1/cluster/summary', 'GET /package.json', 'GET /assets/nope.js', 'POST /']);
  });
});
