export { Supervisor, DEFAULT_BASE_PORT, type SupervisorOptions } from './supervisor.js';
export { workerLogFile, workerOutFile } from './worker-log-files.js';
export { LogViewer, DEFAULT_PAGE_BYTES, MAX_PAGE_BYTES, type LogViewerOptions } from './logviewer/log-viewer.js';
export { LogViewerClient, LogViewerError, type LogPage } from './logviewer/log-viewer-client.js';
