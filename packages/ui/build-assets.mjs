// Bundles the browser code (src/client) into dist/assets/: one script, one stylesheet and
// the page, with nothing fetched from elsewhere at run time.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const out = new URL('./dist/assets/', import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [new URL('./src/client/main.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  outfile: new URL('app.js', out).pathname,
  logLevel: 'warning',
});
for (const name of ['index.html', 'style.css']) copyFileSync(new URL(`./src/client/${name}`, import.meta.url), new URL(name, out));
