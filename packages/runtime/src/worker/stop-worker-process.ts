import type { ChildProcess } from 'node:child_process';
import type { WorkerCommand } from './worker-messages.js';

/** How long a worker gets to close its spouts and flush before it is killed. */
const STOP_GRACE_MS = 5000;

/**
 * Stops a worker process of the local pool: the stop command (spouts closed, state
 * flushed), SIGTERM if it has no IPC channel left, then SIGKILL if it is still there
 * after a grace period. Resolves once it has exited.
 */
export async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // A worker that dies meanwhile fails the send; its 'exit' is what this waits for.
    if (child.connected) child.send({ type: 'stop' } satisfies WorkerCommand, () => {});
    else child.kill('SIGTERM');
  });
}
