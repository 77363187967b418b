import { fileURLToPath } from 'node:url';

/**
 * The folder holding `topo_multilang.py`, Topo's Python adapter: put it on PYTHONPATH
 * for a Python component, e.g. `env: { PYTHONPATH: PYTHON_ADAPTER_PATH }`.
 */
export const PYTHON_ADAPTER_PATH = fileURLToPath(new URL('../adapters/python', import.meta.url));
