import { EXPIRE, PROCESS, STOP, type EvictionPolicy } from './eviction-policy.js';
import type { TriggerHandler, TriggerPolicy } from './trigger-policy.js';
import { WindowEvent } from './window-event.js';

/** Storm's EXPIRE_EVENTS_THRESHOLD: every this many adds, expired events at the head are dropped (and acked). */
const COMPACTION_EVERY = 100;

/** Who hears of expiries (to ack them) and evaluations (to run the user's window). */
export interface WindowListener<T> {
  onExpiry(expired: T[]): void;
  onActivation(events: T[], newEvents: T[], expired: T[], referenceTime: number): void;
}

/**
 * Storm's WindowManager: a queue of events in arrival order (never sorted by timestamp),
 * an eviction policy that says which events are in the window, a trigger policy that
 * says when to evaluate it. Expired events are reported before the evaluation that lists
 * them, so their acks precede the emits of that window.
 */
export class WindowManager<T> implements TriggerHandler {
  private queue: WindowEvent<T>[] = [];
  private expired: T[] = [];
  private previous = new Set<WindowEvent<T>>();
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
    if (++this.addsSinceExpiry >= COMPACTION_EVERY) this.scan(false);
  }

  /** Events queued now. */
  get size(): number {
    return this.queue.length;
  }

  onTrigger(): boolean {
    const windowEvents = this.scan(true);
    const expired = this.expired;
    this.expired = [];
    const events: T[] = [];
    const newEvents: T[] = [];
    for (const event of windowEvents) {
      events.push(event.value);
      if (!this.previous.has(event)) newEvents.push(event.value);
    }
    this.previous = new Set(windowEvents);
    const fired = events.length > 0;
    // An empty window is not evaluated, and what expired before it is reported to no evaluation (it was acked).
    if (fired) this.listener.onActivation(events, newEvents, expired, this.eviction.context!.referenceTime);
    this.trigger.reset();
    return fired;
  }

  /**
   * A full scan returns the window's events and drops expired ones wherever they are; a
   * partial one (compaction) drops expired events at the head and stops at the first other.
   */
  private scan(full: boolean): WindowEvent<T>[] {
    const toExpire: T[] = [];
    const inWindow: WindowEvent<T>[] = [];
    const queue = this.queue;
    const kept: WindowEvent<T>[] = [];
    let i = 0;
    for (; i < queue.length; i++) {
      const event = queue[i];
      const action = this.eviction.evict(event);
      if (action === EXPIRE) {
        toExpire.push(event.value);
        continue;
      }
      if (!full || action === STOP) break;
      if (action === PROCESS) inWindow.push(event);
      kept.push(event);
    }
    this.addsSinceExpiry = 0;
    if (toExpire.length > 0) {
      this.queue = i === queue.length ? kept : kept.concat(queue.slice(i));
      for (const value of toExpire) this.expired.push(value);
      this.listener.onExpiry(toExpire);
    }
    return inWindow;
  }

  /** Queued events with a timestamp at or before `ts` (event-time triggers). */
  eventCount(ts: number): number {
    let n = 0;
    for (const event of this.queue) if (event.ts <= ts) n++;
    return n;
  }

  /** The smallest timestamp in (`after`, `upTo`], or Infinity. */
  earliestEventTs(after: number, upTo: number): number {
    let min = Infinity;
    for (const event of this.queue) if (event.ts > after && event.ts <= upTo && event.ts < min) min = event.ts;
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
    for (const event of this.queue) {
      if (event.ts <= after || event.ts > upTo) continue;
      if (event.ts > max) max = event.ts;
      if (++count % every === 0) timestamps.push(max);
    }
    return timestamps;
  }
}
