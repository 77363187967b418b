import { CHECKPOINT_COMPONENT, CHECKPOINT_FIELDS, CHECKPOINT_STREAM } from './checkpoint.js';
import type { ComponentDefinition, InputDefinition } from './definition.js';
import { TopoError } from './errors.js';

/**
 * Wires checkpoints into a topology with a stateful component (Storm's rewrite, with
 * barriers that travel behind the data): the `$checkpointspout` system spout, the
 * `$checkpoint` stream on every component, every user spout subscribed to the checkpoint
 * spout and every bolt to `$checkpoint` of each component it reads, all grouped. Does
 * nothing when no component is stateful.
 */
export function addCheckpoints(components: ComponentDefinition[]): void {
  if (!components.some((c) => c.stateful === true)) return;
  for (const c of components) {
    if (c.name === CHECKPOINT_COMPONENT) {
      throw new TopoError(`component ${c.name}: the name ${CHECKPOINT_COMPONENT} belongs to the checkpoint spout of a stateful topology; rename the component`, { component: c.name });
    }
    if (Object.hasOwn(c.streams, CHECKPOINT_STREAM)) {
      throw new TopoError(`component ${c.name} declares stream ${CHECKPOINT_STREAM}, which carries the checkpoints of a stateful topology; rename the stream`, { component: c.name, stream: CHECKPOINT_STREAM });
    }
  }
  for (const c of components) {
    c.streams[CHECKPOINT_STREAM] = checkpointStream();
    const sources = c.kind === 'spout' ? [CHECKPOINT_COMPONENT] : [...new Set(c.inputs.map((i) => i.component))];
    c.inputs.push(...sources.map(checkpointInput));
  }
  components.push({
    name: CHECKPOINT_COMPONENT,
    kind: 'spout',
    className: 'CheckpointSpout',
    parallelism: 1,
    tasks: 1,
    streams: { [CHECKPOINT_STREAM]: checkpointStream() },
    inputs: [],
    config: {},
  });
}

/** The input a component needs from `source` to receive its checkpoint barriers. */
export function checkpointInput(source: string): InputDefinition {
  return { component: source, stream: CHECKPOINT_STREAM, grouping: { type: 'all' } };
}

function checkpointStream() {
  return { fields: [...CHECKPOINT_FIELDS], direct: false };
}
