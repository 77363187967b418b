import { TopoError } from '@topo/topology-dsl';

/** The package was used before its assets were built (`npm run build` in packages/ui). */
export class UiAssetsMissingError extends TopoError {
  constructor(readonly dir: string) {
    super(`the web UI's assets are missing from ${dir}: build them with \`npm run build\` in packages/ui`, { dir });
  }
}
