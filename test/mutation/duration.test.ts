/**
 * src/duration.ts: every unit spelling of jose's grammar, checked one by one (a
 * generated sample of 50 runs may miss one, and mutation testing showed that dropping
 * the `?` of `yrs?` went unnoticed), and the option checks of `durationOption` for
 * numbers that are not finite. The TypeErrors are programmer errors: their message
 * is all the caller gets, so it must name the option or quote the input.
 */

import { type JWTVerifyOptions, signJwt, verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { durationSeconds } from '../../src/duration.ts'
import { thrown } from '../support/implementations.ts'

const SPELLINGS: readonly (readonly [number, readonly string[]])[] = [
  [1, ['s', 'sec', 'secs', 'second', 'seconds']],
  [60, ['m', 'min', 'mins', 'minute', 'minutes']],
  [3600, ['h', 'hr', 'hrs', 'hour', 'hours']],
  [86_400, ['d', 'day', 'days']],
  [604_800, ['w', 'week', 'weeks']],
  // A Julian year (365.25 days), as jose counts it.
  [31_557_600, ['y', 'yr', 'yrs', 'year', 'years']],
]

const UNITS = SPELLINGS.flatMap(([seconds, units]) => units.map((unit) => [unit, seconds] as const))

describe('every unit spelling jose accepts', () => {
  test.each(UNITS)('%s: one unit is %i seconds, in every form', (unit, seconds) => {
    const forms: [string, number][] = [
      [`2${unit}`, 2 * seconds],
      [`2 ${unit.toUpperCase()}`, 2 * seconds],
      [`+2${unit}`, 2 * seconds],
      [`- 2 ${unit}`, -2 * seconds],
      [`2 ${unit} ago`, -2 * seconds],
      [`2${unit} from now`, 2 * seconds],
      [`1.5${unit}`, Math.round(1.5 * seconds)],
    ]
    for (const [text, expected] of forms) {
      expect({ text, seconds: durationSeconds(text) }).toEqual({ text, seconds: expected })
    }
  })
})

describe('malformed durations: a TypeError that quotes the input', () => {
  test.each([
    ['soon', `invalid duration "soon" (try '30s', '15m', '1h', '7d')`],
    ['1 month', `invalid duration "1 month" (try '30s', '15m', '1h', '7d')`],
    [null, `invalid duration null (try '30s', '15m', '1h', '7d')`],
    // A sign and a direction word together are ambiguous.
    ['-5m ago', 'invalid duration "-5m ago"'],
    ['+5m from now', 'invalid duration "+5m from now"'],
    // 400 digits parse to Infinity seconds.
    [`${'9'.repeat(400)}s`, `invalid duration "${'9'.repeat(400)}s"`],
  ])('%j', (text, message) => {
    const error = thrown(() => durationSeconds(text as string))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe(message)
  })
})

describe('clockTolerance and maxTokenAge: finite, non-negative, or a TypeError naming the option', () => {
  const key = new Uint8Array(32).fill(4)
  const now = new Date('2030-01-01T00:00:00Z')
  // Built inside each test, not here: src code run while tests are collected counts as
  // "static" for Stryker, which then reruns every test for each of its mutants.
  const token = (): string => signJwt({ iat: now.getTime() / 1000 }, key)

  test.each([
    ['clockTolerance', Number.NaN, 'must be a finite number of seconds or a duration string'],
    [
      'clockTolerance',
      Number.POSITIVE_INFINITY,
      'must be a finite number of seconds or a duration string',
    ],
    ['maxTokenAge', Number.NaN, 'must be a finite number of seconds or a duration string'],
    [
      'maxTokenAge',
      Number.NEGATIVE_INFINITY,
      'must be a finite number of seconds or a duration string',
    ],
    ['maxTokenAge', null, 'must be a finite number of seconds or a duration string'],
    ['clockTolerance', -1, 'must not be negative'],
    ['clockTolerance', '5m ago', 'must not be negative'],
    ['maxTokenAge', '-1h', 'must not be negative'],
  ] as const)('%s = %j: "%s"', (name, value, problem) => {
    const options = { currentDate: now, [name]: value } as JWTVerifyOptions
    const error = thrown(() => verifyJwt(token(), key, options))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe(`${name} ${problem}`)
  })

  test('an infinite tolerance would accept any expired token, so it is refused', () => {
    const expired = signJwt({ exp: 1 }, key)
    const error = thrown(() =>
      verifyJwt(expired, key, { currentDate: now, clockTolerance: Number.POSITIVE_INFINITY }),
    )
    expect(error).toBeInstanceOf(TypeError)
  })
})
