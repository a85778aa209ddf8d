import { defineConfig } from 'vitest/config';

// `npm run calibrate`: the calibration suites with ten times the replicates (200 per interval in the coverage
// tables, which it prints; the README quotes them).
export default defineConfig({
  test: {
    include: ['test/calibration*.test.ts'],
    testTimeout: 3_600_000,
    pool: 'forks',
    maxWorkers: 2,
    env: { NCSDE_CALIBRATION_SCALE: '10' },
  },
});
