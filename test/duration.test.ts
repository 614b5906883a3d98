/**
 * Durations ('15m', '1 hour', '2 days ago', …) must mean the same number of seconds in
 * src/duration.ts as in jose: the same option string gives the same `exp`, and the
 * same `clockTolerance`, in both. jose does not export its parser, so it is observed
 * through its public API: `setExpirationTime(str)` under a frozen clock, and
 * `jwtVerify`'s `clockTolerance`. The jose adapter (reference/index.ts) reads durations
 * itself for `currentDate`, so its reading is held equal to jose's too, through its
 * public signJwt.
 */

import fc from 'fast-check'
import { jwtVerify, UnsecuredJWT } from 'jose'
import * as manual from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { durationSeconds } from '../src/duration.ts'

/** The frozen clock: the milliseconds show that both floor to whole seconds. */
const FROZEN = new Date('2030-06-15T12:00:00.750Z')
const FROZEN_SECONDS = Math.floor(FROZEN.getTime() / 1000)

const UNITS = [
  ...['s', 'sec', 'secs', 'second', 'seconds'],
  ...['m', 'min', 'mins', 'minute', 'minutes'],
  ...['h', 'hr', 'hrs', 'hour', 'hours'],
  ...['d', 'day', 'days'],
  ...['w', 'week', 'weeks'],
  ...['y', 'yr', 'yrs', 'year', 'years'],
]
const SECONDS_PER_UNIT: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_557_600,
}

/** Random upper/lower case, character by character: both parsers ignore case. */
function anyCase(word: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
}

const digits = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('0', '1', '00', '007'),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength }),
  )

/** A number as both grammars allow it: digits, or digits '.' digits. */
function amount(maxDigits: number): fc.Arbitrary<string> {
  return fc.oneof(
    digits(maxDigits),
    fc.tuple(digits(maxDigits), digits(maxDigits)).map(([a, b]) => `${a}.${b}`),
  )
}

/** Well-formed durations: sign? space? number space? unit (" ago" | " from now")? */
function duration(maxDigits: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom('', '+', '-'),
      fc.constantFrom('', ' '),
      amount(maxDigits),
      fc.constantFrom('', ' '),
      fc.constantFrom(...UNITS).chain(anyCase),
      fc.oneof(fc.constant(''), anyCase(' ago'), anyCase(' from now')),
    )
    .map((parts) => parts.join(''))
}

/** Near misses: a well-formed duration with one character added, removed or replaced. */
const nearMiss = fc
  .tuple(
    duration(4),
    fc.nat(),
    fc.constantFrom(...' \t.+-0aZ\u00a0\u0663e_,'),
    fc.constantFrom('insert', 'delete', 'replace'),
  )
  .map(([text, at, char, edit]) => {
    const i = at % (text.length + 1)
    if (edit === 'insert') return text.slice(0, i) + char + text.slice(i)
    if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1)
    return text.slice(0, i) + char + text.slice(i + 1)
  })

const MALFORMED = [
  '',
  ' ',
  's',
  '1',
  '.5s',
  '5.s',
  '1e3s',
  '1 ms',
  '2 months',
  '1  h',
  '1 h ',
  '1h  ',
  '1h ',
  '1h  ago',
  '1h\tago',
  '-1h ago',
  '+1h from now',
  '1h ago from now',
  'ago',
  '\u0663h',
  '1\u00a0h',
  '1,5h',
  '1_000s',
  `${'9'.repeat(400)}s`,
]

type Outcome = number | 'TypeError'

/** durationSeconds' answer: seconds, or 'TypeError'. */
function ours(text: string): Outcome {
  try {
    return durationSeconds(text)
  } catch (error) {
    if (error instanceof TypeError) return 'TypeError'
    throw error
  }
}

/** jose's answer, read from `exp` under the frozen clock: seconds from now, or 'TypeError'. */
function theirs(text: string): Outcome {
  let jwt: string
  try {
    jwt = new UnsecuredJWT({}).setExpirationTime(text).encode()
  } catch (error) {
    if (error instanceof TypeError) return 'TypeError'
    throw error
  }
  const { exp } = JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as {
    exp: number
  }
  return exp - FROZEN_SECONDS
}

/** The same `exp` both ways: compare jose's exp with now + ours, the same float sum. */
function expectSameOutcome(text: string): void {
  const mine = ours(text)
  const jose = theirs(text)
  if (mine === 'TypeError' || jose === 'TypeError') {
    expect({ text, jose }).toEqual({ text, jose: mine })
  } else {
    expect({ text, exp: FROZEN_SECONDS + jose }).toEqual({ text, exp: FROZEN_SECONDS + mine })
  }
}

