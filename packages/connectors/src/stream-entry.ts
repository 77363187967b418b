/** One entry of a Redis stream as the spout holds it: id, field/value pairs, and how often the group delivered it. */
export interface StreamEntry {
  readonly id: string;
  /** Field, value, field, value, ...: as Redis stores them, so a dead letter copies them as they are. */
  readonly fields: readonly string[];
  deliveries: number;
}

/** `[id, [field, value, ...]]` pairs from XREADGROUP, XCLAIM or XAUTOCLAIM; an entry deleted since it was delivered has null fields. */
export type RawEntry = [id: string, fields: string[] | null];

/** The entries of the one stream an XREADGROUP reply covers (null when the read timed out). */
export function readGroupEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  return (reply[0] as [string, RawEntry[]])[1];
}

/** An entry's fields as an object, the tuple's `entry` value. */
export function entryRecord(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) record[fields[i]] = fields[i + 1];
  return record;
}

/**
 * Orders two entry ids (`<ms>-<seq>`, decimal without leading zeros) as the stream does:
 * negative when `a` comes first. By length, then digit by digit, so that the spout's
 * emit path compares without allocating.
 */
export function compareEntryIds(a: string, b: string): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  if (dashA !== dashB) return dashA - dashB;
  for (let i = 0; i < dashA; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  if (a.length !== b.length) return a.length - b.length;
  for (let i = dashA + 1; i < a.length; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}
