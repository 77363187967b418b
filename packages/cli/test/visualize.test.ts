import { DEFAULT_STREAM, compile, type InputDefinition } from '@topo/topology-dsl';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './cli-process.js';
import WordCount from './fixtures/word-count.js';

const definition = compile(WordCount);

/** What each edge should say, spelled out here rather than with the CLI's own label function. */
function expectedLabel(input: InputDefinition): string {
  const g = input.grouping;
  const grouping = 'fields' in g ? `${g.type}(${g.fields.join(', ')})` : g.type;
  return input.stream === DEFAULT_STREAM ? grouping : `${input.stream}: ${grouping}`;
}

const edges = definition.components.flatMap((c) => c.inputs.map((input) => ({ from: input.component, to: c.name, label: expectedLabel(input) })));

// Each test is one or two runs of the CLI, independent of the others: they run side by side.
describe.concurrent('topo visualize', () => {
  it('the fixture has edges worth drawing', () => {
    expect(edges.map((e) => e.label).sort()).toEqual(['fields(word)', 'short: global', 'shuffle']);
  });

  it('prints a Mermaid flowchart with every component and edge', async () => {
    const { code, stdout } = await runCli('visualize', fixture('word-count.ts'), '--format', 'mermaid');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('flowchart LR');
    for (const c of definition.components) {
      const open = c.kind === 'spout' ? '(["' : '["';
      expect(stdout).toContain(`n_${c.name}${open}${c.name} (p=${c.parallelism}`);
    }
    for (const e of edges) expect(stdout).toContain(`n_${e.from} -->|"${e.label}"| n_${e.to}`);
    expect(stdout).toContain('count (p=2, tasks=4)');
  });

  it('prints a Graphviz digraph with every component and edge', async () => {
    const { code, stdout } = await runCli('visualize', fixture('word-count.ts'), '--format', 'dot');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^digraph "${definition.name}" \\{\\n[\\s\\S]*\\}\\n$`));
    for (const c of definition.components) {
      expect(stdout).toContain(`"${c.name}" [label="${c.name} (p=${c.parallelism}`);
    }
    for (const e of edges) expect(stdout).toContain(`"${e.from}" -> "${e.to}" [label="${e.label}"];`);
  });

  it('still draws an invalid topology, warning about its problems on stderr', async () => {
    const { code, stdout, stderr } = await runCli('visualize', fixture('broken.ts'), '--format', 'dot');
    expect(code).toBe(0);
    expect(stdout).toContain('"ghost" -> "orphan" [label="shuffle"];');
    expect(stderr).toMatch(/warning: topology Broken is invalid/);
  });
});
