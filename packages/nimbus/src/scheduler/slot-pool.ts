/** A supervisor as the scheduler sees it: where its workers listen and its slots' ports. */
export interface SupervisorSlots {
  id: string;
  host: string;
  ports: readonly number[];
}

export interface Slot {
  supervisor: string;
  host: string;
  port: number;
}

interface Candidate {
  id: string;
  host: string;
  free: number[];
  /** Workers of the topology being placed already on this supervisor (kept or just picked). */
  load: number;
}

/**
 * The free slots of one scheduling round. Topologies claim the slots of the workers
 * they keep first; new workers then take free slots spread over supervisors, as
 * Storm's even scheduler interleaves the slots of its supervisors.
 */
export class SlotPool {
  private readonly free = new Map<string, { host: string; ports: Set<number> }>();

  constructor(supervisors: readonly SupervisorSlots[]) {
    for (const s of supervisors) this.free.set(s.id, { host: s.host, ports: new Set(s.ports) });
  }

  /** The address a supervisor advertises, if it is in the pool. */
  hostOf(supervisor: string): string | undefined {
    return this.free.get(supervisor)?.host;
  }

  /** Takes a slot; false when it is not free (taken, or its supervisor is gone). */
  claim(supervisor: string, port: number): boolean {
    return this.free.get(supervisor)?.ports.delete(port) === true;
  }

  /** Gives a claimed slot back, if its supervisor is still in the pool. */
  release(supervisor: string, port: number): void {
    this.free.get(supervisor)?.ports.add(port);
  }

  get size(): number {
    let n = 0;
    for (const s of this.free.values()) n += s.ports.size;
    return n;
  }

  /**
   * Claims up to `count` free slots, each on the supervisor with the fewest workers of
   * this topology so far (`load`), then the most free slots, then by id. On a
   * supervisor, ports listed in `avoid` (slots whose worker just failed) are taken last
   * and those in `prefer` (where its workers already run) first.
   */
  take(count: number, load: ReadonlyMap<string, number>, avoid: ReadonlySet<string> = new Set(), prefer: ReadonlySet<string> = new Set()): Slot[] {
    const candidates: Candidate[] = [];
    for (const [id, s] of this.free) {
      if (s.ports.size === 0) continue;
      const rank = (port: number) => (avoid.has(`${id}:${port}`) ? 2 : prefer.has(`${id}:${port}`) ? 0 : 1);
      const ports = [...s.ports].sort((a, b) => rank(a) - rank(b) || a - b);
      candidates.push({ id, host: s.host, free: ports, load: load.get(id) ?? 0 });
    }
    const order = (a: Candidate, b: Candidate) => a.load - b.load || b.free.length - a.free.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const taken: Slot[] = [];
    while (taken.length < count && candidates.length > 0) {
      candidates.sort(order);
      // One slot from each supervisor at the lowest load, then look again.
      const level = candidates[0].load;
      for (let i = 0; i < candidates.length && candidates[i].load === level && taken.length < count; i++) {
        const c = candidates[i];
        const port = c.free.shift()!;
        this.free.get(c.id)!.ports.delete(port);
        c.load++;
        taken.push({ supervisor: c.id, host: c.host, port });
      }
      for (let i = candidates.length - 1; i >= 0; i--) if (candidates[i].free.length === 0) candidates.splice(i, 1);
    }
    return taken;
  }
}
