export { Supervisor, DEFAULT_BASE_PORT, type SupervisorOptions } from './supervisor.js';
export { workerLogFile, workerOutFile } from './worker-log-files.js';
