import { NAME_MAX_LENGTH } from './names.js';
import { excerpt, printable } from './printable.js';

/** Where a problem was found: every field is optional because some problems are topology-wide. */
export interface ProblemLocation {
  component?: string;
  stream?: string;
  field?: string;
  /** A config key such as `topology.message.timeout.secs`. */
  configKey?: string;
}

export interface ValidationProblem extends ProblemLocation {
  /** Stable machine-readable code, e.g. `unknown-input`. */
  code: string;
  message: string;
}

/** Node's key for a custom `util.inspect`, by its registered name so that this package needs no node import. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Base of every error Topo throws on purpose; `context` says where it happened. An Error's
 * message and stack are not enumerable, so without `toJSON` a serialised TopoError (in a
 * test result, a log line, a REST answer) would keep its name and context and lose what
 * went wrong.
 */
export class TopoError extends Error {
  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Name, message and context, with a subclass's own fields (a validation error's problems). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message, context: this.context };
  }

  /** What console.log and test failures show: the stack (which starts with name and message), then the context. */
  [INSPECT](_depth: number, _options: unknown, inspect?: (value: unknown) => string): string {
    const stack = this.stack ?? `${this.name}: ${this.message}`;
    if (Object.keys(this.context).length === 0) return stack;
    const context = inspect === undefined ? JSON.stringify(this.context) : inspect(this.context);
    return `${stack}\n  context: ${context}`;
  }
}

/** A topology that cannot run; `problems` lists every problem found, not just the first. */
export class TopologyValidationError extends TopoError {
  constructor(
    readonly topology: string,
    readonly problems: ValidationProblem[],
  ) {
    super(
      `topology ${excerpt(topology, NAME_MAX_LENGTH)} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
      { topology },
    );
  }
}

/**
 * One line per problem, leading with where it is: `urlBolt / stream invalid / field host: ...`.
 * Printable whatever the problem holds (names that broke the rules included), bounded.
 */
export function formatProblem(problem: ValidationProblem): string {
  const where: string[] = [];
  if (problem.component !== undefined) where.push(`component ${excerpt(problem.component, NAME_MAX_LENGTH)}`);
  if (problem.stream !== undefined) where.push(`stream ${excerpt(problem.stream, NAME_MAX_LENGTH)}`);
  if (problem.field !== undefined) where.push(`field ${excerpt(problem.field, NAME_MAX_LENGTH)}`);
  if (problem.configKey !== undefined) where.push(`config ${excerpt(problem.configKey, NAME_MAX_LENGTH)}`);
  const message = printable(problem.message);
  return where.length > 0 ? `${where.join(', ')}: ${message}` : message;
}
