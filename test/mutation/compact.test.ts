/**
 * src/compact.ts: the framing errors say what is wrong (a non-string, the segment
 * count the layer needs) and a bad `maxTokenLength` option is a TypeError naming it.
 * The codes were pinned already; mutation testing showed the messages were not, and
 * the message is what tells a JWS with 4 segments from a JWE with 4.
 */

import { decryptCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { thrown } from '../support/implementations.ts'

const JWS_KEY = new Uint8Array(32)
const JWE_KEY = new Uint8Array(32)

const LAYERS = [
  {
    name: 'verifyCompact',
    count: 3,
    invalid: 'ERR_JWS_INVALID',
    run: (token: unknown, options = {}) => verifyCompact(token as string, JWS_KEY, options),
  },
  {
    name: 'decryptCompact',
    count: 5,
    invalid: 'ERR_JWE_INVALID',
    run: (token: unknown, options = {}) => decryptCompact(token as string, JWE_KEY, options),
  },
] as const

describe.each(LAYERS)('$name', ({ count, invalid, run }) => {
  test.each([5, null, undefined, ['a.b.c'], new String('a.b.c')])(
    'token %j: "must be a string"',
    (token) => {
      expect(thrown(() => run(token))).toMatchObject({
        code: invalid,
        message: 'compact token must be a string',
      })
    },
  )

  test.each([1, count - 1, count + 1, count + 3])(
    '%i segments: "must have exactly N segments"',
    (segments) => {
      const token = Array.from({ length: segments }, () => 'e30').join('.')
      expect(thrown(() => run(token))).toMatchObject({
        code: invalid,
        message: `compact token must have exactly ${count} segments`,
      })
    },
  )

  test.each([0, -5, 10.5, Number.NaN, Number.NEGATIVE_INFINITY, '65536', 2 ** 53])(
    'maxTokenLength %j: TypeError naming the option',
    (maxTokenLength) => {
      const error = thrown(() => run('a.b.c', { maxTokenLength }))
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toBe('maxTokenLength must be a positive integer (or Infinity)')
    },
  )
})
