/** `npm run fuzz`: the OpenAPI fuzzer with many more runs per route and role than `npm test`. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    hookTimeout: 120_000,
    env: { TONGBAN_FUZZ_RUNS: process.env.TONGBAN_FUZZ_RUNS ?? '100' },
  },
});
