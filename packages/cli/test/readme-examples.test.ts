import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli-process.js';

/**
 * The root README's `ts` blocks, each a file of a project of its own (named by a first
 * line `// name.ts`, else block-N.ts), type-checked as a user's project would be: strict,
 * noImplicitOverride, NodeNext, against the built packages. A block the reader cannot paste
 * and compile is a trap for the first day.
 */
export function readmeBlocks(markdown: string): { name: string; code: string }[] {
  const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  return blocks.map((code, index) => ({ name: /^\/\/ ([\w.-]+\.ts)\n/.exec(code)?.[1] ?? `block-${index}.ts`, code }));
}

const userTsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noImplicitOverride: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['*.ts'],
};

async function typeCheck(files: { name: string; code: string }[]): Promise<{ code: number; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'topo-readme-'));
  try {
    await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'readme-check', private: true, type: 'module' }));
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(userTsconfig));
    for (const file of files) await writeFile(join(dir, file.name), file.code);
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    return await promisify(execFile)(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Two tsc runs, side by side.
describe.concurrent('the README', () => {
  it('has examples that type-check without casts under strict and noImplicitOverride', async () => {
    const blocks = readmeBlocks(await readFile(join(repoRoot, 'README.md'), 'utf8'));
    expect(blocks.map((b) => b.name)).toEqual(['topology.ts', 'topology.test.ts']);
    for (const block of blocks) expect(block.code).not.toMatch(/ as (string|number|unknown)\b/);
    const { code, output } = await typeCheck(blocks);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('would be caught misreading a field, so the check above can fail', async () => {
    const [topology] = readmeBlocks(await readFile(join(repoRoot, 'README.md'), 'utf8'));
    const misread = { ...topology, code: topology.code.replace("tuple.get('host')", "tuple.get('hots')") };
    expect(misread.code).not.toBe(topology.code);
    const { code, output } = await typeCheck([misread]);
    expect(code).not.toBe(0);
    expect(output).toContain(`Argument of type '"hots"' is not assignable to parameter of type '"host" | "path"'`);
  });
});
