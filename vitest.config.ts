import { defineConfig } from 'vitest/config';

// Statistical suites are CPU-bound; two forks match the 2-core CI machine. The global setup builds dist
// for the command-line tests; the heavy calibration runs from `npm run calibrate`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/build.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
