import { runBolt } from '@topo/multilang';
import { PassThroughBolt } from './pass-through-bolt.js';

await runBolt(PassThroughBolt);
