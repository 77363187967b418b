import {
  ACKER_COMPONENT,
  TopoError,
  type ComponentDefinition,
  type GroupingDefinition,
  type TopologyContext,
  type TopologyDefinition,
} from '@topo/topology-dsl';

/** A grouping as Storm writes it into the handshake (`Grouping._Fields` names). */
export interface StormGrouping {
  type: 'SHUFFLE' | 'FIELDS' | 'ALL' | 'NONE' | 'DIRECT' | 'LOCAL_OR_SHUFFLE' | 'CUSTOM_OBJECT';
  fields?: string[];
}

/** The `context` of the multi-lang handshake, with exactly Storm's keys. */
export interface StormContext {
  'task->component': Record<string, string>;
  taskid: number;
  componentid: string;
  streams: string[];
  'stream->outputfields': Record<string, string[]>;
  'stream->target->grouping': Record<string, Record<string, StormGrouping>>;
  'source->stream->grouping': Record<string, Record<string, StormGrouping>>;
  'source->stream->fields': Record<string, Record<string, string[]>>;
}

// Streams Storm adds to every component (StormCommon's system and metrics streams, and the acker's).
const SYSTEM_STREAMS: Record<string, string[]> = { __system: ['event'], __metrics: ['task-info', 'data-points'] };
const SPOUT_ACK_STREAMS: Record<string, string[]> = { __ack_init: ['id', 'init-val', 'spout-task'] };
const BOLT_ACK_STREAMS: Record<string, string[]> = { __ack_ack: ['id', 'ack-val'], __ack_fail: ['id'], __ack_reset_timeout: ['id'] };

/**
 * Builds the handshake's `context` for one task. `task->component` covers every task, the
 * acker included, and the component's own `streams` and `stream->outputfields` include
 * the system streams Storm adds, as the protocol notes require. What the component hears
 * from (`source->stream->grouping`, `source->stream->fields`) and who subscribes to it
 * (`stream->target->grouping`) name only what the topology declares, as in the user
 * TopologyContext Storm gives shell components: pystorm's Bolt makes a namedtuple per
 * entry of `source->stream->fields`, and system field names such as `init-val` or
 * `task-info` are not Python identifiers, so it would die at startup.
 */
export function stormContext(context: TopologyContext): StormContext {
  const definition = context.definition;
  if (definition === undefined) throw new TopoError(`${context.componentId}: the engine did not provide the topology definition a multi-lang handshake needs`);
  const self = findComponent(definition, context.componentId);

  const taskToComponent: Record<string, string> = {};
  for (const name of [...definition.components.map((c) => c.name), ACKER_COMPONENT]) {
    for (const task of context.tasksOf(name)) taskToComponent[String(task)] = name;
  }

  const ackers = context.tasksOf(ACKER_COMPONENT).length > 0;
  const outputs = { ...streamsOf(self), ...SYSTEM_STREAMS, ...(ackers ? (self.kind === 'spout' ? SPOUT_ACK_STREAMS : BOLT_ACK_STREAMS) : {}) };
  const targets: Record<string, Record<string, StormGrouping>> = {};
  for (const subscriber of definition.components) {
    for (const input of subscriber.inputs) {
      if (input.component === self.name) (targets[input.stream] ??= {})[subscriber.name] = stormGrouping(input.grouping);
    }
  }

  const sources: Record<string, Record<string, StormGrouping>> = {};
  for (const input of self.inputs) (sources[input.component] ??= {})[input.stream] = stormGrouping(input.grouping);
  // Every declared stream of each source, subscribed to or not, as Storm's getThisInputFields gives them.
  const sourceFields: Record<string, Record<string, string[]>> = {};
  for (const source of Object.keys(sources)) sourceFields[source] = streamsOf(findComponent(definition, source));

  return {
    'task->component': taskToComponent,
    taskid: context.taskId,
    componentid: self.name,
    streams: Object.keys(outputs),
    'stream->outputfields': outputs,
    'stream->target->grouping': targets,
    'source->stream->grouping': sources,
    'source->stream->fields': sourceFields,
  };
}

/** Stream -> fields of a component's declared streams. */
function streamsOf(component: ComponentDefinition): Record<string, string[]> {
  const streams: Record<string, string[]> = {};
  for (const [stream, decl] of Object.entries(component.streams)) streams[stream] = [...decl.fields];
  return streams;
}

function findComponent(definition: TopologyDefinition, name: string): ComponentDefinition {
  const component = definition.components.find((c) => c.name === name);
  if (component === undefined) throw new TopoError(`component ${name} is not in topology ${definition.name}`, { component: name });
  return component;
}

/** Storm's name for a grouping; global is fields grouping on no fields, as Storm declares it. */
export function stormGrouping(grouping: GroupingDefinition): StormGrouping {
  switch (grouping.type) {
    case 'shuffle':
      return { type: 'SHUFFLE' };
    case 'fields':
      return { type: 'FIELDS', fields: [...grouping.fields] };
    case 'global':
      return { type: 'FIELDS', fields: [] };
    case 'all':
      return { type: 'ALL' };
    case 'none':
      return { type: 'NONE' };
    case 'direct':
      return { type: 'DIRECT' };
    case 'localOrShuffle':
      return { type: 'LOCAL_OR_SHUFFLE' };
    case 'partialKey':
    case 'custom':
      return { type: 'CUSTOM_OBJECT' };
  }
}
