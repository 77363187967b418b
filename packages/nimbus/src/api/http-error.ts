import { TopoError, type ValidationProblem } from '@topo/topology-dsl';

/** A request nimbus refuses: the status to answer with, the message, and any problems found. */
export class HttpError extends TopoError {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: ValidationProblem[] = [],
  ) {
    super(message, { status });
  }
}
