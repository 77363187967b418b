import { TopoError, customGroupingName, type CompiledTopology, type GroupingDefinition } from '@topo/topology-dsl';
import type { StreamFields } from '../tuple-impl.js';
import type { StreamCatalog } from './stream-catalog.js';
import type { TaskLayout } from '../worker/task-layout.js';
import { AllGrouping } from './all-grouping.js';
import { CustomGrouping } from './custom-grouping.js';
import { FieldsGrouping } from './fields-grouping.js';
import { GlobalGrouping } from './global-grouping.js';
import type { Grouper } from './grouper.js';
import { LocalOrShuffleGrouping } from './local-or-shuffle-grouping.js';
import { PartialKeyGrouping } from './partial-key-grouping.js';
import { ShuffleGrouping } from './shuffle-grouping.js';

/** One output stream of one component: its fields and every subscriber's grouper. */
export class StreamRoutes {
  readonly groupers: Grouper[] = [];
  /** Tasks that may receive `emitDirect` on this stream (subscribers with direct grouping). */
  readonly directTasks = new Map<number, readonly number[]>();

  constructor(
    readonly fields: StreamFields,
    readonly direct: boolean,
  ) {}

  /** Every subscriber's choice of tasks for one tuple; shared arrays when one subscriber, so routing allocates nothing. */
  choose(values: readonly unknown[]): readonly number[] {
    const groupers = this.groupers;
    if (groupers.length === 1) return groupers[0].choose(values);
    if (groupers.length === 0) return NO_TASKS;
    const all: number[] = [];
    for (const g of groupers) for (const t of g.choose(values)) all.push(t);
    return all;
  }
}

const NO_TASKS: readonly number[] = [];

/**
 * Builds the routes of one component's streams. Each executor builds its own, so
 * round-robin and load counters are per emitter, as in Storm.
 */
export function buildStreamRoutes(
  compiled: CompiledTopology,
  layout: TaskLayout,
  catalog: StreamCatalog,
  component: string,
  isLocal: (task: number) => boolean,
): Map<string, StreamRoutes> {
  const { definition } = compiled;
  const self = definition.components.find((c) => c.name === component);
  if (self === undefined) throw new TopoError(`unknown component ${component}`, { component });
  const routes = new Map<string, StreamRoutes>();
  for (const [stream, decl] of Object.entries(self.streams)) {
    routes.set(stream, new StreamRoutes(catalog.get(component, stream)!, decl.direct));
  }
  for (const subscriber of definition.components) {
    for (const input of subscriber.inputs) {
      if (input.component !== component) continue;
      const stream = routes.get(input.stream)!;
      const tasks = layout.componentTasks.get(subscriber.name)!;
      if (input.grouping.type === 'direct') {
        for (const task of tasks) stream.directTasks.set(task, [task]);
        continue;
      }
      const name = customGroupingName(subscriber.name, input);
      stream.groupers.push(makeGrouper(input.grouping, tasks, stream.fields, isLocal, compiled, name));
    }
  }
  return routes;
}

function makeGrouper(
  grouping: GroupingDefinition,
  tasks: readonly number[],
  fields: StreamFields,
  isLocal: (task: number) => boolean,
  compiled: CompiledTopology,
  customName: string,
): Grouper {
  // One task leaves nothing to choose: skip hashing and counters. A custom grouping still runs, since it may drop tuples.
  if (tasks.length === 1 && grouping.type !== 'custom') return new GlobalGrouping(tasks);
  switch (grouping.type) {
    case 'shuffle':
    case 'none':
      return new ShuffleGrouping(tasks);
    case 'fields':
      return new FieldsGrouping(tasks, grouping.fields.map((f) => fields.positions.get(f)!));
    case 'partialKey':
      return new PartialKeyGrouping(tasks, grouping.fields.map((f) => fields.positions.get(f)!));
    case 'all':
      return new AllGrouping(tasks);
    case 'global':
      return new GlobalGrouping(tasks);
    case 'localOrShuffle':
      return new LocalOrShuffleGrouping(tasks, isLocal);
    case 'custom': {
      const fn = compiled.customGroupings.get(grouping.name);
      if (fn === undefined) throw new TopoError(`custom grouping ${grouping.name} has no function in this topology module`, { grouping: grouping.name });
      return new CustomGrouping(tasks, fn, customName);
    }
    default:
      throw new TopoError(`unsupported grouping ${(grouping as { type: string }).type}`);
  }
}
