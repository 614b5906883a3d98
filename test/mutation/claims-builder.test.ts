/**
 * src/claims-builder.ts: what signJwt, encryptJwt and signThenEncrypt refuse to send.
 * A producer must never emit a token its own consumer would refuse, and a mistake in
 * the caller's claims is a programmer error: a TypeError that says what is wrong, not
 * a JOSEError (which means "this token is bad") and not a token.
 *
 * Mutation testing found that no suite passed wrongly typed registered claims, claims
 * with a lone surrogate, or a non-plain object to the signing side, and that a
 * null-prototype claims object was never signed.
 */

import fc from 'fast-check'
import { SignJWT } from 'jose'
import {
  decryptCompact,
  encryptJwt,
  JOSEError,
  type JWTClaimsHelpers,
  type JWTPayload,
  signJwt,
  signThenEncrypt,
  verifyJwt,
} from 'jose-by-hand'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { thrown } from '../support/implementations.ts'

const SIGNING_KEY = new Uint8Array(32).fill(1)
const ENCRYPTION_KEY = new Uint8Array(32).fill(2)
const KEYS = { signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY }
const NOW = new Date('2030-01-01T00:00:00Z')

/** Every producer of claims, so that each rule is checked on all three. */
const PRODUCERS: readonly (readonly [
  string,
  (claims: JWTPayload, options?: JWTClaimsHelpers) => string,
])[] = [
  ['signJwt', (claims, options) => signJwt(claims, SIGNING_KEY, options)],
  ['encryptJwt', (claims, options) => encryptJwt(claims, ENCRYPTION_KEY, options)],
  ['signThenEncrypt', (claims, options) => signThenEncrypt(claims, KEYS, options)],
]

/** A plain TypeError (not a JOSEError) with exactly this message. */
function expectTypeError(action: () => unknown, message: string | RegExp): void {
  const error = thrown(action)
  expect(error).toBeInstanceOf(TypeError)
  expect(error).not.toBeInstanceOf(JOSEError)
  expect(error.message).toMatch(message)
}

class Claims {
  sub = 'user-1'
}

describe.each(PRODUCERS)('%s', (_name, produce) => {
  test.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 5],
    ['a string', '{"sub":"user-1"}'],
    ['an array', ['sub']],
    ['a Map', new Map([['sub', 'user-1']])],
    ['a Date', NOW],
    ['a class instance', new Claims()],
    ['an object with a non-null, non-Object prototype', Object.create({ sub: 'user-1' })],
  ])('refuses %s as the claims set: TypeError', (_label, claims) => {
    expectTypeError(() => produce(claims as JWTPayload), /^JWT Claims Set must be a plain object$/)
  })

  test('accepts a null-prototype object as a plain claims set', () => {
    const claims = Object.assign(Object.create(null) as JWTPayload, { sub: 'user-1', n: 1 })
    expect(() => produce(claims)).not.toThrow()
  })

  test.each([
    [{ iss: 5 }, '"iss" claim must be a string'],
    [{ sub: null }, '"sub" claim must be a string'],
    [{ jti: ['id'] }, '"jti" claim must be a string'],
    [{ aud: ['api', 7] }, '"aud" claim must be a string or an array of strings'],
    [{ aud: { api: true } }, '"aud" claim must be a string or an array of strings'],
    [{ exp: '1900000000' }, '"exp" claim must be a finite number'],
    [{ nbf: Number.POSITIVE_INFINITY }, '"nbf" claim must be a finite number'],
    [{ iat: Number.NaN }, '"iat" claim must be a finite number'],
  ])('refuses wrongly typed registered claims %o: TypeError %j', (claims, message) => {
    expectTypeError(() => produce(claims as JWTPayload), message)
  })

  test.each([
    ['expirationTime', { expirationTime: Number.NaN }],
    ['expirationTime', { expirationTime: Number.POSITIVE_INFINITY }],
    ['notBefore', { notBefore: new Date(Number.NaN) }],
    ['issuedAt', { issuedAt: Number.NEGATIVE_INFINITY }],
  ] as const)('a non-finite %s helper: TypeError naming the option', (name, options) => {
    expectTypeError(
      () => produce({}, { currentDate: NOW, ...options }),
      new RegExp(`^${name} must be a finite NumericDate$`),
    )
  })

  test('refuses claims with a lone surrogate, which its own consumer would refuse', () => {
    expectTypeError(
      () => produce({ name: 'broken \ud800 text' }),
      /^JWT Claims Set contains an escaped lone surrogate$/,
    )
    expectTypeError(
      () => produce({ nested: { deep: ['\udfff'] } }),
      /^JWT Claims Set contains an escaped lone surrogate$/,
    )
  })
})

/** `depth` nested levels of objects and arrays, the outermost an object. */
function nested(depth: number): Record<string, unknown> {
  let value: unknown = {}
  for (let level = 1; level < depth; level++) value = level % 2 === 0 ? { v: value } : [value]
  return { v: value }
}

