/**
 * The message id a ShellSpout gives the engine for a tracked emit: the id the subprocess
 * chose, and which subprocess chose it. Acks and fails go back only to that subprocess; a
 * restarted one never hears about ids it did not emit.
 */
export class ShellMessageId {
  constructor(
    readonly incarnation: number,
    readonly id: unknown,
  ) {}
}
