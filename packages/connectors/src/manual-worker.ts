import { Worker, type Job, type JobJson } from 'bullmq';

/**
 * A BullMQ `Worker` driven by hand (no processor, `getNextJob`), that can also take the
 * next job `moveToCompleted(..., fetchNext = true)` hands back. Completing and fetching
 * in one script call is what BullMQ's own workers do; a spout that fetched separately
 * would need two calls per job, and Redis is the bottleneck of a fast queue.
 */
export class ManualWorker extends Worker {
  /** The job a `moveToCompleted` reply carries, locked with `token`; undefined when the queue had none. */
  async adopt(reply: void | unknown[], token: string): Promise<Job | undefined> {
    if (!Array.isArray(reply) || !reply[0]) return undefined;
    // nextJobFromJobData also schedules the next run of a job scheduler's job, as BullMQ's own loop does.
    return (await this.nextJobFromJobData(reply[0] as JobJson, reply[1] as string, token)) ?? undefined;
  }
}
