import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // Tests and docs import the project by its package name, as a user would.
    // The longest names first: an alias also matches the start of a longer import.
    alias: {
      'jose-by-hand/glass-box': fileURLToPath(new URL('./src/glass-box/index.ts', import.meta.url)),
      'jose-by-hand/attacks': fileURLToPath(new URL('./test/attacks/index.ts', import.meta.url)),
      'jose-by-hand/reference/article-flow': fileURLToPath(
        new URL('./reference/article-flow.ts', import.meta.url),
      ),
      'jose-by-hand/reference/production-flow': fileURLToPath(
        new URL('./reference/production-flow.ts', import.meta.url),
      ),
      'jose-by-hand/reference': fileURLToPath(new URL('./reference/index.ts', import.meta.url)),
      'jose-by-hand': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    projects: [
      {
        extends: true,
        test: {
          name: 'shared-modules',
          include: ['test/**/*.test.ts'],
          exclude: ['test/jwe.test.ts', 'test/browser/**'],
          // Re-importing every module for each of ~50 files costs a third of the run
          // on two cores. These suites restore whatever global they touch (timers,
          // spies, Object.prototype), so they can share one module graph per worker.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          // vi.mock replaces modules for one file only, which needs isolation: the JWE
          // suite wraps node:crypto's createDecipheriv to watch plaintext being wiped.
          include: ['test/jwe.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          // A real Chromium against the lab's servers (test/programs/lab/): one file
          // at a time on two cores, and time for the browser's first start.
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
