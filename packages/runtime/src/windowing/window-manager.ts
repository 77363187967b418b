import { EXPIRE, PROCESS, STOP, type EvictionPolicy } from './eviction-policy.js';
import type { TriggerHandler, TriggerPolicy } from './trigger-policy.js';
import { WindowEvent } from './window-event.js';

/** Storm's EXPIRE_EVENTS_THRESHOLD: every this many adds, expired events at the head are dropped (and acked). */
const COMPACTION_EVERY = 100;

/** Who hears of expiries (to ack them) and evaluations (to run the user's window). */
export interface WindowListener<T> {
  /** An event left the window; called before the evaluation that lists it as expired. */
  onExpired(value: T): void;
  onActivation(events: T[], newEvents: T[], expired: T[], referenceTime: number): void;
}

/**
 * Storm's WindowManager: a queue of events in arrival order (never sorted by timestamp),
 * an eviction policy that says which events are in the window, a trigger policy that
 * says when to evaluate it. Expired events are reported before the evaluation that lists
 * them, so their acks precede the emits of that window.
 */
export class WindowManager<T> implements TriggerHandler {
  /** Events from `head` on are queued; expiring at the head (the usual case) only moves `head`. */
  private readonly queue: WindowEvent<T>[] = [];
  private head = 0;
  private expired: T[] = [];
  /** Evaluations attempted so far: an event marked with the previous one's number was in the previous window. */
  private activation = 0;
  private addsSinceExpiry = 0;
  eviction!: EvictionPolicy<T>;
  trigger!: TriggerPolicy<T>;

  constructor(private readonly listener: WindowListener<T>) {}

  /** Queues an input with its timestamp and lets the policies see it (a count trigger may fire inside). */
  add(value: T, ts: number): void {
    const event = new WindowEvent(value, ts, false);
    this.queue.push(event);
    this.track(event);
  }

  /** Passes a watermark to the policies; watermarks drive event-time triggers and are never queued. */
  addWatermark(ts: number): void {
    this.track(new WindowEvent(undefined as T, ts, true));
  }

  private track(event: WindowEvent<T>): void {
    this.eviction.track(event);
    this.trigger.track(event);
    if (++this.addsSinceExpiry >= COMPACTION_EVERY) this.compact();
  }

  /** Events queued now. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /**
   * Evaluates the window: a full scan expires what the eviction policy says wherever it
   * is (reporting each before the evaluation) and collects the window's events, stopping
   * early where the policy says nothing later can qualify.
   */
  onTrigger(): boolean {
    const previous = this.activation++;
    const current = this.activation;
    const events: T[] = [];
    const newEvents: T[] = [];
    const queue = this.queue;
    const n = queue.length;
    const eviction = this.eviction;
    let head = this.head;
    // Where the next kept event goes: expired events before the first kept one only move the head.
    let kept = head;
    let i = head;
    for (; i < n; i++) {
      const event = queue[i];
      const action = eviction.evict(event);
      if (action === EXPIRE) {
        this.expire(event.value);
        if (kept === head) kept = head = i + 1;
        continue;
      }
      if (action === STOP) break;
      if (action === PROCESS) {
        events.push(event.value);
        // Storm keeps the previous window's events in an identity set; a mark per event is the same test without hashing.
        if (event.shownIn !== previous) newEvents.push(event.value);
        event.shownIn = current;
      }
      if (kept !== i) queue[kept] = event;
      kept++;
    }
    this.settleQueue(head, kept, i);
    const expired = this.expired;
    this.expired = [];
    const fired = events.length > 0;
    // An empty window is not evaluated, and what expired before it is reported to no evaluation (it was acked).
    if (fired) this.listener.onActivation(events, newEvents, expired, eviction.context!.referenceTime);
    this.trigger.reset();
    return fired;
  }

  /** Storm's compaction, every 100 adds: expires events at the head, stopping at the first the policy keeps. */
  private compact(): void {
    const queue = this.queue;
    let head = this.head;
    while (head < queue.length && this.eviction.evict(queue[head]) === EXPIRE) this.expire(queue[head++].value);
    this.settleQueue(head, head, head);
  }

  private expire(value: T): void {
    this.expired.push(value);
    this.listener.onExpired(value);
  }

  /**
   * After a scan: the queue now starts at `head`; events `kept`..`scanned` expired after a
   * kept one, so the rest moves down over them. The consumed head is dropped once it is
   * most of the array, which amortizes the copy.
   */
  private settleQueue(head: number, kept: number, scanned: number): void {
    const queue = this.queue;
    if (kept < scanned) {
      queue.copyWithin(kept, scanned);
      queue.length -= scanned - kept;
    }
    this.head = head;
    if (head > 1024 && head * 2 > queue.length) {
      queue.copyWithin(0, head);
      queue.length -= head;
      this.head = 0;
    }
    this.addsSinceExpiry = 0;
  }

  /** Queued events with a timestamp at or before `ts` (event-time triggers). */
  eventCount(ts: number): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) if (this.queue[i].ts <= ts) n++;
    return n;
  }

  /** The smallest timestamp in (`after`, `upTo`], or Infinity. */
  earliestEventTs(after: number, upTo: number): number {
    let min = Infinity;
    for (let i = this.head; i < this.queue.length; i++) {
      const ts = this.queue[i].ts;
      if (ts > after && ts <= upTo && ts < min) min = ts;
    }
    return min;
  }

  /**
   * Walks the queue in arrival order over events with a timestamp in (`after`, `upTo`],
   * keeping the largest timestamp seen, and records it at every `every`-th such event:
   * the ends of event-time count windows (STORM-1964's fix for equal timestamps).
   */
  slidingCountTimestamps(after: number, upTo: number, every: number): number[] {
    const timestamps: number[] = [];
    if (upTo <= after) return timestamps;
    let count = 0;
    let max = -Infinity;
    for (let i = this.head; i < this.queue.length; i++) {
      const ts = this.queue[i].ts;
      if (ts <= after || ts > upTo) continue;
      if (ts > max) max = ts;
      if (++count % every === 0) timestamps.push(max);
    }
    return timestamps;
  }
}
