import type { WindowSettings } from '@topo/topology-dsl';
import type { WindowClock } from './clock.js';
import { CountEviction } from './count-eviction.js';
import { CountTrigger } from './count-trigger.js';
import type { EvictionPolicy } from './eviction-policy.js';
import { TimeEviction } from './time-eviction.js';
import { TimeTrigger } from './time-trigger.js';
import type { TriggerPolicy } from './trigger-policy.js';
import { WatermarkCountEviction } from './watermark-count-eviction.js';
import { WatermarkCountTrigger } from './watermark-count-trigger.js';
import { WatermarkTimeEviction } from './watermark-time-eviction.js';
import { WatermarkTimeTrigger } from './watermark-time-trigger.js';
import type { WindowManager } from './window-manager.js';

/**
 * Gives a manager Storm's policies for its settings (WindowedBoltExecutor.initWindowManager):
 * the length picks the eviction policy, the slide the trigger, event time their watermark
 * variants. `schedule` runs each processing-time firing.
 */
export function installPolicies<T>(
  manager: WindowManager<T>,
  settings: WindowSettings,
  clock: WindowClock,
  schedule: (fire: () => void) => void,
  warn: (message: string) => void,
): void {
  const eventTime = settings.timestamp !== undefined;
  const { length, slide } = settings;
  let eviction: EvictionPolicy<T>;
  if ('count' in length) eviction = eventTime ? new WatermarkCountEviction(length.count) : new CountEviction(length.count);
  else eviction = eventTime ? new WatermarkTimeEviction(length.ms, settings.lagMs, clock) : new TimeEviction(length.ms, clock, warn);
  let trigger: TriggerPolicy<T>;
  if ('count' in slide) trigger = eventTime ? new WatermarkCountTrigger(slide.count, manager, eviction) : new CountTrigger(slide.count, manager, eviction, clock);
  else trigger = eventTime ? new WatermarkTimeTrigger(slide.ms, manager, eviction) : new TimeTrigger(slide.ms, manager, eviction, clock, schedule);
  manager.eviction = eviction;
  manager.trigger = trigger;
}
