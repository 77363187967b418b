import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { CliCommand } from '../cli-command.js';

/** npm's rule for a package name: lower case, URL-safe, optionally scoped, at most 214 characters. */
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const PACKAGE_NAME_MAX_LENGTH = 214;

export default class Init extends CliCommand {
  static override summary = 'Create a new project: a word-count topology and its tests';
  static override description =
    'Writes, into a new or empty folder, a package.json depending on the @topo packages of this CLI\'s version, a strict tsconfig.json (noImplicitOverride), a vitest config, topology.ts (a spout reading data/lines.txt with msgIds, a split bolt, a count bolt grouped by word), a unit test of the split bolt with testBolt, an end-to-end test with completeTopology and a README with the commands. With --python, a bolt in Python on Topo\'s adapter joins the topology. Then: cd into it, npm install, npm test, npx topo run topology.ts.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> word-count',
    '<%= config.bin %> <%= command.id %> . --name my-topology',
    '<%= config.bin %> <%= command.id %> word-count --python',
  ];
  static override args = {
    dir: Args.string({ description: 'folder for the project (created; must be empty if it exists)', required: true }),
  };
  static override flags = {
    name: Flags.string({ helpValue: 'N', description: 'package name of the project (default: the folder\'s name)' }),
    python: Flags.boolean({ default: false, description: 'add a bolt written in Python (python/stop_words.py) on Topo\'s Python adapter' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    // Imported here, not at the top: oclif imports every command to list them, and `topo --help` should not load Topo's packages.
    const [{ TopoError }, { writeProject }] = await Promise.all([import('@topo/topology-dsl'), import('../init/write-project.js')]);
    const dir = path.resolve(args.dir);
    const name = flags.name ?? path.basename(dir).toLowerCase();
    if (name.length > PACKAGE_NAME_MAX_LENGTH || !PACKAGE_NAME.test(name)) {
      const source = flags.name === undefined ? `the folder name ${JSON.stringify(path.basename(dir))}` : `--name ${JSON.stringify(name)}`;
      throw new TopoError(
        `${source} is not a valid npm package name (lower-case letters, digits, - . _ ~, optionally @scope/, at most ${PACKAGE_NAME_MAX_LENGTH} characters)${flags.name === undefined ? '; pick one with --name' : ''}`,
        { dir: args.dir },
      );
    }
    const files = writeProject({ dir, name, python: flags.python });
    const relative = path.relative(process.cwd(), dir);
    const shown = relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
    this.log(`created ${name} in ${shown}: ${files.join(', ')}`);
    this.log('');
    this.log('next:');
    if (shown !== '.') this.log(`  cd ${shown}`);
    this.log('  npm install');
    this.log('  npm test');
    this.log('  npx topo run topology.ts');
  }
}
