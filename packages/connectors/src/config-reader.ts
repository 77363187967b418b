import { TopoError, formatProblem, type ComponentDefinition, type TopologyConfig, type TopologyContext, type ValidationProblem } from '@topo/topology-dsl';
import { redisUrlProblem } from './redis-url.js';

/**
 * Reads a connector's keys from a component's merged config and collects a problem per
 * bad key, naming the component and the key. The same reader serves `validateComponent`
 * (problems reported at submit time) and `open()`/`prepare()` (values used at run time),
 * so the two can never disagree about what is valid.
 */
export class ConfigReader {
  readonly problems: ValidationProblem[] = [];

  constructor(
    private readonly component: Pick<ComponentDefinition, 'name' | 'className'>,
    private readonly config: Readonly<TopologyConfig>,
  ) {}

  /** What `read` finds wrong in a component's config: a connector's `validateComponent`, at submit time. */
  static problemsOf(component: Pick<ComponentDefinition, 'name' | 'className'>, config: Readonly<TopologyConfig>, read: (reader: ConfigReader) => unknown): ValidationProblem[] {
    const reader = new ConfigReader(component, config);
    read(reader);
    return reader.problems;
  }

  /**
   * The settings `read` takes from a running component's config, in `open()`/`prepare()`;
   * throws every problem, for a component that runs without having been validated.
   */
  static settingsOf<S>(component: object, context: TopologyContext, read: (reader: ConfigReader) => S): S {
    const reader = new ConfigReader({ name: context.componentId, className: component.constructor.name }, context.config);
    const settings = read(reader);
    reader.throwIfInvalid();
    return settings;
  }

  /** A non-empty string; `option` is the spec option that sets the key, for the message. */
  requiredString(key: string, option: string): string {
    const value = this.config[key];
    if (typeof value === 'string' && value !== '') return value;
    this.problem(key, value === undefined || value === null ? `${this.component.className} needs ${option}: pass \`${option}\` to ${this.component.className}.spec() or set ${key}` : `must be a non-empty string (got ${JSON.stringify(value)})`);
    return '';
  }

  optionalString(key: string): string | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    this.problem(key, `must be a non-empty string (got ${JSON.stringify(value)})`);
    return undefined;
  }

  /** The Redis URL the component connects to. */
  redisUrl(key: string, option: string): string {
    const url = this.requiredString(key, option);
    if (url === '') return url;
    const problem = redisUrlProblem(url);
    if (problem !== undefined) this.problem(key, problem);
    return url;
  }

  /** An integer of at least `minimum`, or `fallback` when the key is unset. */
  integer(key: string, fallback: number, minimum: number): number;
  integer(key: string, fallback: undefined, minimum: number): number | undefined;
  integer(key: string, fallback: number | undefined, minimum: number): number | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= minimum) return value;
    this.problem(key, `must be an integer of at least ${minimum} (got ${JSON.stringify(value)})`);
    return fallback;
  }

  /** A JSON object (for options passed through to a client library), or `{}` when unset. */
  object(key: string): Record<string, unknown> {
    const value = this.config[key];
    if (value === undefined || value === null) return {};
    if (typeof value === 'object' && !Array.isArray(value)) return value;
    this.problem(key, `must be an object (got ${JSON.stringify(value)})`);
    return {};
  }

  /** Throws every problem found, for a component that runs without having been validated. */
  private throwIfInvalid(): void {
    if (this.problems.length === 0) return;
    throw new TopoError(this.problems.map(formatProblem).join('; '), { component: this.component.name });
  }

  private problem(configKey: string, message: string): void {
    this.problems.push({ code: 'invalid-connector-option', component: this.component.name, configKey, message });
  }
}
