import type { WindowEvent } from './window-event.js';

/** Decides when a window is evaluated; calls the manager's `onTrigger()`. */
export interface TriggerPolicy<T> {
  track(event: WindowEvent<T>): void;
  /** Called by the manager after every evaluation attempt. */
  reset(): void;
  /** Triggers ignore events (count) or do not run (time) until started. */
  start(): void;
  shutdown(): void;
}

/** What a trigger fires: evaluates the window; false when it was empty. */
export interface TriggerHandler {
  onTrigger(): boolean;
}
