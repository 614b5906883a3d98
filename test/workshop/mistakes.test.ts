/**
 * The common mistakes of docs/workshop.md (test/workshop/mistakes.ts), each made in a
 * copy of src/: the step's properties must catch every one of them, with a real
 * counterexample (not a TODO). This is the workshop's own mutation test: a property
 * edited so that it no longer sees a classic mistake fails here.
 */

import { describe, expect, test } from 'vitest'
import { configureWorkshopRuns, globalNumRuns } from './config.ts'
import { caught, MISTAKES, MISTAKES_SEED, measure } from './mistakes.ts'
import { compactReport } from './report.ts'

configureWorkshopRuns()

/**
 * The mistakes named in issue 7, and one per step besides: each costs a fresh module
 * graph (about 300 ms), so CI pins these and `npm run workshop:check` (and
 * `npx tsx test/workshop/mistakes.ts`) measures all of them.
 */
const PINNED: ReadonlySet<string> = new Set([
  'forgetting the spare-bit check',
  'MACing the header JSON instead of its base64url segment',
  'comparing MACs with === (as strings)',
  'exp < now instead of exp <= now',
  'using the parsed header, re-serialised, as the AAD when decrypting',
  'not setting authTagLength when decrypting',
  'not checking the outer cty',
])

describe('the common mistakes of each step are caught by that step', () => {
  test('every pinned mistake is one of the documented ones', () => {
    const documented = new Set(MISTAKES.map((mistake) => mistake.mistake))
    for (const name of PINNED) expect(documented.has(name), name).toBe(true)
  })
  for (const mistake of MISTAKES.filter((m) => PINNED.has(m.mistake))) {
    test(`step ${mistake.step}: ${mistake.mistake}`, async () => {
      // The documented seed and only the documented property: its cases are the same as
      // in the full step run of docs/workshop.md. Runs lowered to at most 100 (what a
      // participant's verify uses by default): this checks the properties' teeth, not
      // src/, which test/differential runs at full strength.
      const numRuns = Math.min(globalNumRuns(), 100)
      const measurement = await measure(mistake, MISTAKES_SEED, { numRuns, only: mistake.caughtBy })
      const last = measurement.run.results.at(-1)
      expect(
        caught(measurement),
        compactReport(last?.report.message ?? 'every property passed'),
      ).toBe(true)
    })
  }
})
