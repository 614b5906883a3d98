/**
 * The debugger's rules, in Node: the module the page imports names exactly the rules
 * each case breaks, and `src/` refuses every one of those inputs too. debugger.test.ts
 * checks that the page shows the same notes.
 */

import { describe, expect, test } from 'vitest'
import { analyse, readTime, relativeTime } from '../programs/lab/pages/analysis.ts'
import { isCanonicalBase64url, RULES } from '../programs/lab/pages/strictness.ts'
import { CASES } from './strictness-cases.ts'

function verdictOf(run: () => void): string {
  try {
    run()
  } catch (error) {
    const { code, name } = error as { code?: unknown; name?: unknown }
    return typeof code === 'string' ? code : String(name)
  }
  return 'accepted'
}

describe('each case breaks exactly the rules it names', () => {
  test.each(CASES)('$name', async (item) => {
    const analysis = await analyse(item.token, item.keys, new Date())
    const rules = analysis.layers.flatMap((layer) => layer.notes.map((note) => note.rule))
    expect(rules).toEqual(item.rules)
    expect(analysis.verdict).toBe(item.rules.length === 0 ? 'accepted' : 'refused')
    expect(verdictOf(item.src)).toBe(item.srcVerdict)
    expect(item.srcVerdict === 'accepted').toBe(item.rules.length === 0)
  })

  test('every rule has a case', () => {
    const covered = new Set(CASES.flatMap((item) => item.rules))
    expect(Object.keys(RULES).filter((rule) => !covered.has(rule as never))).toEqual([])
  })
})

describe('canonical base64url (RFC 4648 §5, §3.5)', () => {
  test.each([
    ['', true],
    ['AA', true],
    ['AB', false], // a spare bit set
    ['AAA', true],
    ['AAB', false],
    ['A', false], // no byte fits in 6 bits
    ['AA==', false], // padding
    ['A+A', false], // the standard alphabet
    ['A A', false],
  ])('%j is canonical: %s', (text, canonical) => {
    expect(isCanonicalBase64url(text)).toBe(canonical)
  })
})

describe('readable times', () => {
  const now = new Date('2026-01-01T12:00:00Z')
  const at = (seconds: number): number => now.getTime() / 1000 + seconds

  test.each([
    [0, 'now'],
    [59, 'in 59 s'],
    [60, 'in 1 min'],
    [-3599, '59 min ago'],
    [-3600, '1 h ago'],
    [86_399, 'in 23 h'],
    [86_400, 'in 1 day'],
    [-2 * 86_400, '2 days ago'],
  ])('%i s from now reads %j', (offset, phrase) => {
    expect(relativeTime(at(offset), at(0))).toBe(phrase)
  })

  test('a NumericDate in UTC, with how far away it is', () => {
    expect(readTime(at(900), now)).toBe('2026-01-01 12:15:00 UTC (in 15 min)')
    expect(readTime('1767268800', now)).toBe('not a NumericDate')
    expect(readTime(8.64e15, now)).toBe('out of range')
  })
})
