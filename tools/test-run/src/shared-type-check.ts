import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The root config whose one `tsc` run type-checks every package's tests at once. */
export const SHARED_TYPE_CHECK_CONFIG = 'tsconfig.tests.json';

/**
 * Options that change what tsc writes or where it keeps its incremental state, not what it
 * reports: a package's test config may set them differently from the shared one.
 */
const OUTPUT_ONLY_OPTIONS = new Set(['configFilePath', 'noEmit', 'incremental', 'tsBuildInfoFile', 'composite', 'declaration', 'declarationMap', 'sourceMap', 'rootDir', 'outDir']);

/** What one package's `test` script becomes under `npm test`. */
export interface PackageCommand {
  /** The package's folder relative to the repository root. */
  package: string;
  /** Its `test` script without the type checks the shared one covers (run with `sh -c`). */
  command: string;
  /** The configs of the type checks left out, relative to the package. */
  covered: string[];
}

/**
 * Splits each package's `test` script (`tsc -p <config> && ... && vitest run`) into the
 * type checks that the shared config covers and the rest. A `tsc -p <config>` step is
 * covered when every file it checks is also in the shared config's files and its options
 * are the same but for output ones: one `tsc` over them all then reports exactly the
 * errors the package's own would, and pays for loading the standard library, Node's and
 * vitest's types once instead of once per package. A step that differs (other options,
 * such as the web UI's DOM library, or files the shared config lacks) stays in the
 * package's command.
 */
export function splitTestCommands(root: string, packages: readonly string[]): PackageCommand[] {
  const shared = parseConfig(path.join(root, SHARED_TYPE_CHECK_CONFIG));
  const sharedFiles = new Set(shared.fileNames);
  return packages.map((packageDir) => {
    const script = testScript(root, packageDir);
    const covered: string[] = [];
    const kept = script
      .split('&&')
      .map((step) => step.trim())
      .filter((step) => {
        const config = /^tsc -p (\S+)$/.exec(step)?.[1];
        if (config === undefined) return true;
        const own = parseConfig(path.join(root, packageDir, config));
        if (!sameCheckingOptions(own.options, shared.options) || !own.fileNames.every((f) => sharedFiles.has(f))) return true;
        covered.push(config);
        return false;
      });
    return { package: packageDir, command: kept.join(' && '), covered };
  });
}

function testScript(root: string, packageDir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, packageDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = manifest.scripts?.test;
  if (script === undefined) throw new Error(`${packageDir}/package.json has no test script`);
  return script;
}

function parseConfig(file: string): ts.ParsedCommandLine {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(file, undefined, host);
  if (parsed === undefined) throw new Error(`${file}: not a tsconfig`);
  if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  return parsed;
}

function sameCheckingOptions(a: ts.CompilerOptions, b: ts.CompilerOptions): boolean {
  const checking = (o: ts.CompilerOptions) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => !OUTPUT_ONLY_OPTIONS.has(k)).sort(([x], [y]) => x.localeCompare(y))));
  return checking(a) === checking(b);
}
