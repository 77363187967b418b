import { fileURLToPath } from 'node:url';

/** The file a supervisor forks to start a worker process (see cluster-worker-process.ts). */
export const clusterWorkerEntry = fileURLToPath(new URL('./cluster-worker-process.js', import.meta.url));
