/**
 * Where a ShellBolt takes the commands that make up nearly all of its subprocess's
 * output: acks, fails and emits without a direct task, with tuple ids as the numbers
 * the engine sent them as. A decoder given one reads those commands, in the exact forms
 * Topo's adapter writes them and with ids in the engine's own decimal form, without a
 * message object or a string per id; every other message still reaches its `onMessage`,
 * and the order of the two is the order on the wire.
 */
export interface BoltOutputSink {
  /** `{command: 'ack' | 'fail', id}`. */
  onFinish(failed: boolean, id: number): void;
  /** `{command: 'emit', anchors, stream, tuple, need_task_ids}`; its anchor ids are the first `anchorCount` of `anchors`, an array reused for every emit. */
  onEmit(anchors: readonly number[], anchorCount: number, stream: string, tuple: unknown[], needTaskIds: boolean): void;
}

/** Anchors a hot emit may have; an emit with more is read as a message. */
export const MAX_HOT_ANCHORS = 15;
/** Digits of a hot tuple id: more could not be a number the engine handed out. */
const MAX_ID_DIGITS = 15;

/**
 * A hot command a reader has read and not yet handed on: the reader fills it and
 * returns HOT, and its decoder calls `deliver` once any messages before it have gone.
 */
export class HotCommand {
  emit = false;
  failed = false;
  id = 0;
  readonly anchors: number[] = new Array<number>(MAX_HOT_ANCHORS).fill(0);
  anchorCount = 0;
  stream = '';
  tuple: unknown[] = [];
  needTaskIds = false;

  deliver(sink: BoltOutputSink): void {
    if (!this.emit) {
      sink.onFinish(this.failed, this.id);
      return;
    }
    sink.onEmit(this.anchors, this.anchorCount, this.stream, this.tuple, this.needTaskIds);
  }
}

/** What a reader returns for a message it read into its HotCommand. */
export const HOT: unique symbol = Symbol('hot command');

/**
 * The tuple id spelled by the bytes of `buf` from `start` to `end` as the engine writes
 * ids (`String` of a counter: digits, no leading zero), or -1 for any other text.
 */
export function decimalId(buf: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length < 1 || length > MAX_ID_DIGITS || (buf[start] === 0x30 && length > 1)) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = buf[i] - 0x30;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}
