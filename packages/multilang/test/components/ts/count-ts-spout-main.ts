import { runSpout } from '@topo/multilang';
import { CountTsSpout } from './count-ts-spout.js';

await runSpout(CountTsSpout);
