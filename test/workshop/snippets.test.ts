/**
 * The workshop's string guards, in milliseconds: an edit to src/ that would break a
 * step, a documented mistake or a hint fails here at once, before any property runs.
 *
 * - every region a step stubs exists in src/ and declares a function;
 * - every documented mistake's snippet occurs exactly once in its region;
 * - every function a hint names (`name(`) is spelled somewhere in src/, so a hint
 *   never sends a participant to a helper that was renamed or removed.
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { HINTS } from './hints.ts'
import { MISTAKES, mutatedFile } from './mistakes.ts'
import { REFERENCE_SRC } from './paths.ts'
import { functionsInRegion, getRegion } from './regions.ts'
import { sourceFiles } from './starter.ts'
import { CORE_STEPS } from './steps.ts'

function allSource(): string {
  return sourceFiles()
    .map((file) => readFileSync(join(REFERENCE_SRC, file), 'utf8'))
    .join('\n')
}

describe('the workshop names only what src/ has', () => {
  for (const step of CORE_STEPS) {
    for (const ref of step.regions) {
      test(`step ${step.id}: src/${ref.file}#${ref.region} exists and declares a function`, () => {
        const text = readFileSync(join(REFERENCE_SRC, ref.file), 'utf8')
        const region = getRegion(text, ref.file, ref.region)
        expect(functionsInRegion(text, ref.file, region).length).toBeGreaterThan(0)
      })
    }
  }
  for (const mistake of MISTAKES) {
    test(`step ${mistake.step} mistake "${mistake.mistake}": its snippet occurs once`, () => {
      expect(() => mutatedFile(mistake)).not.toThrow()
      expect(mutatedFile(mistake)).not.toBe(readFileSync(join(REFERENCE_SRC, mistake.file), 'utf8'))
    })
  }
  test('every function a hint names is spelled in src/', () => {
    const source = allSource()
    const missing: string[] = []
    for (const [step, hints] of Object.entries(HINTS)) {
      for (const hint of hints) {
        for (const match of hint.matchAll(/\b([a-z][A-Za-z0-9]*)\(/g)) {
          const name = match[1] as string
          if (!new RegExp(`\\b${name}\\b`).test(source)) missing.push(`step ${step}: ${name}`)
        }
      }
    }
    expect(missing).toEqual([])
  })
  test('the hint check would see a renamed helper', () => {
    expect(/\bverifyCompactTransient\b/.test(allSource())).toBe(false)
  })
})
