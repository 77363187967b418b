import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { ComponentDefinition, InputDefinition, StreamDefinition, TopologyDefinition } from './definition.js';
import type { TopologyConfig } from './config.js';
import type { ValidationProblem } from './errors.js';
import { limitProblems } from './limit-problems.js';
import type { TopologyLimits } from './limits.js';
import { LABEL_PATTERN, NAME_MAX_LENGTH, nameProblem } from './names.js';
import { excerpt, quoted } from './printable.js';
import { CHECKPOINT_COMPONENT, CHECKPOINT_STREAM } from './checkpoint.js';
import { stateProblems } from './state-problems.js';
import { windowProblems } from './window-problems.js';

/** Messages echo names and values from the definition; past this they are cut (Topo's bound). */
const MESSAGE_MAX_LENGTH = 1000;

let compiledSchema: ValidateFunction<TopologyDefinition> | undefined;

/**
 * The definition schema's validator, compiled by ajv at build time (validator-schemas.ts)
 * and loaded on first use: compiling it at run time cost each CLI command, daemon and
 * worker 0.12 s of CPU.
 */
function schemaCheck(): ValidateFunction<TopologyDefinition> {
  compiledSchema ??= (createRequire(import.meta.url)('./validators.cjs') as { topologyDefinition: ValidateFunction<TopologyDefinition> }).topologyDefinition;
  return compiledSchema;
}

export interface ValidateOptions {
  /**
   * Limits of whoever will run the topology (nimbus's settings): the topology's own config
   * may lower a limit but never raise it above these. Without them, the topology's config
   * (else the defaults) decides, as it should on the user's own machine.
   */
  ceilings?: Partial<TopologyLimits>;
}

/**
 * Every problem of a definition at once: schema violations (types, names, p and tasks,
 * config types), graph problems (unknown inputs, undeclared fields, direct mismatches,
 * ...) and sizes over their limits (`limits.ts`). An empty array means the topology can
 * run. Messages are printable whatever the definition holds: they reach terminals and logs.
 */
export function validate(definition: unknown, options: ValidateOptions = {}): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const checkSchema = schemaCheck();
  if (!checkSchema(definition)) {
    // An `if` error only says "must match then", and a `propertyNames` one "property name
    // must be valid"; the error from inside says what is wrong.
    const errors = (checkSchema.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
    problems.push(...errors.map((e) => schemaProblem(definition, e)));
  }
  if (typeof definition === 'object' && definition !== null && Array.isArray((definition as TopologyDefinition).components)) {
    const components = (definition as TopologyDefinition).components.filter(isComponentShaped);
    problems.push(...graphProblems(components));
    const config = (definition as TopologyDefinition).config;
    const topologyConfig = isObject(config) && !Array.isArray(config) ? (config as TopologyConfig) : {};
    const byName = new Map(components.map((c) => [c.name, c]));
    for (const c of components) if (c.windowed === true && isObject(c.config)) problems.push(...windowProblems(c, topologyConfig, byName));
    problems.push(...stateProblems(components.filter((c) => isObject(c.config)), topologyConfig));
    problems.push(...limitProblems(topologyConfig, components, options.ceilings));
  }
  for (const problem of problems) problem.message = excerpt(problem.message, MESSAGE_MAX_LENGTH);
  return problems;
}

// The graph checks run even when the schema fails, so that one pass reports everything;
// these guards keep them to the parts whose shape they rely on (the schema reports the rest).
function isComponentShaped(c: unknown): c is ComponentDefinition {
  const o = c as ComponentDefinition;
  return isObject(o) && typeof o.name === 'string' && Array.isArray(o.inputs) && isObject(o.streams);
}

function isInputShaped(i: unknown): i is InputDefinition {
  const o = i as InputDefinition;
  return isObject(o) && typeof o.component === 'string' && typeof o.stream === 'string';
}

