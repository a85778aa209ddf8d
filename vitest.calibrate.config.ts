import { defineConfig } from 'vitest/config';

// `npm run calibrate`: the calibration suite with ten times the replicates (tighter bounds, ~10 min).
export default defineConfig({
  test: {
    include: ['test/calibration.test.ts'],
    testTimeout: 3_600_000,
    pool: 'forks',
    maxWorkers: 2,
    env: { NCSDE_CALIBRATION_SCALE: '10' },
  },
});
