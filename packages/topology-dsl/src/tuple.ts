/**
 * The tuple a bolt receives. Values are positional; `get(field)` looks one up by the
 * name the source declared. Treat values as immutable: one emit may reach many tasks.
 */
export interface Tuple {
  readonly values: readonly unknown[];
  readonly sourceComponent: string;
  readonly sourceStream: string;
  readonly sourceTask: number;
  readonly fields: readonly string[];
  get(field: string): unknown;
  /** True for the `__tick` tuples a component with `tickSecs` receives. */
  isTick(): boolean;
}

export const SYSTEM_COMPONENT = '__system';
export const TICK_STREAM = '__tick';
export const ACKER_COMPONENT = '__acker';
export const DEFAULT_STREAM = 'default';
