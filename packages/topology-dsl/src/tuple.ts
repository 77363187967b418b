/**
 * The tuple a bolt receives. Values are positional; `get(field)` looks one up by the
 * name the source declared. Treat values as immutable: one emit may reach many tasks.
 *
 * `F` is the union of the stream's field names and `T` their declared types, so that
 * `get('typo')` is a type error and `get('url')` is a `string` where the upstream said
 * so; `TupleOf<typeof Upstream>` fills both from a component class. A plain `Tuple`
 * knows neither: any name, `unknown` values.
 */
export interface Tuple<F extends string = string, T = any> {
  readonly values: readonly unknown[];
  readonly sourceComponent: string;
  readonly sourceStream: string;
  readonly sourceTask: number;
  readonly fields: readonly F[];
  get<K extends F>(field: K): {} extends T ? unknown : K extends keyof T ? T[K] : unknown;
  /** True for the `__tick` tuples a component with `tickSecs` receives. */
  isTick(): boolean;
}

export const SYSTEM_COMPONENT = '__system';
export const TICK_STREAM = '__tick';
export const ACKER_COMPONENT = '__acker';
export const DEFAULT_STREAM = 'default';
