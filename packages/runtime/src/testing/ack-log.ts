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
  readonly ackTimeLog = path.join(this.dir, 'ack-times.log');

  /** With `timed`, the spout also records when it acks (see `ackTimes()`). */
  constructor(
    readonly total: number,
    private readonly options: { timed?: boolean } = {},
  ) {}

  /** The `--config` a submission needs. */
  get config(): Record<string, string | number> {
    const config: Record<string, string | number> = { 'test.ackLog': this.ackLog, 'test.emitLog': this.emitLog, 'test.total': this.total };
    if (this.options.timed === true) config['test.ackTimeLog'] = this.ackTimeLog;
    return config;
  }

  /** When the spout wrote acked ids (ms since the epoch, in order): about every 50 ms while ids are being acked, so a longer gap is a pause in the output. */
  ackTimes(): number[] {
    return existsSync(this.ackTimeLog) ? readFileSync(this.ackTimeLog, 'utf8').split('\n').filter(Boolean).map((line) => Number(line.split(' ')[0])) : [];
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
