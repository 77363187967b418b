import { Args, Flags } from '@oclif/core';
import type { ConfigValue, TopologyConfig } from '@topo/topology-dsl';

/** The topology module every topology command takes first. */
export const topologyFileArg = Args.string({
  name: 'file',
  description: 'topology module (.ts or .js) exporting a Topology subclass',
  required: true,
});

/** One `--config key=value`, parsed. */
export interface ConfigAssignment {
  key: string;
  value: ConfigValue;
}

/** Flags every command that loads a topology file accepts. */
export const topologyFlags = {
  topology: Flags.string({
    char: 't',
    helpValue: 'Name',
    description: 'exported Topology class to use (default: the default export, else the only Topology export)',
  }),
  config: Flags.custom<ConfigAssignment>({
    char: 'c',
    multiple: true,
    // Non-greedy so `--config a=1 topology.ts` does not swallow the file argument.
    multipleNonGreedy: true,
    helpValue: 'key=value',
    description: 'config over the topology\'s static config; the value is JSON when it parses as JSON (repeatable)',
    async parse(input) {
      const { parseConfigAssignment } = await import('@topo/topology-dsl');
      const [key, value] = parseConfigAssignment(input);
      return { key, value };
    },
  })(),
};

/** The `--config` assignments as one config object; later assignments of a key win. */
export function configFromFlags(assignments: readonly ConfigAssignment[] | undefined): TopologyConfig {
  return Object.fromEntries((assignments ?? []).map((a) => [a.key, a.value]));
}
