import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Model loading and index builds are CPU-heavy; two cores, so keep files from starving each other.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
