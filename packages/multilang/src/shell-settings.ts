import path from 'node:path';
import { TopoError, type ConfigValue, type TopologyConfig, type ValidationProblem } from '@topo/topology-dsl';
import { jsonSerializer } from './json-codec.js';
import { msgpackSerializer } from './msgpack-codec.js';
import { SERIALIZER_NAMES, type Serializer } from './serializer.js';

/** Component config keys of a ShellBolt or ShellSpout; `ShellBolt.spec()` fills the first five. */
export const SHELL_CONFIG = {
  command: 'topo.shell.command',
  args: 'topo.shell.args',
  cwd: 'topo.shell.cwd',
  env: 'topo.shell.env',
  serializer: 'topo.shell.serializer',
  maxMessageBytes: 'topo.shell.max.message.bytes',
  restartBackoffMs: 'topo.shell.restart.backoff.ms',
  restartBackoffMaxMs: 'topo.shell.restart.backoff.max.ms',
  stopGraceMs: 'topo.shell.stop.grace.ms',
  handshakeTimeoutSecs: 'topo.shell.handshake.timeout.secs',
} as const;

/** Everything a shell component needs to run its subprocess, read from its config. */
export interface ShellSettings {
  command: string;
  args: string[];
  /** Absolute; undefined runs the subprocess in the worker's own working directory. */
  cwd: string | undefined;
  /** Added to the worker's environment. */
  env: Record<string, string>;
  serializer: Serializer;
  maxMessageBytes: number;
  /** `topology.subprocess.timeout.secs`, else `supervisor.worker.timeout.secs`. */
  timeoutMs: number;
  /**
   * How long a new subprocess may take to answer the handshake: `topo.shell.handshake.timeout.secs`,
   * else the subprocess timeout. Separate because starting an interpreter and its imports can
   * take far longer than the silence a running component is allowed.
   */
  handshakeTimeoutMs: number;
  /** The key `handshakeTimeoutMs` came from, for the error that names it. */
  handshakeTimeoutKey: string;
  /** `topology.shellbolt.max.pending`: tuples a bolt holds that are not yet written to its subprocess. */
  maxPending: number;
  restartBackoffMs: number;
  restartBackoffMaxMs: number;
  /** How long a subprocess gets between SIGTERM and SIGKILL when its component stops. */
  stopGraceMs: number;
}

const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const DEFAULT_RESTART_BACKOFF_MS = 100;
const DEFAULT_RESTART_BACKOFF_MAX_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 2_000;
const DEFAULT_TIMEOUT_SECS = 30;
const DEFAULT_MAX_PENDING = 100;

/** Every problem with a shell component's settings, each naming the component and config key. */
export function shellSettingsProblems(component: string, config: Readonly<TopologyConfig>): ValidationProblem[] {
  return parseShellSettings(component, config).problems;
}

/** The settings, or a TopoError listing every problem with them. */
export function readShellSettings(component: string, config: Readonly<TopologyConfig>): ShellSettings {
  const { settings, problems } = parseShellSettings(component, config);
  if (problems.length > 0) {
    throw new TopoError(`${component}: invalid multi-lang settings: ${problems.map((p) => p.message).join('; ')}`, { component });
  }
  return settings;
}

function parseShellSettings(component: string, config: Readonly<TopologyConfig>): { settings: ShellSettings; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const problem = (configKey: string, message: string) => problems.push({ code: 'invalid-shell-setting', component, configKey, message: `${configKey} ${message}` });

  const command = config[SHELL_CONFIG.command];
  if (typeof command !== 'string' || command === '') problem(SHELL_CONFIG.command, 'must be the command to run (a non-empty string)');

  const args = config[SHELL_CONFIG.args] ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) problem(SHELL_CONFIG.args, 'must be a list of strings');

  const cwd = config[SHELL_CONFIG.cwd] ?? null;
  if (cwd !== null && (typeof cwd !== 'string' || !path.isAbsolute(cwd))) problem(SHELL_CONFIG.cwd, 'must be an absolute path');

  const env = config[SHELL_CONFIG.env] ?? {};
  if (!isStringRecord(env)) problem(SHELL_CONFIG.env, 'must map variable names to strings');

  const serializerName = config[SHELL_CONFIG.serializer] ?? 'json';
  if (serializerName !== 'json' && serializerName !== 'msgpack') problem(SHELL_CONFIG.serializer, `must be ${SERIALIZER_NAMES.join(' or ')}`);

  const positive = (key: string, fallback: number): number => {
    const value = config[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      problem(key, 'must be a positive integer');
      return fallback;
    }
    return value;
  };
  const maxMessageBytes = positive(SHELL_CONFIG.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES);
  const restartBackoffMs = positive(SHELL_CONFIG.restartBackoffMs, DEFAULT_RESTART_BACKOFF_MS);
  const restartBackoffMaxMs = positive(SHELL_CONFIG.restartBackoffMaxMs, DEFAULT_RESTART_BACKOFF_MAX_MS);
  const stopGraceMs = positive(SHELL_CONFIG.stopGraceMs, DEFAULT_STOP_GRACE_MS);
  const maxPending = positive('topology.shellbolt.max.pending', DEFAULT_MAX_PENDING);
  const subprocessTimeout = config['topology.subprocess.timeout.secs'];
  const timeoutSecs =
    typeof subprocessTimeout === 'number' ? subprocessTimeout : positive('supervisor.worker.timeout.secs', DEFAULT_TIMEOUT_SECS);
  const ownHandshakeTimeout = config[SHELL_CONFIG.handshakeTimeoutSecs] !== undefined;
  const handshakeTimeoutSecs = ownHandshakeTimeout ? positive(SHELL_CONFIG.handshakeTimeoutSecs, timeoutSecs) : timeoutSecs;

  return {
    problems,
    settings: {
      command: command as string,
      args: args as string[],
      cwd: cwd === null ? undefined : (cwd as string),
      env: env as Record<string, string>,
      serializer: serializerName === 'msgpack' ? msgpackSerializer : jsonSerializer,
      maxMessageBytes,
      timeoutMs: timeoutSecs * 1000,
      handshakeTimeoutMs: handshakeTimeoutSecs * 1000,
      handshakeTimeoutKey: ownHandshakeTimeout ? SHELL_CONFIG.handshakeTimeoutSecs : 'topology.subprocess.timeout.secs',
      maxPending,
      restartBackoffMs,
      restartBackoffMaxMs,
      stopGraceMs,
    },
  };
}

function isStringRecord(value: ConfigValue): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
