import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UiAssetsMissingError } from './ui-assets-missing-error.js';

/** One file of the UI, ready to send. */
export interface UiAsset {
  contentType: string;
  body: Buffer;
}

/** The UI's files by URL path (`/`, `/assets/app.js`, ...). */
export type UiAssets = ReadonlyMap<string, UiAsset>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** Where `build-assets.mjs` writes the bundle: beside this module once compiled (`dist/assets/`). */
const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

let loaded: UiAssets | undefined;

/**
 * The built UI, read once from the package's `dist/assets/` and kept in memory (a few
 * tens of KB). `index.html` answers `/` too: the pages route by the URL's hash, so the
 * server never needs to know them.
 */
export function uiAssets(): UiAssets {
  if (loaded !== undefined) return loaded;
  let names: string[];
  try {
    names = readdirSync(ASSETS_DIR);
  } catch {
    throw new UiAssetsMissingError(ASSETS_DIR);
  }
  if (!names.includes('index.html')) throw new UiAssetsMissingError(ASSETS_DIR);
  const assets = new Map<string, UiAsset>();
  for (const name of names) {
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (type === undefined) continue;
    assets.set(`/assets/${name}`, { contentType: type, body: readFileSync(ASSETS_DIR + name) });
  }
  const index = assets.get('/assets/index.html')!;
  assets.delete('/assets/index.html');
  assets.set('/', index);
  assets.set('/index.html', index);
  loaded = assets;
  return assets;
}