function isStreamShaped(s: unknown): s is StreamDefinition {
  return isObject(s) && Array.isArray((s as StreamDefinition).fields);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function graphProblems(components: ComponentDefinition[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const byName = new Map<string, ComponentDefinition>();
  const counts = new Map<string, number>();
  for (const c of components) {
    counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    if (!byName.has(c.name)) byName.set(c.name, c);
  }
  for (const [name, count] of counts) {
    if (count > 1) problems.push({ code: 'duplicate-name', component: name, message: `${count} components are named ${name}; names must be unique` });
    if (name.startsWith('__')) problems.push({ code: 'reserved-name', component: name, message: 'names starting with __ are reserved for system components' });
  }
  if (!components.some((c) => c.kind === 'spout')) {
    problems.push({ code: 'no-spout', message: 'the topology has no spout; at least one component must be a Spout' });
  }
  for (const c of components) {
    // Only between valid counts: the schema already reports a tasks or p below 1 or fractional.
    if (Number.isInteger(c.tasks) && Number.isInteger(c.parallelism) && c.tasks >= 1 && c.tasks < c.parallelism) {
      problems.push({ code: 'tasks-below-parallelism', component: c.name, message: `tasks (${c.tasks}) must be at least the parallelism (${c.parallelism})` });
    }
    if (c.kind === 'bolt' && c.inputs.length === 0) {
      problems.push({ code: 'bolt-without-inputs', component: c.name, message: 'bolt has no inputs; give it `input:` or `inputs:`' });
    }
    // A spout's one input is the checkpoint spout's barriers, which the engine handles itself.
    if (c.kind === 'spout' && c.inputs.some((i) => !isInputShaped(i) || i.component !== CHECKPOINT_COMPONENT || i.stream !== CHECKPOINT_STREAM)) {
      problems.push({ code: 'spout-with-inputs', component: c.name, message: `a spout cannot have inputs (only the ${CHECKPOINT_STREAM} stream of ${CHECKPOINT_COMPONENT}, which the compiler adds)` });
    }
    const inputs = c.inputs.filter(isInputShaped);
    for (const input of inputs) problems.push(...inputProblems(c, input, byName));
    problems.push(...duplicateInputProblems(c, inputs));
  }
  return problems;
}

/** Storm keeps one grouping per subscribed stream; a second would deliver every tuple twice. */
function duplicateInputProblems(component: ComponentDefinition, inputs: InputDefinition[]): ValidationProblem[] {
  const seen = new Set<string>();
  const problems: ValidationProblem[] = [];
  for (const input of inputs) {
    const key = JSON.stringify([input.component, input.stream]);
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    problems.push({
      code: 'duplicate-input',
      component: component.name,
      stream: input.stream,
      message: `subscribes to stream ${input.stream} of ${input.component} more than once; each stream can be an input once, with one grouping`,
    });
  }
  return problems;
}

function inputProblems(
  component: ComponentDefinition,
  input: InputDefinition,
  byName: Map<string, ComponentDefinition>,
): ValidationProblem[] {
  const where = { component: component.name, stream: input.stream };
  const source = byName.get(input.component);
  if (source === undefined) {
    const known = [...byName.keys()].join(', ') || 'none';
    return [{ code: 'unknown-input', ...where, message: `input from unknown component ${input.component} (components: ${known}); is the spec a property of the topology?` }];
  }
  const stream = Object.hasOwn(source.streams, input.stream) ? source.streams[input.stream] : undefined;
  if (stream === undefined) {
    const declared = Object.keys(source.streams).join(', ') || 'none';
    return [{ code: 'unknown-stream', ...where, message: `input from ${source.name} on stream ${input.stream}, which ${source.name} does not declare (it declares: ${declared})` }];
  }
  if (!isStreamShaped(stream)) return [];
  const problems: ValidationProblem[] = [];
  const grouping = input.grouping;
  if (grouping?.type === 'fields' || grouping?.type === 'partialKey') {
    for (const field of Array.isArray(grouping.fields) ? grouping.fields : []) {
      if (!stream.fields.includes(field)) {
        problems.push({
          code: 'unknown-field',
          ...where,
          field,
          message: `${grouping.type} grouping on field ${field}, which stream ${input.stream} of ${source.name} does not declare (it declares: ${stream.fields.join(', ') || 'no fields'})`,
        });
      }
    }
  }
  if (grouping?.type === 'direct' && !stream.direct) {
    problems.push({ code: 'direct-on-non-direct-stream', ...where, message: `direct grouping on stream ${input.stream} of ${source.name}, which is not declared direct` });
  }
  if (grouping !== undefined && grouping.type !== 'direct' && stream.direct) {
    problems.push({ code: 'non-direct-on-direct-stream', ...where, message: `stream ${input.stream} of ${source.name} is direct; subscribe to it with .direct(), not ${grouping.type}` });
  }
  return problems;
}

/** Turns an ajv error into a problem that names the component, stream or config key it is about. */
function schemaProblem(definition: unknown, error: ErrorObject): ValidationProblem {
  const path = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const problem: ValidationProblem = { code: `schema-${error.keyword}`, message: '' };
  let subject = 'topology';
  let rest = path;
  if (path[0] === 'components' && path.length >= 2) {
    const component = (definition as TopologyDefinition).components?.[Number(path[1])] as unknown as Record<string, unknown> | undefined;
    problem.component = typeof component?.name === 'string' ? component.name : `#${path[1]}`;
    subject = `component ${problem.component}`;
    rest = path.slice(2);
  }
  if (rest[0] === 'config' && rest.length >= 2) {
    problem.configKey = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'streams' && rest.length >= 2) {
    problem.stream = rest[1];
  }
  let what = problem.configKey ?? (rest.length > 0 ? rest.join('.') : subject);
  if (error.propertyName !== undefined && rest.length === 1 && rest[0] === 'streams') {
    problem.stream = error.propertyName;
    what = 'stream name';
  } else if (rest[0] === 'streams' && rest[2] === 'fields' && rest.length === 4) {
    const field = valueAt(definition, path);
    if (typeof field === 'string') problem.field = field;
    what = 'field name';
  }
  if (rest[0] === 'inputs' && rest.length >= 2) {
    const input = valueAt(definition, path.slice(0, path.length - rest.length + 2));
    const { stream, component } = (isObject(input) ? input : {}) as Partial<InputDefinition>;
    if (typeof stream === 'string') problem.stream = stream;
    const which = `input ${Number(rest[1]) + 1}${typeof component === 'string' ? ` (from ${component})` : ''}`;
    what = rest.length > 2 ? `${rest.slice(2).join('.')} of ${which}` : which;
  }
  const value = error.propertyName ?? valueAt(definition, path);
  // JSON has no NaN or Infinity, so JSON.stringify would show them as null.
  const shown = typeof value === 'string' ? quoted(value, NAME_MAX_LENGTH) : typeof value === 'number' ? String(value) : JSON.stringify(value);
  const got = value === undefined || typeof value === 'object' ? '' : ` (got ${shown})`;
  problem.message = `${what} ${schemaMessage(error, value)}${got}`;
  return problem;
}

/** Ajv's message, with the details it leaves in `params` where a user needs them. */
function schemaMessage(error: ErrorObject, value: unknown): string {
  switch (error.keyword) {
    case 'pattern':
    case 'maxLength': {
      // The schema's only patterns and maximum lengths are the name rules (names.ts).
      const broken = typeof value === 'string' ? nameProblem(value, error.params.pattern === LABEL_PATTERN ? 'label' : 'name') : undefined;
      return broken ?? error.message ?? 'is invalid';
    }
    case 'minLength':
      return value === '' ? 'must not be empty' : (error.message ?? 'is too short');
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'additionalProperties':
      return `has unknown property ${String(error.params.additionalProperty)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
