/** Versions the new project's tooling starts from: those this repository builds and tests Topo with. */
export const PROJECT_DEV_DEPENDENCIES = {
  '@types/node': '^20.19.43',
  typescript: '~6.0.3',
  vitest: '^4.1.12',
} as const;

export interface ManifestOptions {
  name: string;
  /** The version of the `@topo/*` packages, which are released together: the running CLI's. */
  topoVersion: string;
  python: boolean;
}

/** The package.json of a project `topo init` writes. */
export function projectManifest({ name, topoVersion, python }: ManifestOptions): Record<string, unknown> {
  const topo = ['@topo/cli', ...(python ? ['@topo/multilang'] : []), '@topo/runtime', '@topo/topology-dsl'];
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      start: 'topo run topology.ts',
      check: 'topo check topology.ts',
      test: 'tsc --noEmit && vitest run',
    },
    engines: { node: '>=20.19' },
    dependencies: Object.fromEntries(topo.map((pkg) => [pkg, topoVersion])),
    devDependencies: { ...PROJECT_DEV_DEPENDENCIES },
    // npm 11 runs a dependency's install script only when the project allows it: esbuild
    // (bundling for `topo submit`, and tsx) and msgpackr's native extension, as the repository allows them.
    allowScripts: { esbuild: true, 'msgpackr-extract': true },
  };
}
