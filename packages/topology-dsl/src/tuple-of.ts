import type { StreamFieldsOf } from './component-spec.js';
import type { DEFAULT_STREAM, Tuple } from './tuple.js';

/**
 * The types a component class declares for its output fields, from the type-only
 * `declare static fieldTypes: { url: string }` beside `static outputs`. A field has one
 * type on every stream of the component; fields left out are `unknown`.
 */
export type FieldTypesOf<C> = C extends { fieldTypes: infer T } ? T : {};

/**
 * The tuple a bolt receives from stream `S` (default `default`) of component class `C`:
 * `process(tuple: TupleOf<typeof UrlSpout>)` makes `tuple.get('url')` a string when
 * UrlSpout declared it one, and `tuple.get('typo')` a type error.
 */
export type TupleOf<C, S extends keyof StreamFieldsOf<C> & string = typeof DEFAULT_STREAM> = Tuple<StreamFieldsOf<C>[S] & string, FieldTypesOf<C>>;

/**
 * The field names a bolt class's `process()` reads, from the tuple type it takes; none
 * (`never`) for a plain `Tuple`. `spec({ input })` checks its input provides them.
 */
export type InputFieldsOf<C> = C extends abstract new (...args: never[]) => { process(tuple: infer T): unknown }
  ? T extends { readonly fields: readonly (infer F extends string)[] }
    ? string extends F
      ? never
      : F
    : never
  : never;
