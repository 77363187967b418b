/**
 * Writes data/urls.txt, the URLs the example's file source replays: `npm run generate`.
 * A seeded PRNG makes the output identical on every run, so the committed file can be
 * checked against it (test/bundled-urls.test.ts does).
 *
 * Hosts follow a Zipf-like popularity (a few hosts get most of the traffic, as in any
 * real log), and about MALFORMED_RATE of the lines are broken in the ways real URL
 * feeds are broken.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const URL_COUNT = 4000;
export const MALFORMED_RATE = 0.04;
export const SEED = 0x5eed_2024;
export const URLS_FILE = fileURLToPath(new URL('../data/urls.txt', import.meta.url));

export interface GeneratedUrl {
  url: string;
  /** True when the line was generated broken; the URL bolt must send it to `invalid`. */
  malformed: boolean;
}

type Rng = () => number;

/** mulberry32: tiny, fast, and good enough to make a corpus look random. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const chance = (rng: Rng, p: number): boolean => rng() < p;

const WORDS = [
  'stream', 'storm', 'node', 'typescript', 'parser', 'release', 'climate', 'election', 'football', 'recipe',
  'guide', 'review', 'update', 'market', 'science', 'space', 'travel', 'music', 'movie', 'design',
  'privacy', 'security', 'cloud', 'database', 'garden', 'coffee', 'bicycle', 'energy', 'health', 'history',
];
const SEARCH_TERMS = ['apache storm', 'url parser', 'best coffee grinder', 'weather berlin', 'node 20 release', 'café près de moi', 'how to exit vim', 'typescript generics'];
const LANGS = ['en', 'de', 'fr', 'es', 'ja'];
const UTM = [
  ['utm_source', ['newsletter', 'twitter', 'google', 'hn']],
  ['utm_medium', ['email', 'social', 'cpc']],
  ['utm_campaign', ['spring_sale', 'launch', 'weekly']],
] as const;

const slug = (rng: Rng, words = int(rng, 2, 5)): string => Array.from({ length: words }, () => pick(rng, WORDS)).join('-');
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, (_, i) => String(int(rng, i === 0 ? 1 : 0, 9))).join('');
const videoId = (rng: Rng): string =>
  Array.from({ length: 11 }, () => pick(rng, [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'])).join('');

/** A query string with 0-6 keys (sometimes a repeated key, so distinct keys < pairs). */
function query(rng: Rng, pairs: [string, string][]): string {
  const all = [...pairs];
  if (chance(rng, 0.25)) for (const [key, values] of UTM.slice(0, int(rng, 1, 3))) all.push([key, pick(rng, values)]);
  if (all.length > 0 && chance(rng, 0.08)) all.push([all[0][0], pick(rng, WORDS)]);
  if (chance(rng, 0.05)) all.push(['ref', '']);
  return all.length === 0 ? '' : `?${all.map(([k, v]) => (v === '' ? k : `${k}=${encodeURIComponent(v)}`)).join('&')}`;
}

const fragment = (rng: Rng, p = 0.08): string => (chance(rng, p) ? `#${pick(rng, ['top', 'comments', 'section-2', 'L42', 'install', 'faq'])}` : '');

/** Path, query and fragment, in the shape of one kind of site. */
type PathShape = (rng: Rng) => string;

const search: PathShape = (rng) =>
  `/search${query(rng, [['q', pick(rng, SEARCH_TERMS)], ...(chance(rng, 0.5) ? [['hl', pick(rng, LANGS)] as [string, string]] : []), ...(chance(rng, 0.3) ? [['start', String(int(rng, 1, 9) * 10)] as [string, string]] : [])])}`;
const video: PathShape = (rng) =>
  chance(rng, 0.8)
    ? `/watch${query(rng, [['v', videoId(rng)], ...(chance(rng, 0.3) ? [['t', `${int(rng, 5, 900)}s`] as [string, string]] : []), ...(chance(rng, 0.15) ? [['list', `PL${videoId(rng)}`] as [string, string]] : [])])}`
    : `/@${pick(rng, WORDS)}${pick(rng, ['', '/videos', '/shorts'])}`;
const wiki: PathShape = (rng) =>
  `/wiki/${pick(rng, ['Apache_Storm', 'Uniform_Resource_Locator', 'Zipf%27s_law', 'München', 'Punycode', 'Node.js', 'Stream_processing', 'Café'])}${fragment(rng, 0.3)}`;
