import type { ErrorRecord } from './error-record.js';

/**
 * The last errors of each component, `topo.errors.kept.per.component` of them (Storm
 * keeps 10): what a local run shows, and what a cluster keeps in Redis the same way.
 */
export class ErrorLog {
  private readonly byComponent = new Map<string, ErrorRecord[]>();

  constructor(readonly keep: number) {}

  add(record: ErrorRecord): void {
    let list = this.byComponent.get(record.component);
    if (list === undefined) this.byComponent.set(record.component, (list = []));
    list.push(record);
    if (list.length > this.keep) list.shift();
  }

  /** A component's kept errors, oldest first. */
  of(component: string): readonly ErrorRecord[] {
    return this.byComponent.get(component) ?? [];
  }

  /** The newest error of each component that has one. */
  last(): Map<string, ErrorRecord> {
    const out = new Map<string, ErrorRecord>();
    for (const [component, list] of this.byComponent) out.set(component, list[list.length - 1]);
    return out;
  }
}
