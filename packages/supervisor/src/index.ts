export { Supervisor, DEFAULT_BASE_PORT, type SupervisorOptions } from './supervisor.js';
