import { TopoError, type TopologyConfig } from '@topo/topology-dsl';
import { BUNDLED_URLS_FILE, FileUrlSource, type FileShare } from './file-url-source.js';
import { StdinUrlSource } from './stdin-url-source.js';

/**
 * Where UrlSpout gets its URLs. The spout only calls `next()`, so a new source (a queue,
 * a socket, a database cursor) plugs in without touching any bolt.
 */
export interface UrlSource {
  /** The next URL line, or `undefined` when none is ready now (and, once `ended`, ever). */
  next(): string | undefined;
  /** True once the source is exhausted: `next()` will only return `undefined`. */
  readonly ended: boolean;
  close(): void;
}

/** Component config keys that choose and tune the source; `--config key=value` sets them. */
export const SOURCE_KEY = 'urlparser.source';
export const FILE_KEY = 'urlparser.file';
export const LOOP_KEY = 'urlparser.loop';

/**
 * The source the config names: `urlparser.source` is `file` (default) or `stdin`;
 * the file source reads `urlparser.file` (default: the bundled data/urls.txt), or the
 * `share` of its lines that falls to this task, and starts over at its end unless
 * `urlparser.loop` is false.
 */
export function urlSourceFromConfig(config: Readonly<TopologyConfig>, component: string, share?: FileShare): UrlSource {
  const kind = config[SOURCE_KEY] ?? 'file';
  if (kind === 'stdin') {
    // Every task would read the same stream and emit each line once per task.
    if (share !== undefined && share.of > 1) {
      throw new TopoError(`${component}: ${SOURCE_KEY} "stdin" needs a spout with one task, this one has ${share.of}`, { component, configKey: SOURCE_KEY });
    }
    return new StdinUrlSource(process.stdin);
  }
  if (kind !== 'file') {
    throw new TopoError(`${component}: ${SOURCE_KEY} must be "file" or "stdin", got ${JSON.stringify(kind)}`, { component, configKey: SOURCE_KEY });
  }
  return fileUrlSourceFromConfig(config, component, share);
}

/** The file source of `urlparser.file` and `urlparser.loop` (see `urlSourceFromConfig`). */
export function fileUrlSourceFromConfig(config: Readonly<TopologyConfig>, component: string, share?: FileShare): FileUrlSource {
  const file = config[FILE_KEY] ?? BUNDLED_URLS_FILE;
  if (typeof file !== 'string') {
    throw new TopoError(`${component}: ${FILE_KEY} must be a file path, got ${JSON.stringify(file)}`, { component, configKey: FILE_KEY });
  }
  const loop = config[LOOP_KEY] ?? true;
  if (typeof loop !== 'boolean') {
    throw new TopoError(`${component}: ${LOOP_KEY} must be true or false, got ${JSON.stringify(loop)}`, { component, configKey: LOOP_KEY });
  }
  return new FileUrlSource(file, { loop, share });
}
