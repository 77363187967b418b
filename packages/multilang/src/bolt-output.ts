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

  finish(failed: boolean, id: number): void {
    this.emit = false;
    this.failed = failed;
    this.id = id;
  }

  /** An emit whose first `anchorCount` anchors the reader has put in `anchors`. */
  emitted(anchorCount: number, stream: string, tuple: unknown[], needTaskIds: boolean): void {
    this.emit = true;
    this.anchorCount = anchorCount;
    this.stream = stream;
    this.tuple = tuple;
    this.needTaskIds = needTaskIds;
  }

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