describe("durationSeconds agrees with jose's setExpirationTime", () => {
  beforeEach(() => {
    // Only Date is faked: jose's clock reads are frozen, nothing else changes.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(FROZEN)
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  test('the frozen clock is in effect for jose', () => {
    expect(theirs('0s')).toBe(0)
    expect(theirs('1h')).toBe(3600)
  })

  test('known values, by hand', () => {
    const table: [string, number][] = [
      ['0s', 0],
      ['1 sec', 1],
      ['15m', 900],
      ['1 hour', 3600],
      ['1.5 hours', 5400],
      ['2 days ago', -172_800],
      ['-5m', -300],
      ['+5m', 300],
      ['1 Week From Now', 604_800],
      ['1y', 31_557_600],
      ['0.5s', 1],
      ['1.4s', 1],
      ['01h', 3600],
      ['- 2 D', -172_800],
    ]
    for (const [text, seconds] of table) {
      expect({ text, seconds: ours(text) }).toEqual({ text, seconds })
      expectSameOutcome(text)
    }
  })

  test('generated well-formed durations: same seconds, sign and rounding', () => {
    fc.assert(
      fc.property(duration(20), (text) => {
        expectSameOutcome(text)
      }),
    )
  })

  test('a sign together with "ago"/"from now" is refused by both', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('+', '-'),
        fc.constantFrom('', ' '),
        amount(3),
        fc.constantFrom(...UNITS),
        fc.constantFrom(' ago', ' from now', ' AGO'),
        (sign, space, number, unit, direction) => {
          const text = `${sign}${space}${number}${unit}${direction}`
          expect(ours(text)).toBe('TypeError')
          expectSameOutcome(text)
        },
      ),
    )
  })

  test('near misses: both accept or both refuse, with the same seconds', () => {
    fc.assert(
      fc.property(nearMiss, (text) => {
        expectSameOutcome(text)
      }),
    )
  })

  test.each(MALFORMED)('malformed %j: a TypeError from both', (text) => {
    expect(ours(text)).toBe('TypeError')
    expect(theirs(text)).toBe('TypeError')
  })

  test('the unit is read from its first letter, the amount rounded to whole seconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom(...UNITS),
        (whole, hundredths, unit) => {
          const number = `${whole}.${String(hundredths).padStart(2, '0')}`
          const text = `${number}${unit}`
          const perUnit = SECONDS_PER_UNIT[unit.charAt(0)] as number
          expect(ours(text)).toBe(Math.round(Number.parseFloat(number) * perUnit))
          expectSameOutcome(text)
        },
      ),
    )
  })

  test('non-strings are TypeErrors for durationSeconds', () => {
    for (const value of [undefined, null, 5, {}, ['1h']]) {
      expect(() => durationSeconds(value as unknown as string)).toThrow(TypeError)
    }
  })
})

describe("the jose adapter reads a duration against currentDate as jose's setters read it against now", () => {
  const key = new Uint8Array(32).fill(9)

  /** The adapter's answer: `exp` minus currentDate in seconds, or 'TypeError'. */
  async function adapter(text: string): Promise<Outcome> {
    let jwt: string
    try {
      jwt = await reference.signJwt({}, key, { currentDate: FROZEN, expirationTime: text })
    } catch (error) {
      if (error instanceof TypeError) return 'TypeError'
      throw error
    }
    const { exp } = JSON.parse(
      Buffer.from(jwt.split('.')[1] as string, 'base64url').toString(),
    ) as {
      exp: number
    }
    return exp - FROZEN_SECONDS
  }

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(FROZEN)
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  test('well-formed durations and near misses: the same seconds, or a TypeError from both', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(duration(20), nearMiss), async (text) => {
        expect({ text, seconds: await adapter(text) }).toEqual({ text, seconds: theirs(text) })
      }),
    )
  })

  test.each(MALFORMED)('malformed %j: a TypeError', async (text) => {
    expect(await adapter(text)).toBe('TypeError')
  })
})

describe('clockTolerance strings: src.verifyJwt and jose.jwtVerify agree', () => {
  const key = new Uint8Array(32).fill(9)
  const now = new Date('2030-01-01T00:00:00Z')
  const nowSeconds = now.getTime() / 1000

  /** 'ok', the error code, or 'TypeError' for a bad option. */
  async function verdict(action: () => unknown): Promise<string> {
    try {
      await action()
      return 'ok'
    } catch (error) {
      if (error instanceof TypeError) return 'TypeError'
      return (error as { code: string }).code
    }
  }

  async function both(exp: number, clockTolerance: string): Promise<[string, string]> {
    const token = manual.signJwt({ exp }, key)
    const options = { currentDate: now, clockTolerance }
    return [
      await verdict(() => manual.verifyJwt(token, key, options)),
      await verdict(() => jwtVerify(token, key, { ...options, algorithms: ['HS256'] })),
    ]
  }

  test('a tolerance of t seconds: exp = now - t has expired, exp = now - t + 1 has not', async () => {
    // Up to 5 digits: t stays far below 2^53, so now - t is exact.
    await fc.assert(
      fc.asyncProperty(duration(5), async (tolerance) => {
        const seconds = ours(tolerance)
        if (seconds === 'TypeError' || seconds < 0) {
          // A sign with "ago"/"from now" is malformed, and a negative leeway makes no
          // sense: both refuse either as a bad option.
          expect(await both(nowSeconds, tolerance)).toEqual(['TypeError', 'TypeError'])
          return
        }
        expect(await both(nowSeconds - seconds, tolerance)).toEqual([
          'ERR_JWT_EXPIRED',
          'ERR_JWT_EXPIRED',
        ])
        expect(await both(nowSeconds - seconds + 1, tolerance)).toEqual(['ok', 'ok'])
      }),
    )
  })

  test.each(MALFORMED)('malformed tolerance %j: a TypeError from both', async (tolerance) => {
    expect(await both(nowSeconds + 60, tolerance)).toEqual(['TypeError', 'TypeError'])
  })
})
