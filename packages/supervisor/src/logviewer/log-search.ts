import { closeSync, openSync, readSync } from 'node:fs';

export interface LogMatch {
  byteOffset: number;
  beforeString: string;
  afterString: string;
  matchString: string;
}

export interface LogSearchResult {
  searchString: string;
  startByteOffset: number;
  matches: LogMatch[];
  /** Where to go on from when `numMatches` were found before the end. */
  nextByteOffset?: number;
}

/** Context on each side of a match, as Storm's logviewer gives. */
const CONTEXT_BYTES = 128;
const CHUNK_BYTES = 64 * 1024;

/**
 * Finds `needle` in a file from `start`, up to `numMatches` times, reading it in chunks
 * (so a large log is never read whole), with 128 bytes of context on each side.
 */
export function searchLog(file: string, needle: string, start: number, numMatches: number): LogSearchResult {
  const pattern = Buffer.from(needle, 'utf8');
  const result: LogSearchResult = { searchString: needle, startByteOffset: start, matches: [] };
  const fd = openSync(file, 'r');
  try {
    // A match belongs to the chunk it starts in; each read takes enough past the chunk for the match and its context.
    const chunk = Buffer.alloc(CONTEXT_BYTES + CHUNK_BYTES + pattern.length - 1 + CONTEXT_BYTES);
    for (let offset = start; ; offset += CHUNK_BYTES) {
      const from = Math.max(0, offset - CONTEXT_BYTES);
      const read = readSync(fd, chunk, 0, chunk.length, from);
      const data = chunk.subarray(0, read);
      for (let at = data.indexOf(pattern, offset - from); at !== -1 && from + at < offset + CHUNK_BYTES; at = data.indexOf(pattern, at + pattern.length)) {
        const end = at + pattern.length;
        result.matches.push({
          byteOffset: from + at,
          beforeString: data.subarray(Math.max(0, at - CONTEXT_BYTES), at).toString('utf8'),
          afterString: data.subarray(end, end + CONTEXT_BYTES).toString('utf8'),
          matchString: needle,
        });
        if (result.matches.length === numMatches) {
          result.nextByteOffset = from + end;
          return result;
        }
      }
      if (read < chunk.length) return result;
    }
  } finally {
    closeSync(fd);
  }
}
