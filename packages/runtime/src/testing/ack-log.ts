import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GrowingFile } from './growing-file.js';
import { temporaryDir } from './temporary-dir.js';

/** The built module of the AckedIds test topology, to run or submit by path. */
export const ackedIdsTopologyFile = fileURLToPath(new URL('./acked-ids-topology.js', import.meta.url));

/** The files the AckedIds topology records its ids in, and readers for them (each read takes in only what was appended since the last). */
export class AckLog {
  /** Removed when the process that made it exits. */
  readonly dir = temporaryDir('topo-acked-ids-');
  readonly ackLog = path.join(this.dir, 'acked.log');
  readonly emitLog = path.join(this.dir, 'emitted.log');
  readonly ackTimeLog = path.join(this.dir, 'ack-times.log');
  private readonly ackedIds = new Set<number>();
  private readonly emittedIds = new Set<number>();
  private readonly times: number[] = [];
  private readonly files = { acked: new GrowingFile(this.ackLog), emitted: new GrowingFile(this.emitLog), times: new GrowingFile(this.ackTimeLog) };

  /**
   * With `timed`, the spout also records when it acks (see `ackTimes()`); with `idsPerSec`,
   * it emits no faster (`test.idsPerSec`), for a test that waits on something else meanwhile.
   */
  constructor(
    readonly total: number,
    private readonly options: { timed?: boolean; idsPerSec?: number } = {},
  ) {}

  /** The `--config` a submission needs. */
  get config(): Record<string, string | number> {
    const config: Record<string, string | number> = { 'test.ackLog': this.ackLog, 'test.emitLog': this.emitLog, 'test.total': this.total };
    if (this.options.timed === true) config['test.ackTimeLog'] = this.ackTimeLog;
    if (this.options.idsPerSec !== undefined) config['test.idsPerSec'] = this.options.idsPerSec;
    return config;
  }

  /** When the spout wrote acked ids (ms since the epoch, in order): about every 50 ms while ids are being acked, so a longer gap is a pause in the output. */
  ackTimes(): readonly number[] {
    for (const line of this.files.times.newLines()) this.times.push(Number(line.split(' ')[0]));
    return this.times;
  }

  /** The ids acked so far: the same set each call, grown by what was acked since. */
  acked(): ReadonlySet<number> {
    for (const line of this.files.acked.newLines()) this.ackedIds.add(Number(line));
    return this.ackedIds;
  }

  /** The ids emitted so far: the same set each call, grown by what was emitted since. */
  emitted(): ReadonlySet<number> {
    for (const line of this.files.emitted.newLines()) this.emittedIds.add(Number(line));
    return this.emittedIds;
  }

  complete(): boolean {
    return this.acked().size === this.total;
  }
}
