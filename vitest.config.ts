import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Lab tests create network namespaces and processes; keep the file-level parallelism modest for 2 cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
