import { runBolt } from '@topo/multilang';
import { ScriptedTsBolt } from './scripted-ts-bolt.js';

await runBolt(ScriptedTsBolt);
