import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What ran in a slot when its supervisor last looked: enough for a restarted supervisor to recognise the process and its work. */
export interface SlotRecord {
  topology: string;
  workerId: string;
  /** Topology, worker and executors, as the slot compares jobs (see WorkerSlot). */
  identity: string;
  pid: number;
  /** The process's start time (processStartTime), so a reused pid is not mistaken for it. */
  started: string;
  restarts: number;
}

/**
 * The supervisor's local state, one file per slot (`<dir>/slots/<port>.json`), as
 * Storm's supervisor keeps its workers' ids on disk: written when a worker starts,
 * removed when it stops. A supervisor that died leaves them behind, and the next one
 * finds its workers by them.
 */
export class SlotRecords {
  constructor(private readonly dir: string) {}

  read(port: number): SlotRecord | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file(port), 'utf8'));
    } catch {
      return undefined;
    }
    return isSlotRecord(parsed) ? parsed : undefined;
  }

  /** Written whole under another name and renamed, so a supervisor killed midway leaves the old record or the new one. */
  write(port: number, record: SlotRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const scratch = `${this.file(port)}.tmp`;
    writeFileSync(scratch, JSON.stringify(record));
    renameSync(scratch, this.file(port));
  }

  /** The ports that have a record. */
  ports(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.flatMap((name) => (/^\d+\.json$/.test(name) ? [Number(name.slice(0, -5))] : []));
  }

  remove(port: number): void {
    rmSync(this.file(port), { force: true });
  }

  private file(port: number): string {
    return path.join(this.dir, `${port}.json`);
  }
}

function isSlotRecord(value: unknown): value is SlotRecord {
  const r = value as Partial<SlotRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.topology === 'string' &&
    typeof r.workerId === 'string' &&
    typeof r.identity === 'string' &&
    Number.isInteger(r.pid) &&
    typeof r.started === 'string' &&
    Number.isInteger(r.restarts)
  );
}
