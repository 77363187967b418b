import { TICK_STREAM, TopoError, type Tuple } from '@topo/topology-dsl';

/** The fields of the tick stream, as the engine declares them in-process. */
const TICK_FIELDS: readonly string[] = ['rate_secs'];

/** A tuple as a multi-lang subprocess receives it: the engine's id for acking, and Storm's fields. */
export class ProtocolTuple implements Tuple {
  /** Acked or failed already (a second ack is reported, not sent: the engine would treat it as a protocol violation). */
  finished = false;

  constructor(
    readonly id: string,
    readonly sourceComponent: string,
    readonly sourceStream: string,
    readonly sourceTask: number,
    readonly values: unknown[],
    readonly fields: readonly string[],
  ) {}

  static fieldsFor(stream: string, declared: readonly string[] | undefined): readonly string[] {
    return stream === TICK_STREAM ? TICK_FIELDS : (declared ?? []);
  }

  get(field: string): unknown {
    const i = this.fields.indexOf(field);
    if (i === -1) {
      throw new TopoError(`stream ${this.sourceStream} of ${this.sourceComponent} has no field ${field} (fields: ${this.fields.join(', ')})`, {
        component: this.sourceComponent,
        stream: this.sourceStream,
        field,
      });
    }
    return this.values[i];
  }

  isTick(): boolean {
    return this.sourceStream === TICK_STREAM;
  }
}