const code: PathShape = (rng) => {
  const repo = `/${pick(rng, ['apache', 'nodejs', 'microsoft', 'vitest-dev', 'oclif'])}/${pick(rng, ['storm', 'node', 'typescript', 'vitest', 'core'])}`;
  return pick(rng, [
    () => repo,
    () => `${repo}/issues/${int(rng, 1, 60000)}${fragment(rng, 0.4)}`,
    () => `${repo}/pull/${int(rng, 1, 60000)}/files`,
    () => `${repo}/blob/main/src/${pick(rng, WORDS)}.ts#L${int(rng, 1, 400)}`,
    () => `${repo}/issues${query(rng, [['q', 'is:open label:bug'], ['page', String(int(rng, 1, 20))]])}`,
  ])();
};
const article: PathShape = (rng) =>
  `/${int(rng, 2019, 2024)}/${String(int(rng, 1, 12)).padStart(2, '0')}/${String(int(rng, 1, 28)).padStart(2, '0')}/${pick(rng, ['world', 'tech', 'sport', 'business', 'culture'])}/${slug(rng)}.html${query(rng, [])}${fragment(rng)}`;
const amazon: PathShape = (rng) =>
  chance(rng, 0.6)
    ? `/dp/B0${digits(rng, 8)}${query(rng, chance(rng, 0.5) ? [['ref', `sr_1_${int(rng, 1, 20)}`]] : [])}`
    : `/s${query(rng, [['k', pick(rng, WORDS)], ['page', String(int(rng, 1, 5))], ...(chance(rng, 0.5) ? [['s', pick(rng, ['price-asc-rank', 'review-rank'])] as [string, string]] : [])])}`;
const ebay: PathShape = (rng) => (chance(rng, 0.7) ? `/itm/${digits(rng, 12)}${query(rng, [])}` : `/sch/i.html${query(rng, [['_nkw', pick(rng, WORDS)], ['_sacat', '0']])}`);
const etsy: PathShape = (rng) => `/listing/${digits(rng, 10)}/${slug(rng)}${query(rng, chance(rng, 0.3) ? [['ga_order', 'most_relevant']] : [])}`;
const shop: PathShape = (rng) => `/${pick(rng, ['products', 'cart', 'checkout'])}/${digits(rng, 5)}${query(rng, chance(rng, 0.5) ? [['variant', digits(rng, 3)], ['qty', String(int(rng, 1, 4))]] : [])}`;
const reddit: PathShape = (rng) =>
  `/r/${pick(rng, ['node', 'programming', 'typescript', 'coffee', 'bicycling'])}/${chance(rng, 0.8) ? `comments/${videoId(rng).slice(0, 6).toLowerCase()}/${slug(rng).replaceAll('-', '_')}/` : query(rng, [['sort', pick(rng, ['top', 'new'])], ['t', 'week']])}`;
const hackerNews: PathShape = (rng) => (chance(rng, 0.85) ? `/item${query(rng, [['id', digits(rng, 8)]])}` : `/${pick(rng, ['newest', 'ask', 'show', 'front'])}`);
const stackOverflow: PathShape = (rng) =>
  chance(rng, 0.8) ? `/questions/${digits(rng, 8)}/${slug(rng)}${fragment(rng, 0.2)}` : `/search${query(rng, [['q', pick(rng, SEARCH_TERMS)], ['tab', 'votes']])}`;
const docs: PathShape = (rng) =>
  `/${pick(rng, ['en-US/docs/Web/API/URL', 'docs/latest/api/url.html', '3/library/urllib.parse.html', 'en/guide', 'package'])}/${pick(rng, ['', pick(rng, WORDS)])}${fragment(rng, 0.35)}`;
const api: PathShape = (rng) =>
  `/v${int(rng, 1, 3)}/${pick(rng, ['users', 'repos', 'orders', 'events'])}/${digits(rng, 6)}${query(rng, [
    ...(chance(rng, 0.6) ? [['fields', 'id,name,created_at'] as [string, string]] : []),
    ...(chance(rng, 0.5) ? [['per_page', String(pick(rng, [20, 50, 100]))] as [string, string]] : []),
    ...(chance(rng, 0.3) ? [['include', 'owner'] as [string, string], ['include', 'tags'] as [string, string]] : []),
  ])}`;
const asset: PathShape = (rng) =>
  `/${pick(rng, ['npm/vue@3.4.21/dist/vue.global.js', 'static/img', 'assets/fonts', 'npm/bootstrap@5.3.3/dist/css'])}/${videoId(rng).toLowerCase()}.${pick(rng, ['png', 'woff2', 'css', 'js'])}${chance(rng, 0.3) ? `?v=${digits(rng, 6)}` : ''}`;
const local: PathShape = (rng) => `/${pick(rng, ['api/health', 'admin', 'graphql', 'debug/pprof'])}${query(rng, chance(rng, 0.5) ? [['verbose', '1']] : [])}`;
const intl: PathShape = (rng) => `/${pick(rng, ['bücher', 'straße', 'ニュース', 'café', 'suche', 'produkte'])}/${slug(rng, 2)}${query(rng, chance(rng, 0.4) ? [['seite', String(int(rng, 1, 9))]] : [])}`;

