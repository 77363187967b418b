import type { Queue } from 'bullmq';
import { waitFor } from '@topo/runtime';

/** Waits until every one of `total` jobs of `queue` is completed or failed, so a test can then say which. */
export async function jobsFinished(queue: Queue, total: number, timeoutMs?: number): Promise<void> {
  await waitFor(
    async () => {
      const counts = await queue.getJobCounts('completed', 'failed');
      return counts.completed + counts.failed === total;
    },
    'every job completed or failed',
    timeoutMs,
  );
}
