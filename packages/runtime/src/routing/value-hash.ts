/**
 * A 32-bit hash of a value that is the same in every process, so fields grouping sends
 * equal values to the same task whichever worker emits them. Strings hash char by char
 * (FNV-1a) without allocating; other values hash a canonical text of their structure, so
 * equal objects with keys in another order, and equal Maps and Sets, hash alike.
 */
export function hashValue(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return hashString(value, 0x811c9dc5);
    case 'number':
      return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647
        ? Math.imul(value ^ 0x5bd1e995, 0x01000193)
        : hashString(String(value), 0x811c9dc5);
    case 'boolean':
      return value ? 0x1231 : 0x1237;
    case 'undefined':
      return 0x2b;
    case 'bigint':
      return hashString(value.toString(), 0x811c9dc5);
    default:
      return value === null ? 0x2a : hashString(JSON.stringify(value, canonical) ?? '', 0x811c9dc5);
  }
}

/** A JSON replacer giving one text per structural value: sorted keys, Maps and Sets as sorted entries, bigints as text. */
function canonical(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Map) return { '<Map>': [...value].map((e) => JSON.stringify(e, canonical)).sort() };
  if (value instanceof Set) return { '<Set>': [...value].map((v) => JSON.stringify(v, canonical)).sort() };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
    return sorted;
  }
  return value;
}

export function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** Combined hash of the values at `positions`. */
export function hashFields(values: readonly unknown[], positions: readonly number[]): number {
  if (positions.length === 1) return hashValue(values[positions[0]]);
  let h = 17;
  for (let i = 0; i < positions.length; i++) h = (Math.imul(h, 31) + hashValue(values[positions[i]])) | 0;
  return h;
}
