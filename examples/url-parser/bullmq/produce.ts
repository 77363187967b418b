import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BUNDLED_URLS_FILE, FileUrlSource } from '../src/file-url-source.js';
import { URL_QUEUE } from './names.js';

export interface ProduceOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  queue?: string;
  /** Enqueue the bundled file this many times over. */
  repeat?: number;
}

/** Jobs per `addBulk`: one round trip each. */
const CHUNK = 1000;

/**
 * Enqueues the bundled URLs as jobs `{ url }` (3 attempts each, removed once completed)
 * and returns how many it added.
 */
export async function produceUrls(options: ProduceOptions): Promise<number> {
  const lines = new FileUrlSource(BUNDLED_URLS_FILE, { loop: false }).lines;
  const connection = new Redis(options.redis, { maxRetriesPerRequest: null });
  const queue = new Queue(options.queue ?? URL_QUEUE, { connection });
  let added = 0;
  try {
    for (let round = 0; round < (options.repeat ?? 1); round++) {
      for (let i = 0; i < lines.length; i += CHUNK) {
        const jobs = lines.slice(i, i + CHUNK).map((url) => ({ name: 'url', data: { url }, opts: { attempts: 3, removeOnComplete: true } }));
        await queue.addBulk(jobs);
        added += jobs.length;
      }
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  return added;
}

// `npx tsx examples/url-parser/bullmq/produce.ts --redis redis://127.0.0.1:6379 [--repeat 10] [--queue name]`
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { redis: { type: 'string' }, queue: { type: 'string' }, repeat: { type: 'string' } } });
  const redis = values.redis ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const added = await produceUrls({ redis, queue: values.queue, repeat: Number(values.repeat ?? 1) });
  process.stdout.write(`enqueued ${added} URLs on ${values.queue ?? URL_QUEUE} at ${redis}\n`);
}
