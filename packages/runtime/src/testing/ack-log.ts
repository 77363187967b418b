import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built module of the AckedIds test topology, to run or submit by path. */
export const ackedIdsTopologyFile = fileURLToPath(new URL('./acked-ids-topology.js', import.meta.url));

/** The files the AckedIds topology records its ids in, and readers for them. */
export class AckLog {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'topo-acked-ids-'));
  readonly ackLog = path.join(this.dir, 'acked.log');
  readonly emitLog = path.join(this.dir, 'emitted.log');

  constructor(readonly total: number) {}

  /** The `--config` a submission needs. */
  get config(): Record<string, string | number> {
    return { 'test.ackLog': this.ackLog, 'test.emitLog': this.emitLog, 'test.total': this.total };
  }

  acked(): Set<number> {
    return read(this.ackLog);
  }

  emitted(): Set<number> {
    return read(this.emitLog);
  }

  complete(): boolean {
    return this.acked().size === this.total;
  }
}

function read(file: string): Set<number> {
  return new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : []);
}
