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
 * One classic mistake per step, and every gap a participant's wrong code once slipped
 * through: each costs a fresh module graph (about 300 ms), so CI pins these and
 * `npm run workshop:check` (and `npx tsx test/workshop/mistakes.ts`) measures all of them.
 */
const PINNED: ReadonlySet<string> = new Set([
  'forgetting the spare-bit check',
  'MACing the header JSON instead of its base64url segment',
  'comparing MACs with === (as strings)',
  'exp < now instead of exp <= now',
  'using the parsed header, re-serialised, as the AAD when decrypting',
  'not setting authTagLength when decrypting',
  'not checking the outer cty',
  "serialising the header by hand and skipping the recipient's checks",
  'a hand-written constant-time loop instead of crypto.timingSafeEqual',
  'checking presence in the order the options are listed (requiredClaims first)',
  'refusing zip "DEF" before the tag is checked',
  'calling setAuthTag outside the try (a short tag throws instead of giving undefined)',
  'not lifting maxTokenLength for the inner token',
  'reading the bits of X from the least significant bit (the ordinary order, not GCM’s reflected one)',
])

/**
 * Seeds besides the documented one: a participant runs with a random seed, so these
 * gaps must be caught whatever the seed, not by the luck of one. Their properties draw
 * the telling case from a handful of kinds, so 100 runs meet it with any seed.
 */
const MORE_SEEDS: readonly number[] = [1, 42, 1_234_567]
const EVERY_SEED: ReadonlySet<string> = new Set([
  "serialising the header by hand and skipping the recipient's checks",
  'checking presence in the order the options are listed (requiredClaims first)',
  'refusing zip "DEF" before the tag is checked',
  'calling setAuthTag outside the try (a short tag throws instead of giving undefined)',
  'not lifting maxTokenLength for the inner token',
  'reading the bits of X from the least significant bit (the ordinary order, not GCM’s reflected one)',
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
  for (const mistake of MISTAKES.filter((m) => EVERY_SEED.has(m.mistake))) {
    test(`step ${mistake.step}: ${mistake.mistake}, with other seeds too`, async () => {
      const numRuns = Math.min(globalNumRuns(), 100)
      for (const seed of MORE_SEEDS) {
        const measurement = await measure(mistake, seed, { numRuns, only: mistake.caughtBy })
        const last = measurement.run.results.at(-1)
        expect(
          caught(measurement),
          `seed ${seed}: ${compactReport(last?.report.message ?? 'every property passed')}`,
        ).toBe(true)
      }
    })
  }
  test('the spare-bit mistake is shown with a short segment and the rule it breaks', async () => {
    const mistake = MISTAKES.find((m) => m.mistake === 'forgetting the spare-bit check')
    expect(mistake?.step).toBe('1')
    for (const seed of [MISTAKES_SEED, ...MORE_SEEDS]) {
      const measurement = await measure(mistake as (typeof MISTAKES)[number], seed, {
        numRuns: 100,
        only: 'base64url/decode-is-canonical',
      })
      const message = measurement.run.results.at(-1)?.report.message ?? ''
      const text = /base64url\.decode\("([^"]*)"\)/.exec(message)?.[1]
      // A short counterexample: one to twelve base64url characters.
      expect(text, message).toMatch(/^[A-Za-z0-9_-]{1,12}$/)
      expect(message).toMatch(/unused bits of the last character must be zero/)
    }
  })
  test('every seed check is a pinned mistake', () => {
    for (const name of EVERY_SEED) expect(PINNED.has(name), name).toBe(true)
  })
})
