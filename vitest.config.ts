import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // Tests and docs import the project by its package name, as a user would.
    alias: {
      'jose-by-hand/reference': fileURLToPath(new URL('./reference/index.ts', import.meta.url)),
      'jose-by-hand': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
  },
})
