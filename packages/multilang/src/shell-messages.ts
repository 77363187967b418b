import { DEFAULT_STREAM, TopoError, type LogLevel, type TopologyContext } from '@topo/topology-dsl';
import { excerpt, ProtocolViolation } from './protocol-violation.js';

/** A message from a component, checked to be an object with a string `command`. */
export type Command = Record<string, unknown> & { command: string };

/** An `emit`, with Storm's defaults applied and every field's type checked; one per component, refilled by `parseEmit` for each emit. */
export interface EmitCommand {
  tuple: unknown[];
  stream: string;
  /** Ids of the input tuples it is anchored to (bolts). */
  anchors: string[];
  /** The target task of a direct emit; absent, null and 0 mean a normal emit, as in Storm. */
  task: number | undefined;
  needTaskIds: boolean;
  /** The message id (spouts); undefined or null means untracked. */
  id: unknown;
}

/** Storm's multi-lang log levels, 0 to 4. */
const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export function asCommand(message: unknown): Command {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new ProtocolViolation(`sent ${excerpt(message)} where a command (a JSON object) was expected`);
  }
  const command = (message as Record<string, unknown>).command;
  if (command === undefined) throw new ProtocolViolation(`sent a message without a command: ${excerpt(message)}`);
  if (typeof command !== 'string') throw new ProtocolViolation(`sent a command that is not a string: ${excerpt(message)}`);
  return message as Command;
}

export function emptyEmit(): EmitCommand {
  return { tuple: [], stream: DEFAULT_STREAM, anchors: [], task: undefined, needTaskIds: true, id: undefined };
}

const NO_ANCHORS: string[] = [];

/** Checks `m` as an emit and fills `into` with it (an emit is handled before the next is read, so one object serves them all). */
export function parseEmit(m: Command, into: EmitCommand): EmitCommand {
  const { tuple, stream, anchors, task, need_task_ids: needTaskIds } = m;
  if (!Array.isArray(tuple)) throw wrongType(m, 'tuple', 'an array');
  if (stream !== undefined && stream !== null && typeof stream !== 'string') throw wrongType(m, 'stream', 'a string');
  let anchorIds: string[];
  if (anchors === undefined || anchors === null) anchorIds = NO_ANCHORS;
  else if (typeof anchors === 'string') anchorIds = [anchors];
  else if (Array.isArray(anchors) && allStrings(anchors)) anchorIds = anchors as string[];
  else throw wrongType(m, 'anchors', 'a tuple id or a list of tuple ids (strings)');
  if (task !== undefined && task !== null && !Number.isInteger(task)) throw wrongType(m, 'task', 'an integer task id');
  if (needTaskIds !== undefined && needTaskIds !== null && typeof needTaskIds !== 'boolean') throw wrongType(m, 'need_task_ids', 'a boolean');
  into.tuple = tuple;
  into.stream = (stream as string | undefined | null) ?? DEFAULT_STREAM;
  into.anchors = anchorIds;
  into.task = task === undefined || task === null || task === 0 ? undefined : (task as number);
  into.needTaskIds = needTaskIds !== false;
  into.id = m.id;
  return into;
}

function allStrings(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'string') return false;
  return true;
}

/** The `id` of an ack or fail: a string, as engine tuple ids are. */
export function tupleId(m: Command): string {
  if (typeof m.id !== 'string') throw wrongType(m, 'id', 'a tuple id (a string)');
  return m.id;
}

export function wrongType(m: Command, field: string, expected: string): ProtocolViolation {
  return new ProtocolViolation(`sent ${m.command} with ${field} that is not ${expected}: ${excerpt(m)}`);
}

/**
 * Handles the commands spouts and bolts share: `log`, `error`, `metrics`. Returns false for
 * any other command. `pid` labels the log lines and errors.
 */
export function handleSharedCommand(
  m: Command,
  pid: number | undefined,
  context: TopologyContext,
  reportError: (error: unknown) => void,
): boolean {
  switch (m.command) {
    case 'log': {
      const level = typeof m.level === 'number' && Number.isInteger(m.level) && m.level >= 0 && m.level <= 4 ? LEVELS[m.level] : 'info';
      context.log(level, `pid ${pid}: ${text(m.msg)}`);
      return true;
    }
    case 'error':
      reportError(new TopoError(`${context.componentId} (task ${context.taskId}, pid ${pid}) reported: ${text(m.msg)}`, { component: context.componentId, task: context.taskId, pid }));
      return true;
    case 'metrics': {
      if (typeof m.name !== 'string') throw wrongType(m, 'name', 'a metric name (a string)');
      if (typeof m.params === 'number' && Number.isFinite(m.params)) context.incrMetric(m.name, m.params);
      else {
        // Not fatal: Storm would hand any params to a registered IShellMetric; Topo's metrics are counters.
        reportError(new TopoError(`${context.componentId} (task ${context.taskId}, pid ${pid}) sent metric ${m.name} with params ${excerpt(m.params)}; Topo counts numbers only`, { component: context.componentId, metric: m.name }));
      }
      return true;
    }
    default:
      return false;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : excerpt(value, 10_000);
}
