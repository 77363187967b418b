import { TopoError, TICK_STREAM, type Tuple } from '@topo/topology-dsl';
import { INDEXED_FROM, rootAdded, rootPosition } from './root-positions.js';

/** Field names of one stream with their positions, shared by every tuple of that stream. */
export class StreamFields {
  readonly positions = new Map<string, number>();
  constructor(
    readonly component: string,
    readonly stream: string,
    readonly fields: readonly string[],
    /** Position in the topology's StreamCatalog: how tuples name their stream on the wire. */
    readonly index = -1,
  ) {
    fields.forEach((f, i) => this.positions.set(f, i));
  }
}

/** Streams with at most this many fields find a field by scanning the names instead of the map. */
const SCAN_FIELDS = 8;

export const TUPLE_PENDING = 0;
export const TUPLE_ACKED = 1;
export const TUPLE_FAILED = 2;

/**
 * A delivered tuple. Besides values it carries its tuple-tree bookkeeping: for each root
 * it descends from (`r0*` for the first, `more` for the rest, flat [rootHi, rootLo,
 * edgeHi, edgeLo, ...]), the value its ack reports to that root's acker (`e0*`, or the
 * edge pair in `more`): the XOR of the edge ids that created it and, once children are
 * anchored to it, of theirs.
 */
export class TupleImpl implements Tuple {
  // Set in the constructor rather than by field initializers, which V8 runs as a second
  // function: a constructor this small is inlined into the emits, twice per tuple.
  declare readonly values: unknown[];
  declare readonly streamFields: StreamFields;
  declare readonly sourceTask: number;
  declare r0h: number;
  declare r0l: number;
  declare e0h: number;
  declare e0l: number;
  declare more: number[] | null;
  declare state: number;

  constructor(values: unknown[], streamFields: StreamFields, sourceTask: number) {
    this.values = values;
    this.streamFields = streamFields;
    this.sourceTask = sourceTask;
    this.r0h = 0;
    this.r0l = 0;
    this.e0h = 0;
    this.e0l = 0;
    this.more = null;
    this.state = TUPLE_PENDING;
  }

  get sourceComponent(): string {
    return this.streamFields.component;
  }
  get sourceStream(): string {
    return this.streamFields.stream;
  }
  get fields(): readonly string[] {
    return this.streamFields.fields;
  }

  get(field: string): unknown {
    const fields = this.streamFields.fields;
    // A few names compare faster than they hash (literal names are interned: one pointer compare each).
    if (fields.length <= SCAN_FIELDS) {
      for (let i = 0; i < fields.length; i++) if (fields[i] === field) return this.values[i];
    }
    const i = this.streamFields.positions.get(field);
    if (i === undefined) {
      throw new TopoError(
        `stream ${this.streamFields.stream} of ${this.streamFields.component} has no field ${field} (fields: ${this.streamFields.fields.join(', ')})`,
        { component: this.streamFields.component, stream: this.streamFields.stream, field },
      );
    }
    return this.values[i];
  }

  isTick(): boolean {
    return this.streamFields.stream === TICK_STREAM;
  }

  get tracked(): boolean {
    return (this.r0h | this.r0l) !== 0;
  }

  /** XORs an edge id into this tuple's entry for `root`, adding the root if new. */
  addEdge(rootHi: number, rootLo: number, edgeHi: number, edgeLo: number): void {
    if ((this.r0h | this.r0l) === 0) {
      this.r0h = rootHi;
      this.r0l = rootLo;
      this.e0h = edgeHi;
      this.e0l = edgeLo;
      return;
    }
    if (this.r0h === rootHi && this.r0l === rootLo) {
      this.e0h ^= edgeHi;
      this.e0l ^= edgeLo;
      return;
    }
    const more = (this.more ??= []);
    if (more.length >= INDEXED_FROM) {
      const at = rootPosition(more, rootHi, rootLo);
      if (at >= 0) {
        more[at + 2] ^= edgeHi;
        more[at + 3] ^= edgeLo;
      } else {
        more.push(rootHi, rootLo, edgeHi, edgeLo);
        rootAdded(more, more.length - 4);
      }
      return;
    }
    for (let i = 0; i < more.length; i += 4) {
      if (more[i] === rootHi && more[i + 1] === rootLo) {
        more[i + 2] ^= edgeHi;
        more[i + 3] ^= edgeLo;
        return;
      }
    }
    more.push(rootHi, rootLo, edgeHi, edgeLo);
  }
}
