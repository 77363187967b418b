import { loadUrls } from '../../url-list.js';
import { tightLoop } from './tight-loop.js';

/** Child-process entry of the tight loop on several cores: `<warmupMs> <seconds>`; prints the result as JSON. */
const [warmupMs, seconds] = process.argv.slice(2).map(Number);
process.stdout.write(`${JSON.stringify(tightLoop(loadUrls(), warmupMs, seconds))}\n`);
