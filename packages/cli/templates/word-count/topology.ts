{{#python}}
import { PYTHON_ADAPTER_PATH, ShellBolt } from '@topo/multilang';
{{/python}}
import { Topology } from '@topo/topology-dsl';
import { CountBolt } from './src/count-bolt.js';
import { LinesSpout } from './src/lines-spout.js';
import { SplitBolt } from './src/split-bolt.js';

/**
 * Counts the words of data/lines.txt: lines -> split -> {{#python}}stopWords (Python) -> {{/python}}count.
 * Run it with `npx topo run topology.ts`, check it with `npx topo check topology.ts`.
 */
export default class WordCount extends Topology {
  static config = { 'topology.message.timeout.secs': 30 };

  lines = LinesSpout.spec();
  split = SplitBolt.spec({ p: 2, input: this.lines });
{{#python}}
  // python/stop_words.py on Topo's Python adapter; each task is a python3 subprocess.
  stopWords = ShellBolt.spec({
    command: 'python3',
    args: ['stop_words.py'],
    cwd: new URL('./python/', import.meta.url),
    env: { PYTHONPATH: PYTHON_ADAPTER_PATH },
    outputs: ['word'],
    input: this.split,
  });
  // Grouped by word: each word's occurrences all go to one task of the counter.
  count = CountBolt.spec({ p: 2, input: this.stopWords.fields('word') });
{{/python}}
{{^python}}
  // Grouped by word: each word's occurrences all go to one task of the counter.
  count = CountBolt.spec({ p: 2, input: this.split.fields('word') });
{{/python}}
}
