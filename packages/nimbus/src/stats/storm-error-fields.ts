import { errorHeadline, MAX_ERROR_SUMMARY, type ErrorRecord } from '@topo/runtime';

/** Storm UI's error fields on a topology page's spout and bolt rows (Storm's values when there is no error). */
export interface LastErrorFields {
  /** The error's headline (`urlSpout open(): ENOENT data/urls.txt`), at most 200 characters, as Storm cuts it. */
  lastError: string;
  errorHost: string;
  errorPort: number | '';
  /** Epoch seconds, as Storm's code returns it. */
  errorTime: number | null;
  errorLapsedSecs: number | null;
  errorWorkerLogLink: string | null;
}

/** One entry of a component page's `componentErrors` (listed oldest first). */
export interface ComponentErrorEntry {
  errorTime: number;
  errorHost: string;
  errorPort: number | '';
  errorLapsedSecs: number;
  errorWorkerLogLink: string;
  /** The full text, stack included. */
  error: string;
  /** Topo's own: the task, the worker and what threw (`open`, `process`, ... or `reportError`). */
  errorTask: number;
  errorWorker: string;
  errorSource: ErrorRecord['source'];
}

/** Builds a worker log link from an error's host and port; absent, links are empty. */
export type WorkerLogLink = (record: ErrorRecord) => string;

export function lastErrorFields(record: ErrorRecord | undefined, now: number, logLink?: WorkerLogLink): LastErrorFields {
  if (record === undefined) return { lastError: '', errorHost: '', errorPort: '', errorTime: null, errorLapsedSecs: null, errorWorkerLogLink: null };
  const headline = errorHeadline(record);
  return {
    lastError: headline.length <= MAX_ERROR_SUMMARY ? headline : headline.slice(0, MAX_ERROR_SUMMARY),
    errorHost: record.host ?? '',
    errorPort: record.port ?? '',
    errorTime: Math.floor(record.time / 1000),
    errorLapsedSecs: lapsedSecs(record, now),
    errorWorkerLogLink: logLink?.(record) ?? '',
  };
}

export function componentErrorEntry(record: ErrorRecord, now: number, logLink?: WorkerLogLink): ComponentErrorEntry {
  return {
    errorTime: Math.floor(record.time / 1000),
    errorHost: record.host ?? '',
    errorPort: record.port ?? '',
    errorLapsedSecs: lapsedSecs(record, now),
    errorWorkerLogLink: logLink?.(record) ?? '',
    error: record.error,
    errorTask: record.task,
    errorWorker: record.worker ?? '',
    errorSource: record.source,
  };
}

function lapsedSecs(record: ErrorRecord, now: number): number {
  return Math.max(0, Math.floor((now - record.time) / 1000));
}
