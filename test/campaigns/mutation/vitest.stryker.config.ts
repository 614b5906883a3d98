/**
 * The vitest configuration for `npm run mutate` (Stryker, see stryker.config.json and
 * docs/testing.md#mutation-testing). It runs only the suites that exercise the
 * semantics of src/, in-process: suites that spawn processes (tour, inspect, the docs
 * runner, the workshop tooling) or write shared caches (test/docs) would be slow,
 * would race with one another across Stryker's two workers, and test scripts and
 * documents rather than src/.
 */

import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Paths relative to this file (three levels below the project): Stryker copies the
// project into .stryker-tmp/sandbox-* and runs from there, so the root and the aliases
// must resolve to the sandbox's mutated src/, never to the checkout's.
function inProject(path: string): string {
  return fileURLToPath(new URL(`../../../${path}`, import.meta.url))
}

export default defineConfig({
  // The include patterns and setupFiles below are relative to the project, not this file.
  root: inProject('.'),
  resolve: {
    // As in vitest.config.ts: the longest names first, since an alias also matches the
    // start of a longer import.
    alias: {
      'jose-by-hand/glass-box': inProject('src/glass-box/index.ts'),
      'jose-by-hand/attacks': inProject('test/attacks/index.ts'),
      'jose-by-hand/reference/article-flow': inProject('reference/article-flow.ts'),
      'jose-by-hand/reference/production-flow': inProject('reference/production-flow.ts'),
      'jose-by-hand/reference': inProject('reference/index.ts'),
      'jose-by-hand': inProject('src/index.ts'),
    },
  },
  test: {
    include: [
      'test/*.test.ts',
      'test/differential/**/*.test.ts',
      'test/pitfalls/**/*.test.ts',
      // src/glass-box/ is mutated too. (The attacks built on it are left out: under
      // Stryker's instrumentation the nonce-reuse forgery outlasts the test timeout.)
      'test/glass-box/**/*.test.ts',
    ],
    setupFiles: ['test/setup.ts'],
    // A fixed seed makes a mutant's verdict reproducible from one run to the next
    // (test/setup.ts reads it). FC_SEED=<n> npm run mutate still picks another.
    env: { FC_SEED: process.env.FC_SEED ?? '20261128' },
    testTimeout: 60_000,
    pool: 'threads',
  },
})
