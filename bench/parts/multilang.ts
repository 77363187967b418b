import type { BenchPart, BenchVariant, MeasureOptions } from '../part.js';
import { direct } from './multilang/direct-driver.js';
import { throughEngine } from './multilang/engine.js';
import { pythonPassThrough, tsPassThrough, type PassThroughCommand } from './multilang/subprocess-commands.js';

const PART = 'multilang';
/** Tuples the direct driver keeps unacked, and trees the tracked variants keep in flight (max spout pending). */
const WINDOW = 5_000;
const window = WINDOW.toLocaleString('en');

function variants(name: string, label: string, command: () => PassThroughCommand, withAcked: boolean): BenchVariant[] {
  const out: BenchVariant[] = [
    {
      id: `${PART}/${name}`,
      description: `${label} through Topo: spout -> ShellBolt, untracked tuples, so the engine does what the direct driver does (write tuples, read emits and acks); tuples/s is inputs the subprocess acked per second; cpuCores includes the subprocess`,
      measure: (o: MeasureOptions) => throughEngine(command(), false, WINDOW, o),
    },
    {
      id: `${PART}/${name}-direct`,
      description: `${label} driven directly by a minimal driver that writes tuples (${window} unacked at most), counts acks and drops emits; no engine`,
      measure: (o: MeasureOptions) => direct(command(), WINDOW, o),
    },
  ];
  if (withAcked) {
    out.push({
      id: `${PART}/${name}-acked`,
      description: `${label} through Topo with every tree tracked by the acker (max spout pending ${window}); tuples/s is trees acked per second`,
      measure: (o: MeasureOptions) => throughEngine(command(), true, WINDOW, o),
    });
  }
  return out;
}

export const multilang: BenchPart = {
  name: PART,
  description:
    "Storm's multi-lang protocol: tuples per second through a pass-through bolt subprocess that emits each input anchored and acks it, run by Topo's ShellBolt and, beside it, by a minimal driver, so the ratio shows the engine's overhead. Targets also: the TypeScript adapter through Topo at 200,000 tuples/s or more over JSON on this machine, and 1.5 times that (300,000) over msgpack.",
  reference: `${PART}/ts-json`,
  targets: [
    { subject: `${PART}/ts-json`, peer: `${PART}/ts-json-direct`, atLeast: 0.9 },
    { subject: `${PART}/ts-msgpack`, peer: `${PART}/ts-msgpack-direct`, atLeast: 0.9 },
    { subject: `${PART}/python-json`, peer: `${PART}/python-json-direct`, atLeast: 0.9 },
    { subject: `${PART}/ts-json`, atLeast: 200_000 },
    { subject: `${PART}/ts-msgpack`, atLeast: 1.5 * 200_000 },
  ],
  variants: [
    ...variants('ts-json', 'The TypeScript adapter (runBolt) over JSON', () => tsPassThrough('json'), true),
    ...variants('ts-msgpack', 'The TypeScript adapter (runBolt) over msgpack', () => tsPassThrough('msgpack'), true),
    ...variants('python-json', 'A Python bolt on topo_multilang.py over JSON', pythonPassThrough, false),
  ],
};
