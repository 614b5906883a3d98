/**
 * The workshop's CI guards, the same code `npm run workshop:check` runs:
 * (a) src/ passes every step; (b) a starter with only step N stubbed fails every one of
 * step N's properties with step N's TODO; and the participant's whole path, from init
 * to every step verified with the regions solved.
 *
 * Fast on purpose: stubs fail on their first run, and src/ runs a reduced number of
 * cases per property (guardNumRuns, ≤ 25; the full-strength runs are test/differential).
 */

import { describe, expect, test } from 'vitest'
import { configureWorkshopRuns } from './config.ts'
import { guardNumRuns, referencePasses, solvedStarterPasses, starterFails } from './guards.ts'
import { STEPS } from './steps.ts'

configureWorkshopRuns()

describe('workshop guard (a): the reference solution passes every step', () => {
  test('the guard never runs more cases than FC_NUM_RUNS asks for', () => {
    expect(guardNumRuns()).toBeGreaterThan(0)
    expect(guardNumRuns()).toBeLessThanOrEqual(25)
  })
  for (const step of STEPS) {
    test(`src/ passes step ${step.id}: ${step.title}`, async () => {
      const result = await referencePasses(step)
      expect(result.ok, result.detail).toBe(true)
    })
  }
})

describe('workshop guard (b): a starter fails each step with that step’s TODO', () => {
  for (const step of STEPS) {
    test(`only step ${step.id} stubbed: every property of step ${step.id} fails with its TODO`, async () => {
      const result = await starterFails(step)
      expect(result.ok, result.detail).toBe(true)
    })
  }
})

describe('workshop: a participant can go from init to every step verified', () => {
  test('init, every region solved with src/ code: files equal src/, every step verifies', async () => {
    const result = await solvedStarterPasses()
    expect(result.ok, result.detail).toBe(true)
  })
})
