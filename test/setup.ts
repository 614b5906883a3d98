/**
 * Global fast-check settings for every suite.
 *
 * FC_NUM_RUNS: runs per property (default 100 locally; .ci/run uses 1000).
 * FC_SEED:     replay a failure: copy the seed from its report.
 * FC_PATH:     with FC_SEED, jump straight to the shrunk counterexample (read by the
 *              differential properties, test/differential/properties.ts; see docs/testing.md).
 */

import fc from 'fast-check'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 100)
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)

if (!Number.isSafeInteger(numRuns) || numRuns < 1)
  throw new Error(`FC_NUM_RUNS must be a positive integer, got ${process.env.FC_NUM_RUNS}`)
if (seed !== undefined && !Number.isSafeInteger(seed))
  throw new Error(`FC_SEED must be an integer, got ${process.env.FC_SEED}`)

fc.configureGlobal({
  numRuns,
  ...(seed === undefined ? {} : { seed }),
  // A failure report always names its seed and path, so it can be replayed.
  verbose: fc.VerbosityLevel.Verbose,
  // fast-check 4 leaves the failing assertion's message out of its report unless
  // asked; that message is where "src X; jose Y" is said.
  includeErrorInReport: true,
})
