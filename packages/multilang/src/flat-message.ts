/** What a flat reader returns for bytes it leaves to the general decoder. */
export const NOT_FLAT: unique symbol = Symbol('not a flat message');

/** Entries a flat message may have (a msgpack fixmap's most). */
export const MAX_FLAT_ENTRIES = 15;

/**
 * The object for a flat message's `n` entries, as msgpackr and JSON.parse build it (keys
 * in order, a later duplicate winning). The hot shapes (an ack or fail, an emit as Topo's
 * adapters write it, a tuple as the engine writes it) are object literals: V8 copies those
 * from a template instead of storing key by key, which took a fifth of a reader's time.
 */
export function flatMessage(n: number, keys: string[], values: unknown[]): Record<string, unknown> {
  if (n === 2 && keys[0] === 'command' && keys[1] === 'id') return { command: values[0], id: values[1] };
  if (n === 5) {
    if (keys[0] === 'command' && keys[1] === 'anchors' && keys[2] === 'stream' && keys[3] === 'tuple' && keys[4] === 'need_task_ids') {
      return { command: values[0], anchors: values[1], stream: values[2], tuple: values[3], need_task_ids: values[4] };
    }
    if (keys[0] === 'id' && keys[1] === 'comp' && keys[2] === 'stream' && keys[3] === 'task' && keys[4] === 'tuple') {
      return { id: values[0], comp: values[1], stream: values[2], task: values[3], tuple: values[4] };
    }
  }
  const message: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) message[keys[i]] = values[i];
  return message;
}
