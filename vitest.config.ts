import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // a lab (namespaces, sshd, etcd over TLS) starts in beforeAll: a few seconds, more on a loaded machine
    hookTimeout: 120_000,
    // Lab tests create network namespaces and processes; keep the file-level parallelism modest for 2 cores.
    maxWorkers: 2,
    // one process per test file: a lab's owner is its worker process, so a crashed worker's lab is seen as stale
    pool: 'forks',
    // tears down labs whose owner died, before and after the run (test/lab/cleanup.ts)
    globalSetup: ['test/lab/global-setup.ts'],
    reporters: ['default'],
  },
});
