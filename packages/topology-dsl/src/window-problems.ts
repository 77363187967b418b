import { DEFAULT_CONFIG, mergeConfig, type TopologyConfig } from './config.js';
import type { ComponentDefinition } from './definition.js';
import type { ValidationProblem } from './errors.js';
import { readWindowSettings, WINDOW_LATE_STREAM, WINDOW_LENGTH_COUNT, WINDOW_LENGTH_MS, type WindowSettings } from './window-config.js';

const TIMEOUT_KEY = 'topology.message.timeout.secs';
const PENDING_KEY = 'topology.max.spout.pending';

/**
 * Storm's checks of a windowed bolt (WindowedBoltExecutor.validate), run by `validate()`
 * so that `topo check`, `topo run` and nimbus refuse the topology before a worker starts,
 * where Storm's executor only dies at prepare. A window's tuples are acked when they leave
 * it, so a window that cannot finish inside the message timeout replays forever.
 */
export function windowProblems(component: ComponentDefinition, topologyConfig: TopologyConfig, byName: ReadonlyMap<string, ComponentDefinition>): ValidationProblem[] {
  const config = mergeConfig(DEFAULT_CONFIG, topologyConfig, component.config);
  const where = { component: component.name };
  const settings = readWindowSettings(config);
  if (settings === undefined) {
    return [{ code: 'window-length-missing', ...where, message: `window length is not specified; set ${WINDOW_LENGTH_COUNT} or ${WINDOW_LENGTH_MS} (the spec's window.length)` }];
  }
  const problems: ValidationProblem[] = [];
  const timeoutSecs = config[TIMEOUT_KEY];
  if (typeof timeoutSecs === 'number') {
    // Storm's rule: the first branch that applies, equality passes.
    const timeoutMs = timeoutSecs * 1000;
    const [what, ms] = checkedSize(settings, 'ms', 'window duration (length + sliding interval)');
    if (ms > timeoutMs) {
      problems.push({
        code: 'window-longer-than-timeout',
        ...where,
        configKey: TIMEOUT_KEY,
        message: `${what} value ${ms} ms is more than ${TIMEOUT_KEY} value ${timeoutMs} ms (${timeoutSecs} s): inputs are acked only when they leave the window, so they would time out and be replayed; raise ${TIMEOUT_KEY} to at least ${Math.ceil(ms / 1000)} or shorten the window`,
      });
    }
  }
  const pending = config[PENDING_KEY];
  if (typeof pending === 'number') {
    const [what, count] = checkedSize(settings, 'count', 'window count (length + sliding interval)');
    if (count > pending) {
      problems.push({
        code: 'window-larger-than-max-spout-pending',
        ...where,
        configKey: PENDING_KEY,
        message: `${what} value ${count} is more than ${PENDING_KEY} value ${pending}: the spouts would stop before the window fills, and its tuples are acked only when they leave it; raise ${PENDING_KEY} to at least ${count} or shrink the window`,
      });
    }
  }
  problems.push(...eventTimeProblems(component, config, byName));
  return problems;
}

/**
 * What Storm's rule compares in one dimension (durations or counts): the first branch
 * that applies of length + slide, the length alone, the slide alone; 0 when neither is
 * in that dimension.
 */
function checkedSize(settings: WindowSettings, unit: 'ms' | 'count', both: string): [string, number] {
  const size = (s: WindowSettings['length']) => (unit in s ? (s as Record<typeof unit, number>)[unit] : undefined);
  const length = size(settings.length);
  const slide = size(settings.slide);
  if (length !== undefined && slide !== undefined) return [both, length + slide];
  if (length !== undefined) return ['window length', length];
  if (slide !== undefined) return ['sliding interval', slide];
  return ['', 0];
}

function eventTimeProblems(component: ComponentDefinition, config: TopologyConfig, byName: ReadonlyMap<string, ComponentDefinition>): ValidationProblem[] {
  const settings = readWindowSettings(config)!;
  const where = { component: component.name };
  const problems: ValidationProblem[] = [];
  if (settings.lateStream !== undefined) {
    if (settings.timestamp === undefined) {
      problems.push({ code: 'window-late-stream-without-timestamp', ...where, stream: settings.lateStream, configKey: WINDOW_LATE_STREAM, message: 'a late tuple stream can be defined only with event time; give the window a timestamp field or extractor' });
    } else if (!Object.hasOwn(component.streams, settings.lateStream)) {
      problems.push({ code: 'window-late-stream-undeclared', ...where, stream: settings.lateStream, configKey: WINDOW_LATE_STREAM, message: `late tuple stream ${settings.lateStream} is not declared by the component; name it with the spec's window.lateStream, which declares it` });
    }
  }
  const timestamp = settings.timestamp;
  if (timestamp !== undefined && 'field' in timestamp) {
    for (const input of component.inputs) {
      const fields = byName.get(input.component)?.streams[input.stream]?.fields;
      if (Array.isArray(fields) && !fields.includes(timestamp.field)) {
        problems.push({
          code: 'window-timestamp-field-unknown',
          ...where,
          stream: input.stream,
          field: timestamp.field,
          message: `window timestamp field ${timestamp.field} is not a field of stream ${input.stream} of ${input.component} (it declares: ${fields.join(', ') || 'no fields'})`,
        });
      }
    }
  }
  return problems;
}
