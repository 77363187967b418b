import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ComponentSpec,
  type BoltSpecOptions,
  type ConfigValue,
  type SpoutSpecOptions,
  type StreamFieldsOf,
} from '@topo/topology-dsl';
import type { SerializerName } from './serializer.js';
import { SHELL_CONFIG } from './shell-settings.js';

/** One output stream: its fields, or its fields and whether it is direct (as a class's `static streams` takes them). */
export type ShellStreamDeclaration = readonly string[] | { readonly fields: readonly string[]; readonly direct?: boolean };

/** What a shell component runs and what it declares; the rest of `spec()`'s options are the usual ones. */
export interface ShellOptions<O extends ShellStreamDeclaration, S extends Record<string, ShellStreamDeclaration>> {
  /** The program, e.g. `python3`; found on PATH, or relative to `cwd` when it contains a slash. */
  command: string;
  args?: readonly string[];
  /**
   * Working directory of the subprocess, where relative script paths in `args` resolve:
   * `new URL('.', import.meta.url)` is the topology module's own directory. A relative
   * path resolves against the current directory when the spec is created. Default: the
   * worker's working directory.
   */
  cwd?: string | URL;
  /** Variables added to the worker's environment. */
  env?: Readonly<Record<string, string>>;
  /** Wire format; default `json`. */
  serializer?: SerializerName;
  /** Fields of the `default` stream. */
  outputs?: O;
  /** Named streams, as `static streams` declares them. */
  streams?: S;
}

export type ShellBoltSpecOptions<O extends ShellStreamDeclaration, S extends Record<string, ShellStreamDeclaration>> = ShellOptions<O, S> & BoltSpecOptions;
export type ShellSpoutSpecOptions<O extends ShellStreamDeclaration, S extends Record<string, ShellStreamDeclaration>> = ShellOptions<O, S> & SpoutSpecOptions;

/** Stream -> field names the type checker knows for a shell component, from its spec. */
export type ShellStreamFields<O, S> = StreamFieldsOf<{ outputs: O; streams: S }>;

type ComponentClass = (abstract new () => object) & { name: string };

/**
 * A spec whose class is a one-off subclass of `base` (named like it) carrying the
 * spec's `outputs` and `streams`, so they become the component's declared streams; the
 * subprocess settings go into the component's config, which keeps the definition plain JSON.
 */
export function shellSpec(
  kind: 'spout' | 'bolt',
  base: ComponentClass,
  options: ShellOptions<ShellStreamDeclaration, Record<string, ShellStreamDeclaration>> & BoltSpecOptions,
): ComponentSpec<any> {
  const { command, args, cwd, env, serializer, outputs, streams, ...common } = options;
  const componentClass = class extends (base as unknown as new () => object) {};
  Object.defineProperty(componentClass, 'name', { value: base.name });
  Object.assign(componentClass, { outputs: outputs ?? [], streams: streams ?? {} });
  const config: Record<string, ConfigValue> = { ...common.config, [SHELL_CONFIG.command]: command };
  if (args !== undefined) config[SHELL_CONFIG.args] = [...args];
  if (cwd !== undefined) config[SHELL_CONFIG.cwd] = path.resolve(cwd instanceof URL ? fileURLToPath(cwd) : cwd);
  if (env !== undefined) config[SHELL_CONFIG.env] = { ...env };
  if (serializer !== undefined) config[SHELL_CONFIG.serializer] = serializer;
  return new ComponentSpec(kind, componentClass, { ...common, config });
}
