import { TopoError, type ValidationProblem } from '@topo/topology-dsl';

/** A request nimbus refuses: the status to answer with, the message, any problems found, and headers to send with it. */
export class HttpError extends TopoError {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: ValidationProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message, { status });
  }
}
