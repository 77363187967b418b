import os from 'node:os';
import { TopoError } from '@topo/topology-dsl';
import type { Packr, Unpackr } from 'msgpackr';
import { ACKER_RECORD_WIDTH, RESULT_RECORD_WIDTH, writeAckerRecord, writeResultRecord } from '../acker/acker-messages.js';
import type { TupleImpl } from '../tuple-impl.js';

/** Ints per tuple: dest task, source task, stream index, first root (hi, lo), its edge (hi, lo). */
export const TUPLE_INTS = 7;
const COUNTS_BYTES = 12;
const BIG_ENDIAN = os.endianness() === 'BE';

/** A growable list of int32s. */
class IntList {
  data = new Int32Array(1024);
  length = 0;

  /** Index where `n` more ints may be written; the caller writes them. */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.data.length) {
      const bigger = new Int32Array(Math.max(this.data.length * 2, at + n));
      bigger.set(this.data.subarray(0, at));
      this.data = bigger;
    }
    this.length = at + n;
    return at;
  }
}

/**
 * Messages waiting for one peer until the end of the current tick, flushed as one frame.
 * The ids and addresses of tuples and all acker traffic are int32 records, copied into
 * the frame as raw bytes; only tuple values go through msgpack. (Packing every id as a
 * msgpack integer cost about as much as the values themselves.)
 *
 * Frame payload: `u32 tuples, u32 acker messages, u32 verdicts` (little-endian), the int
 * records of each in that order, then msgpack `[values of each tuple, extra roots]` where
 * extra roots are `[tuple index, [rootHi, rootLo, edgeHi, edgeLo, ...]]` pairs, flat.
 */
export class OutgoingBatch {
  private readonly tupleInts = new IntList();
  private readonly ackerInts = new IntList();
  private readonly resultInts = new IntList();
  private values: unknown[][] = [];
  private extraRoots: unknown[] = [];
  /** Messages of every kind queued. */
  size = 0;

  get tupleCount(): number {
    return this.values.length;
  }

  addTuple(dest: number, tuple: TupleImpl, streamIndex: number): void {
    const list = this.tupleInts;
    const i = list.reserve(TUPLE_INTS);
    const d = list.data;
    d[i] = dest;
    d[i + 1] = tuple.sourceTask;
    d[i + 2] = streamIndex;
    d[i + 3] = tuple.r0h;
    d[i + 4] = tuple.r0l;
    d[i + 5] = tuple.e0h;
    d[i + 6] = tuple.e0l;
    if (tuple.more !== null) this.extraRoots.push(this.values.length, tuple.more);
    this.values.push(tuple.values);
    this.size++;
  }

  addAcker(type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void {
    const list = this.ackerInts;
    // Reserve first: it may replace `data` with a bigger array.
    const at = list.reserve(ACKER_RECORD_WIDTH);
    writeAckerRecord(list.data, at, type, rootHi, rootLo, xorHi, xorLo, spoutTask);
    this.size++;
  }

  addResult(spoutTask: number, result: number, rootHi: number, rootLo: number): void {
    const list = this.resultInts;
    const at = list.reserve(RESULT_RECORD_WIDTH);
    writeResultRecord(list.data, at, spoutTask, result, rootHi, rootLo);
    this.size++;
  }

  /** The frame payload, with `prefix` bytes left free in front for the frame header; empties the batch. */
  encode(packr: Packr, prefix: number): Buffer {
    const packed = this.values.length > 0 ? packr.pack([this.values, this.extraRoots]) : undefined;
    const lists = [this.tupleInts, this.ackerInts, this.resultInts];
    let ints = 0;
    for (const list of lists) ints += list.length;
    const start = prefix + COUNTS_BYTES;
    const out = Buffer.allocUnsafe(start + ints * 4 + (packed?.length ?? 0));
    out.writeUInt32LE(this.values.length, prefix);
    out.writeUInt32LE(this.ackerInts.length / ACKER_RECORD_WIDTH, prefix + 4);
    out.writeUInt32LE(this.resultInts.length / RESULT_RECORD_WIDTH, prefix + 8);
    let at = start;
    for (const list of lists) {
      out.set(new Uint8Array(list.data.buffer, 0, list.length * 4), at);
      at += list.length * 4;
    }
    if (BIG_ENDIAN) out.subarray(start, at).swap32();
    if (packed !== undefined) out.set(packed, at);
    this.clear();
    return out;
  }

  /** The roots of every queued tuple, flat `[hi, lo, ...]` (to fail their trees), and empties the batch. */
  takeRoots(): number[] {
    const roots: number[] = [];
    const d = this.tupleInts.data;
    for (let i = 0; i < this.tupleInts.length; i += TUPLE_INTS) roots.push(d[i + 3], d[i + 4]);
    for (let k = 1; k < this.extraRoots.length; k += 2) {
      const more = this.extraRoots[k] as number[];
      for (let j = 0; j < more.length; j += 4) roots.push(more[j], more[j + 1]);
    }
    this.clear();
    return roots;
  }

  private clear(): void {
    this.tupleInts.length = 0;
    this.ackerInts.length = 0;
    this.resultInts.length = 0;
    this.values = [];
    this.extraRoots = [];
    this.size = 0;
  }
}

/** A batch frame as received: int records in one aligned array, values beside them. */
export interface IncomingBatch {
  /** Tuple records, then acker records, then verdict records. */
  ints: Int32Array;
  tuples: number;
  acker: number;
  results: number;
  values: unknown[][];
  /** `[tuple index, extra roots]` pairs, flat. */
  extraRoots: unknown[];
}

/** Decodes a batch frame payload; throws a TopoError naming what is wrong when it is malformed. */
export function decodeBatch(payload: Buffer, unpackr: Unpackr): IncomingBatch {
  if (payload.length < COUNTS_BYTES) throw new TopoError(`batch frame of ${payload.length} bytes is shorter than its ${COUNTS_BYTES}-byte counts`);
  const tuples = payload.readUInt32LE(0);
  const acker = payload.readUInt32LE(4);
  const results = payload.readUInt32LE(8);
  const intCount = tuples * TUPLE_INTS + acker * ACKER_RECORD_WIDTH + results * RESULT_RECORD_WIDTH;
  const valuesAt = COUNTS_BYTES + intCount * 4;
  if (valuesAt > payload.length) {
    throw new TopoError(`batch frame of ${payload.length} bytes claims ${tuples} tuples, ${acker} acker messages and ${results} verdicts, which need ${valuesAt}`);
  }
  // Copied out: the payload's offset need not be 4-byte aligned.
  const ints = new Int32Array(intCount);
  new Uint8Array(ints.buffer).set(payload.subarray(COUNTS_BYTES, valuesAt));
  if (BIG_ENDIAN) Buffer.from(ints.buffer).swap32();
  let values: unknown[][] = [];
  let extraRoots: unknown[] = [];
  if (tuples > 0) {
    const decoded = unpackr.unpack(payload.subarray(valuesAt)) as unknown;
    if (!Array.isArray(decoded) || !Array.isArray(decoded[0]) || decoded[0].length !== tuples || !Array.isArray(decoded[1])) {
      throw new TopoError(`batch frame's values do not match its ${tuples} tuples`);
    }
    [values, extraRoots] = decoded as [unknown[][], unknown[]];
  }
  return { ints, tuples, acker, results, values, extraRoots };
}
