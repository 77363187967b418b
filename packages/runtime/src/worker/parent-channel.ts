import { TopoError } from '@topo/topology-dsl';
import type { WorkerLaunch, WorkerReport } from './worker-messages.js';

/**
 * Resolves with the parent's launch message, the first on the IPC channel; fails when the
 * process has no channel or the parent goes away before sending it.
 */
export function receiveLaunch<T extends WorkerLaunch = WorkerLaunch>(): Promise<T> {
  return new Promise((resolve, reject) => {
    if (process.connected !== true) {
      reject(new TopoError('a worker process is started by fork() and sent its launch message over IPC'));
      return;
    }
    const onMessage = (message: unknown) => {
      if ((message as WorkerLaunch | null)?.type !== 'launch') return;
      done();
      resolve(message as T);
    };
    const onDisconnect = () => {
      done();
      reject(new TopoError('the parent went away before sending the launch message'));
    };
    const done = () => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
    };
    process.on('message', onMessage);
    process.on('disconnect', onDisconnect);
  });
}

/**
 * Reports to the parent, never throwing: once the parent is gone (SIGKILLed, say) a send
 * fails with EPIPE or "channel closed", and without a callback Node raises that as an
 * unhandled 'error' that kills the worker before it can stop cleanly. The 'disconnect'
 * event is what tells the worker its parent is gone, so the failure itself is dropped.
 */
export function sendToParent(report: WorkerReport): void {
  if (process.connected !== true || process.send === undefined) return;
  process.send(report, undefined, undefined, () => {});
}
