/**
 * src/jws.ts: the checks on the caller's side of signCompact and verifyCompact that
 * mutation testing found unpinned.
 *
 * - The header passed to signCompact: missing, empty or non-string `alg` is Invalid (the
 *   header is malformed), an unknown `alg` NotSupported, and `b64` without `crit` is
 *   refused on the way out as it is on the way in (RFC 7797 §6).
 * - Keys must be bytes: a string of the right length would be taken by node:crypto as
 *   a key, so signing and verifying with a passphrase string must fail loudly.
 * - The `algorithms` option: every entry must be a supported name, not just the first.
 * - Every rejection says which part failed; programmer errors name the option.
 */

import { type JWSHeader, signCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { b64u, forgeJws } from '../support/forge.ts'
import { codeOf, thrown } from '../support/implementations.ts'

const KEY = new Uint8Array(64).fill(1)

describe('signCompact: the header decides the algorithm, and must be well formed', () => {
  test('null: ERR_JWS_INVALID, the header must be a JSON object', () => {
    const error = thrown(() => signCompact('x', KEY, null as unknown as JWSHeader))
    expect(error.code).toBe('ERR_JWS_INVALID')
    expect(error.message).toBe('JWS Protected Header must be a JSON object')
  })

  test.each([
    ['no alg', { typ: 'JWT' }],
    ['an empty alg', { alg: '' }],
    ['a numeric alg', { alg: 256 }],
    ['an array alg', { alg: ['HS256'] }],
  ])('%s: ERR_JWS_INVALID', async (_case, header) => {
    const error = thrown(() => signCompact('x', KEY, header as unknown as JWSHeader))
    expect(error.code).toBe('ERR_JWS_INVALID')
    expect(error.message).toMatch(/"alg"/)
  })

  test.each(['none', 'RS256', 'hs256', 'HS1024'])(
    'alg %j: ERR_JOSE_NOT_SUPPORTED naming it',
    (alg) => {
      const error = thrown(() => signCompact('x', KEY, { alg }))
      expect(error.code).toBe('ERR_JOSE_NOT_SUPPORTED')
      expect(error.message).toContain(JSON.stringify(alg))
    },
  )

  test('b64 without crit is refused when signing, as when verifying (RFC 7797 §6)', async () => {
    for (const b64 of [false, true]) {
      const error = thrown(() => signCompact('x', KEY, { alg: 'HS256', b64 }))
      expect(error.code).toBe('ERR_JWS_INVALID')
      expect(error.message).toMatch(/"b64".*"crit"/)
    }
  })
})

describe('keys are raw bytes, never strings', () => {
  const passphrase = 'k'.repeat(64)

  test('signCompact with a string key: TypeError', () => {
    const error = thrown(() => signCompact('x', passphrase as unknown as Uint8Array))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/Uint8Array/)
  })

  test('verifyCompact with a string key: TypeError, even when that string signed the token', () => {
    const token = forgeJws(b64u('{"alg":"HS256"}'), b64u('x'), Buffer.from(passphrase))
    const error = thrown(() => verifyCompact(token, passphrase as unknown as Uint8Array))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/Uint8Array/)
  })
})

describe('the algorithms option: every entry must be a supported name', () => {
  // Built inside each test: src code run at collection time is "static" for Stryker.
  const token = (): string => signCompact('x', KEY)

  test.each([
    [[], /^algorithms must be a non-empty array/],
    ['HS256', /^algorithms must be a non-empty array/],
    [['HS256', 'HS1024'], /^algorithms: "HS1024" is not supported/],
    [['HS256', 'none'], /^algorithms: "none" is not supported/],
    [['HS256', 256], /^algorithms: 256 is not supported/],
  ])('%j: TypeError naming the problem', (algorithms, message) => {
    const error = thrown(() => verifyCompact(token(), KEY, { algorithms: algorithms as string[] }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(message)
  })

  test('a key too short for every allowed algorithm: the message gives the smallest need', () => {
    const short = new Uint8Array(16)
    const error = thrown(() => verifyCompact(token(), short, { algorithms: ['HS512', 'HS256'] }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(
      /^key has 16 bytes; the allowed algorithms \(HS512, HS256\) need at least 32 /,
    )
  })
})

describe('verifyCompact: each rejection names what failed', () => {
  const payload = b64u('{"sub":"alice"}')

  test.each([
    ['no alg', forgeJws(b64u('{"typ":"JWT"}'), payload, KEY), 'ERR_JWS_INVALID', /"alg"/],
    [
      'alg not allowed',
      forgeJws(b64u('{"alg":"HS512"}'), payload, KEY, 'HS512'),
      'ERR_JOSE_ALG_NOT_ALLOWED',
      // jose's message, word for word.
      /^"alg" \(Algorithm\) Header Parameter value not allowed$/,
    ],
    [
      'a non-ASCII payload segment',
      `${b64u('{"alg":"HS256"}')}.${payload}é.${b64u(new Uint8Array(32))}`,
      'ERR_JWS_INVALID',
      /Payload/,
    ],
    [
      'a padded payload segment under a valid MAC',
      forgeJws(b64u('{"alg":"HS256"}'), `${b64u('ab')}=`, KEY),
      'ERR_JWS_INVALID',
      /Payload/,
    ],
    [
      'a padded signature',
      `${forgeJws(b64u('{"alg":"HS256"}'), payload, KEY)}=`,
      'ERR_JWS_INVALID',
      /Signature/,
    ],
  ])('%s: %s', async (_case, token, code, message) => {
    expect(await codeOf(() => verifyCompact(token, KEY))).toBe(code)
    expect(thrown(() => verifyCompact(token, KEY)).message).toMatch(message)
  })

  test('a key that fits HS256 but not the HS512 token: ERR_JWS_INVALID naming the alg', () => {
    const key = new Uint8Array(32).fill(1)
    const token = forgeJws(b64u('{"alg":"HS512"}'), payload, key, 'HS512')
    const error = thrown(() => verifyCompact(token, key, { algorithms: ['HS256', 'HS512'] }))
    expect(error.code).toBe('ERR_JWS_INVALID')
    expect(error.message).toMatch(/too short for HS512/)
  })
})
