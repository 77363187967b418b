import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON_ADAPTER_PATH, type SerializerName } from '@topo/multilang';

const here = path.dirname(fileURLToPath(import.meta.url));

/** How to start one pass-through bolt subprocess; the engine and the direct driver start the same. */
export interface PassThroughCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  serializer: SerializerName;
}

export function tsPassThrough(serializer: SerializerName): PassThroughCommand {
  return { command: process.execPath, args: ['--import', 'tsx', path.join(here, 'pass-through-bolt-main.ts')], cwd: here, env: {}, serializer };
}

export function pythonPassThrough(): PassThroughCommand {
  return { command: 'python3', args: ['pass_through.py'], cwd: here, env: { PYTHONPATH: PYTHON_ADAPTER_PATH }, serializer: 'json' };
}
