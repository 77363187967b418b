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

// Streams Storm adds to every component (system.clj / StormCommon), so components see the same context as under Storm.
const SYSTEM_STREAMS: Record<string, string[]> = { __system: ['event'], __metrics: ['task-info', 'data-points'] };
const SPOUT_ACK_STREAMS: Record<string, string[]> = { __ack_init: ['id', 'init-val', 'spout-task'] };
const BOLT_ACK_STREAMS: Record<string, string[]> = { __ack_ack: ['id', 'ack-val'], __ack_fail: ['id'], __ack_reset_timeout: ['id'] };
const ACKER_STREAMS: Record<string, string[]> = {
  __ack_ack: ['id', 'time-delta-ms'],
  __ack_fail: ['id', 'time-delta-ms'],
  __ack_reset_timeout: ['id', 'time-delta-ms'],
};
const BY_ACK_ID: StormGrouping = { type: 'FIELDS', fields: ['id'] };

/**
 * Builds the handshake's `context` for one task the way Storm's TopologyContext writes
 * itself to JSON: every task of the topology (the acker included), this component's
 * streams with the system streams Storm adds, who subscribes to them and how, and what
 * this component subscribes to.
 */
export function stormContext(context: TopologyContext): StormContext {
  const definition = context.definition;
  if (definition === undefined) throw new TopoError(`${context.componentId}: the engine did not provide the topology definition a multi-lang handshake needs`);
  const self = findComponent(definition, context.componentId);
  const ackers = context.tasksOf(ACKER_COMPONENT).length > 0;

  const taskToComponent: Record<string, string> = {};
  for (const name of [...definition.components.map((c) => c.name), ACKER_COMPONENT]) {
    for (const task of context.tasksOf(name)) taskToComponent[String(task)] = name;
  }

  const outputs = streamsOf(definition, self.name, ackers);
  const targets: Record<string, Record<string, StormGrouping>> = {};
  for (const subscriber of definition.components) {
    for (const input of subscriber.inputs) {
      if (input.component === self.name) (targets[input.stream] ??= {})[subscriber.name] = stormGrouping(input.grouping);
    }
  }
  if (ackers) {
    const ackStreams = self.kind === 'spout' ? SPOUT_ACK_STREAMS : BOLT_ACK_STREAMS;
    for (const stream of Object.keys(ackStreams)) (targets[stream] ??= {})[ACKER_COMPONENT] = BY_ACK_ID;
  }

  const sources: Record<string, Record<string, StormGrouping>> = {};
  for (const input of self.inputs) (sources[input.component] ??= {})[input.stream] = stormGrouping(input.grouping);
  if (ackers && self.kind === 'spout') {
    // A spout hears from the ackers on their direct streams.
    sources[ACKER_COMPONENT] = Object.fromEntries(Object.keys(ACKER_STREAMS).map((s) => [s, { type: 'DIRECT' } as StormGrouping]));
  }
  const sourceFields: Record<string, Record<string, string[]>> = {};
  for (const source of Object.keys(sources)) sourceFields[source] = streamsOf(definition, source, ackers);

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

/** Stream -> fields of a component, system streams included. */
function streamsOf(definition: TopologyDefinition, component: string, ackers: boolean): Record<string, string[]> {
  if (component === ACKER_COMPONENT) return { ...ACKER_STREAMS, ...SYSTEM_STREAMS };
  const c = findComponent(definition, component);
  const streams: Record<string, string[]> = {};
  for (const [stream, decl] of Object.entries(c.streams)) streams[stream] = [...decl.fields];
  if (ackers) Object.assign(streams, c.kind === 'spout' ? SPOUT_ACK_STREAMS : BOLT_ACK_STREAMS);
  return Object.assign(streams, SYSTEM_STREAMS);
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
