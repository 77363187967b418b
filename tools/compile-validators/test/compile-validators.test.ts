import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const tool = fileURLToPath(new URL('../dist/compile-validators.js', import.meta.url));
let dir: string;
// Inside the package, so that the output finds ajv's runtime helpers as a package's dist does.
const scratch = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));
beforeEach(() => {
  mkdirSync(scratch, { recursive: true });
  dir = mkdtempSync(path.join(scratch, 'compile-validators-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `source` as the schemas module and runs the built tool on it, as a package's build does. */
function compile(source: string): { status: number | null; stderr: string; out: string } {
  const schemas = path.join(dir, 'schemas.mjs');
  const out = path.join(dir, 'validators.cjs');
  writeFileSync(schemas, source);
  const run = spawnSync(process.execPath, [tool, schemas, out], { encoding: 'utf8', cwd: path.dirname(tool) });
  return { status: run.status, stderr: run.stderr, out };
}

type Validator = ((value: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

describe('compile-validators', () => {
  it('writes a module with one validator per schema, refs between them resolved, reporting every error at once', () => {
    const { status, stderr, out } = compile(`
      const name = { $id: 'urn:test:name', type: 'string', minLength: 1, maxLength: 3 };
      export const validatorSchemas = {
        name,
        pair: { $id: 'urn:test:pair', type: 'object', required: ['a', 'b'], additionalProperties: false, properties: { a: { $ref: 'urn:test:name' }, b: { type: 'integer' } } },
      };`);
    expect(status, stderr).toBe(0);
    const validators = createRequire(import.meta.url)(out) as Record<string, Validator>;
    expect(Object.keys(validators)).toEqual(expect.arrayContaining(['name', 'pair']));
    expect(validators.pair({ a: 'ab', b: 2 })).toBe(true);
    // Lengths count code points, as ajv's own compile does: one emoji is one character.
    expect(validators.name('😀😀😀')).toBe(true);
    expect(validators.pair({ a: '', b: 1.5, c: true })).toBe(false);
    expect(validators.pair.errors?.map((e) => `${e.instancePath} ${e.message}`).sort()).toEqual([' must NOT have additional properties', '/a must NOT have fewer than 1 characters', '/b must be integer']);
  });

  it('refuses a schema without an $id, naming it, and an unknown keyword (strict mode), writing nothing', () => {
    const missing = compile(`export const validatorSchemas = { nameless: { type: 'string' } };`);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/validatorSchemas\.nameless has no \$id/);
    const unknown = compile(`export const validatorSchemas = { odd: { $id: 'urn:test:odd', type: 'string', colour: 'blue' } };`);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown keyword: "colour"/);
    expect(() => createRequire(import.meta.url)(unknown.out)).toThrow(/Cannot find module/);
  });
});
