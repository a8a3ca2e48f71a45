// Types for scripts/build-web.mjs, so TypeScript tests can import it.
export function webBuildIsStale(): boolean;
export function buildWebIfStale(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
