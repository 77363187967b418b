import type { Tuple } from '@topo/topology-dsl';

/** A tuple as an object of its fields: what sinks write by default. */
export function tupleRecord(tuple: Tuple): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const fields = tuple.fields;
  for (let i = 0; i < fields.length; i++) record[fields[i]] = tuple.values[i];
  return record;
}
