import { FileUrlSource, BUNDLED_URLS_FILE } from '../examples/url-parser/src/file-url-source.js';

/** The url-parser example's bundled URLs (valid and malformed), read as its spout reads them. */
export function loadUrls(): readonly string[] {
  return new FileUrlSource(BUNDLED_URLS_FILE, { loop: false }).lines;
}