/** Hosts in popularity order; the scheme prefix is part of the host for the odd http-only site. */
const SITES: [string, PathShape][] = [
  ['https://www.google.com', search],
  ['https://www.youtube.com', video],
  ['https://en.wikipedia.org', wiki],
  ['https://github.com', code],
  ['https://www.amazon.com', amazon],
  ['https://www.reddit.com', reddit],
  ['https://www.nytimes.com', article],
  ['https://stackoverflow.com', stackOverflow],
  ['https://news.ycombinator.com', hackerNews],
  ['https://www.bbc.co.uk', article],
  ['https://developer.mozilla.org', docs],
  ['https://api.github.com', api],
  ['https://www.theguardian.com', article],
  ['https://duckduckgo.com', search],
  ['https://www.ebay.com', ebay],
  ['https://cdn.jsdelivr.net', asset],
  ['https://docs.python.org', docs],
  ['https://www.npmjs.com', docs],
  ['https://de.wikipedia.org', wiki],
  ['https://www.etsy.com', etsy],
  ['https://medium.com', article],
  ['https://nodejs.org', docs],
  ['https://www.spiegel.de', article],
  ['https://m.youtube.com', video],
  ['https://www.lemonde.fr', article],
  ['https://api.example.com:8443', api],
  ['https://www.bing.com', search],
  ['https://gitlab.com', code],
  ['http://localhost:3000', local],
  ['https://www.bücher.de', intl],
  ['https://static.example.org', asset],
  ['http://intranet.example.local:8080', local],
  ['https://münchen.de', intl],
  ['https://ja.wikipedia.org', wiki],
  ['https://例え.jp', intl],
  ['http://192.168.1.20:8080', local],
  ['https://www.asahi.com', article],
  ['https://codeberg.org', code],
  ['https://www.xn--caf-dma.fr', intl],
  ['http://[::1]:9000', local],
  ['https://WWW.Example.COM', docs],
  ['https://shop.example.com:443', shop],
];
const ZIPF_EXPONENT = 1.07;

/** Ways real feeds break a URL; each yields an invalid line. */
const MALFORMED: ((rng: Rng, host: string, rest: string) => string)[] = [
  (_rng, host, rest) => `${host.replace(/^https?:\/\//, '')}${rest}`,
  (_rng, host, rest) => `${host.replace(/^https?:/, '')}${rest}`,
  (rng) => pick(rng, ['http://', 'https://', 'http://?ref=hn', 'https://#top', 'https:']),
  (rng, host, rest) => {
    const bare = host.replace(/^https?:\/\//, '');
    const at = int(rng, 1, bare.length - 1);
    return `https://${bare.slice(0, at)} ${bare.slice(at)}${rest}`;
  },
  (_rng, host, rest) => `${host.replace(/^https?/, 'ht!tp')}${rest}`,
  (_rng, host, rest) => `${host.replace(/^(https?):/, '$1')}${rest}`,
  (rng, host, rest) => pick(rng, [`ftp://${host.replace(/^https?:\/\//, '')}${rest}`, 'mailto:press@example.com', 'javascript:void(0)', 'file:///etc/hosts', 'data:text/plain,hello', 'localhost:3000/api/health']),
  (rng, host, rest) => `${host.replace(/:\d+$/, '')}:${pick(rng, ['99999', '80a', '-1'])}${rest}`,
  (rng, _host, rest) => `http://${pick(rng, ['256.12.0.1', '10.0.0.999', '[::1', '[fe80::1%eth0]'])}${rest}`,
  (rng, host, rest) => `https://%${pick(rng, ['zz', 'g1', '%'])}${host.replace(/^https?:\/\//, '')}${rest}`,
  (rng, _host, rest) => `${pick(rng, ['http://%2e', 'https://..', 'http://.', 'https://\u3002'])}${rest}`,
];

/** The corpus: `count` lines, the same for the same seed. */
export function generateUrls(count = URL_COUNT, seed = SEED): GeneratedUrl[] {
  const rng = mulberry32(seed);
  const weights = SITES.map((_, rank) => 1 / (rank + 1) ** ZIPF_EXPONENT);
  const total = weights.reduce((a, b) => a + b, 0);
  const site = (): [string, PathShape] => {
    let r = rng() * total;
    for (let i = 0; i < SITES.length; i++) if ((r -= weights[i]) < 0) return SITES[i];
    return SITES[SITES.length - 1];
  };
  return Array.from({ length: count }, () => {
    const [host, shape] = site();
    const rest = shape(rng);
    if (chance(rng, MALFORMED_RATE)) return { url: pick(rng, MALFORMED)(rng, host, rest), malformed: true };
    return { url: `${host}${rest}`, malformed: false };
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const urls = generateUrls();
  writeFileSync(URLS_FILE, `${urls.map((u) => u.url).join('\n')}\n`);
  console.log(`wrote ${urls.length} URLs (${urls.filter((u) => u.malformed).length} malformed) to ${URLS_FILE}`);
}
