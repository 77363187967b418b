import { TopoError, type ValidationProblem } from '@topo/topology-dsl';

/** A value in Redis that does not match its schema (written by a different version, or by hand). */
export class ClusterStateError extends TopoError {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`stored value at ${key} is not valid: ${detail}`, { key });
  }
}

/** A bundle that cannot be built, stored or unpacked; `context` names the file or path. */
export class BundleError extends TopoError {}

/** An answer from nimbus other than success: the status, nimbus's message, and any problems it listed. */
export class NimbusApiError extends TopoError {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: ValidationProblem[] = [],
    readonly url = '',
  ) {
    super(message, { status, url });
  }
}

/** No nimbus answered at any of the given URLs. */
export class NimbusUnreachableError extends TopoError {
  constructor(
    readonly urls: string[],
    readonly reasons: string[],
  ) {
    super(`cannot reach nimbus at ${urls.map((u, i) => `${u} (${reasons[i]})`).join(', ')}`, { urls });
  }
}