describe('nesting: at most 64 levels (MAX_JSON_DEPTH), counting the claims set itself', () => {
  test('64 levels are signed and verify', () => {
    const claims = nested(63)
    const { payload } = verifyJwt(signJwt(claims, SIGNING_KEY), SIGNING_KEY)
    expect(payload).toEqual(claims)
  })

  test.each(PRODUCERS)('65 levels: %s refuses with a TypeError', (_name, produce) => {
    expectTypeError(() => produce(nested(64)), /^JWT Claims Set nests deeper than 64 levels$/)
  })

  test.each(PRODUCERS)(
    '65 levels of objects only (no array at all): %s refuses too',
    (_name, produce) => {
      let claims: Record<string, unknown> = {}
      for (let level = 1; level < 65; level++) claims = { v: claims }
      expectTypeError(() => produce(claims), /^JWT Claims Set nests deeper than 64 levels$/)
    },
  )

  test('brackets inside strings are not nesting', () => {
    const claims = { note: '{['.repeat(100), list: [['x']] }
    const { payload } = verifyJwt(signJwt(claims, SIGNING_KEY), SIGNING_KEY)
    expect(payload).toEqual(claims)
  })
})

describe('claims that are not plain JSON data are copied as jose copies them (structuredClone)', () => {
  class Money {
    readonly amount: number
    constructor(amount: number) {
      this.amount = amount
    }
    toJSON(): string {
      return `${this.amount} EUR`
    }
  }
  class Tags extends Array<string> {
    toJSON(): string {
      return this.join(' ')
    }
  }

  test.each([
    ['a class instance with toJSON', { price: new Money(5) }],
    ['an Array subclass with toJSON', { tags: Tags.from(['a', 'b']) }],
    ['a Date', { when: new Date(0) }],
    ['a Map', { map: new Map([['k', 'v']]) }],
    ['a class instance inside an array', { items: ['a', new Money(1)] }],
    ['an array of class instances only', { items: [new Money(1), new Money(2)] }],
    ['a class instance in a nested object', { a: { b: { price: new Money(2) } } }],
    [
      'a class instance in a null-prototype object',
      { a: Object.assign(Object.create(null), { m: new Money(3) }) },
    ],
    ['an undefined member (dropped by JSON)', { sub: 'user-1', gone: undefined }],
    ['plain JSON data', { a: [1, 'two', true, null, { b: [] }], c: -0.5 }],
  ])('%s: the same bytes as jose SignJWT', async (_case, claims) => {
    const ours = signJwt(claims as JWTPayload, SIGNING_KEY, { header: { alg: 'HS256' } })
    const theirs = await new SignJWT(claims as JWTPayload)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(SIGNING_KEY)
    expect(ours).toBe(theirs)
  })

  test('a function among the claims cannot be cloned: DataCloneError, as from jose', () => {
    const claims = { sub: 'user-1', callback(): void {} }
    expect(thrown(() => signJwt(claims, SIGNING_KEY)).name).toBe('DataCloneError')
    expect(thrown(() => new SignJWT(claims)).name).toBe('DataCloneError')
  })
})

/** The claims set inside any producer's token, read without checking the claims. */
function claimsOf(token: string): unknown {
  const parts = token.split('.')
  if (parts.length === 3) return JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString())
  const inner = new TextDecoder().decode(decryptCompact(token, ENCRYPTION_KEY).plaintext)
  return inner.startsWith('{') ? JSON.parse(inner) : claimsOf(inner)
}

describe.each(PRODUCERS)('%s: the helpers measure durations from currentDate', (_name, produce) => {
  const now = NOW.getTime() / 1000
  test.each([
    ['notBefore', 'nbf'],
    ['issuedAt', 'iat'],
    ['expirationTime', 'exp'],
  ] as const)('%s "1h", given alone: %s = currentDate + 3600', (helper, claim) => {
    expect(claimsOf(produce({}, { currentDate: NOW, [helper]: '1h' }))).toEqual({
      [claim]: now + 3600,
    })
  })
})

test('the null-prototype claims set round-trips through verifyJwt', () => {
  const claims = Object.assign(Object.create(null) as JWTPayload, { sub: 'user-1', n: 1 })
  const { payload } = verifyJwt(signJwt(claims, SIGNING_KEY), SIGNING_KEY)
  expect(payload).toEqual({ sub: 'user-1', n: 1 })
})

describe('the copy of the claims', () => {
  test('why it matters: a class instance with toJSON is cloned first, as jose does', async () => {
    // structuredClone copies own fields into a plain object, leaving toJSON (on the
    // prototype) behind; a shallow copy would keep the instance and sign "five".
    class Money {
      amount = 5
      toJSON(): string {
        return 'five'
      }
    }
    const claims = { price: new Money() }
    const jose = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(SIGNING_KEY)
    expect(signJwt(claims, SIGNING_KEY)).toBe(jose)
    expect(verifyJwt(jose, SIGNING_KEY).payload).toEqual({ price: { amount: 5 } })
  })
})

test.each(PRODUCERS)(
  '%s refuses claims that JSON.stringify turns into a non-object (a polluted toJSON)',
  (_name, produce) => {
    // With Object.prototype.toJSON polluted, JSON.stringify of a plain object gives
    // whatever it returns; the consumer would refuse "[1]" as claims, so we never send it.
    Object.defineProperty(Object.prototype, 'toJSON', {
      value: (): unknown => [1],
      configurable: true,
      writable: true,
    })
    try {
      expectTypeError(() => produce({ sub: 'user-1' }), /^JWT Claims Set is not a JSON object$/)
    } finally {
      delete (Object.prototype as { toJSON?: unknown }).toJSON
    }
  },
)
