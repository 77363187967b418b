/** Why a line is not a usable web URL; the `reason` field of UrlBolt's `invalid` stream. */
export type InvalidReason =
  /** No valid `scheme:` prefix: `www.example.com/x`, `//cdn.example.com/a.js`, `ht!tp://x`. */
  | 'missing-scheme'
  /** A scheme other than http and https: `ftp://`, `mailto:`, `javascript:`, `localhost:3000/x`. */
  | 'unsupported-scheme'
  /** Nothing where the host goes (`http://`, `https://?q=1`), or only dots once normalized (`http://%2e/`). */
  | 'empty-host'
  /** Anything else the WHATWG parser rejects: spaces in the host, bad ports, bad IP addresses. */
  | 'unparseable';

export type ParsedUrl =
  | { valid: true; host: string; path: string; queryKeys: number }
  | { valid: false; reason: InvalidReason };

const SCHEME = /^\s*[a-z][a-z0-9+.-]*:/i;
// The parser treats backslashes as slashes in special schemes, and skips any number of them.
const WEB_SCHEME_WITHOUT_HOST = /^\s*https?:[/\\]*(?:[?#]|\s*$)/i;

/**
 * Parses one line with the WHATWG URL parser. `host` is the hostname as the parser
 * normalizes it (lower case, IDN in punycode, no port), `path` the percent-encoded
 * pathname, `queryKeys` the number of distinct keys in the query string.
 */
export function parseUrl(line: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(line);
  } catch {
    if (!SCHEME.test(line)) return { valid: false, reason: 'missing-scheme' };
    return { valid: false, reason: WEB_SCHEME_WITHOUT_HOST.test(line) ? 'empty-host' : 'unparseable' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { valid: false, reason: 'unsupported-scheme' };
  // The parser never yields an empty http(s) host, but `%2e` and `。` normalize to a bare dot.
  if (url.hostname.replaceAll('.', '') === '') return { valid: false, reason: 'empty-host' };
  return { valid: true, host: url.hostname, path: url.pathname, queryKeys: new Set(url.searchParams.keys()).size };
}
