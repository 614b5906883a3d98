/**
 * src/base64url.ts, the public `base64url.decode`: a non-string is refused with a
 * TypeError that says a string was expected (not a TypeError from deep inside the
 * decoder, such as "input.charCodeAt is not a function"), and a non-canonical string
 * with one that says what canonical means. Mutation testing showed neither message
 * was pinned, so removing the type check went unnoticed: Node's errors are TypeErrors
 * too.
 */

import { base64url } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { thrown } from '../support/implementations.ts'

describe('base64url.decode', () => {
  test.each([
    ['a number', 123],
    ['null', null],
    ['bytes', new Uint8Array([0x41, 0x41, 0x41, 0x41])],
    ['a String object', new String('AAAA')],
    ['an array', ['AAAA']],
  ])('%s: TypeError "expects a string"', (_case, input) => {
    const error = thrown(() => base64url.decode(input as string))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('base64url.decode expects a string')
  })

  test.each(['AAAA=', 'AB', 'A+/A', 'AA AA', 'A'])(
    '%j: TypeError explaining canonical base64url',
    (input) => {
      const error = thrown(() => base64url.decode(input))
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(/^not canonical base64url \(RFC 7515 §2\)/)
    },
  )
})
