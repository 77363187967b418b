import { UNPRINTABLE_CLASS } from './printable.js';

/** The longest topology, component, stream or field name accepted (Topo's bound; Storm has none). */
export const NAME_MAX_LENGTH = 128;

/**
 * Topology and component names end up in paths, Redis keys, REST paths, log lines and
 * command lines: Storm's rule (no `/ . : \`) plus no whitespace and nothing that does
 * not print. A JSON-schema pattern (ajv compiles it with the `u` flag); the schema's
 * `minLength` and `maxLength` say the rest.
 */
export const NAME_PATTERN = `^[^/\\\\.:\\s${UNPRINTABLE_CLASS}]*$`;

/** Stream and field names only reach messages and logs: anything printable, spaces included. */
export const LABEL_PATTERN = `^[^${UNPRINTABLE_CLASS}]*$`;

const namePattern = new RegExp(NAME_PATTERN, 'u');
const labelPattern = new RegExp(LABEL_PATTERN, 'u');
const unprintable = new RegExp(`[${UNPRINTABLE_CLASS}]`, 'u');

export type NameKind = 'name' | 'label';

/**
 * Why `value` breaks the rule for its kind (`name`: topologies and components; `label`:
 * streams and fields), as a phrase after "name ..."; undefined when it keeps it. The
 * phrase never holds the offending character itself, only its code point.
 */
export function nameProblem(value: string, kind: NameKind): string | undefined {
  const chars = Array.from(value);
  if (chars.length === 0) return 'must not be empty';
  if (chars.length > NAME_MAX_LENGTH) return `must have at most ${NAME_MAX_LENGTH} characters (has ${chars.length})`;
  if ((kind === 'name' ? namePattern : labelPattern).test(value)) return undefined;
  const at = chars.findIndex((c) => !(kind === 'name' ? namePattern : labelPattern).test(c));
  const c = chars[at];
  const where = `${codePoint(c)} at character ${at + 1}`;
  if (unprintable.test(c)) return `must be printable, without control or format characters (${where})`;
  if (/\s/u.test(c)) return `must not contain whitespace (${where})`;
  return `must not contain ${JSON.stringify(c)} (character ${at + 1}); names may not hold / \\ . or :`;
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
