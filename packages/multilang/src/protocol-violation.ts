import { TopoError } from '@topo/topology-dsl';

/**
 * Something a subprocess sent that breaks the multi-lang protocol (malformed or oversized
 * message, missing command, unknown tuple id, wrong types, ...). It only says what was
 * wrong; the engine turns it into a `ShellProtocolError` that names the component, task,
 * pid, exit code and stderr.
 */
export class ProtocolViolation extends TopoError {}

/** A short, printable excerpt of what a component sent, for error messages. */
export function excerpt(value: unknown, max = 200): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text;
}
