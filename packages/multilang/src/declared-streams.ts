import { TopoError } from '@topo/topology-dsl';

/**
 * A subprocess component's own streams, from the handshake's `stream->outputfields`: emits
 * are checked against them before they go out, so a bad emit throws where it is made, as
 * it does in-process, instead of getting the subprocess killed for breaking the protocol.
 * The system streams listed there (`__system`, `__ack_ack`, ...) are the engine's alone.
 */
export class DeclaredStreams {
  private readonly outputFields: Readonly<Record<string, readonly string[]>> | undefined;

  constructor(
    private readonly component: string,
    outputFields: Readonly<Record<string, readonly string[]>> | undefined,
  ) {
    this.outputFields = outputFields && Object.fromEntries(Object.entries(outputFields).filter(([stream]) => !stream.startsWith('__')));
  }

  check(stream: string, values: readonly unknown[]): void {
    if (this.outputFields === undefined) return;
    const fields = this.outputFields[stream];
    if (fields === undefined) {
      throw new TopoError(`${this.component} emitted on stream ${stream}, which it does not declare (declared: ${Object.keys(this.outputFields).join(', ')})`, {
        component: this.component,
        stream,
      });
    }
    if (fields.length !== values.length) {
      throw new TopoError(`${this.component} emitted ${values.length} values on stream ${stream}, which declares ${fields.length} fields (${fields.join(', ')})`, {
        component: this.component,
        stream,
      });
    }
  }
}
