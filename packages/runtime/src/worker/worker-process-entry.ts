import { fileURLToPath } from 'node:url';

/** The file a parent forks to start a worker process (see worker-process.ts for its protocol). */
export const workerProcessEntry = fileURLToPath(new URL('./worker-process.js', import.meta.url));
