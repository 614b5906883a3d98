/**
 * src/claims.ts: what mutation testing found unpinned.
 *
 * - An expected audience given as a string is one audience, not a set of characters:
 *   `expected.includes(aud)` on a string would match substrings, and a token for
 *   "api" would pass a check for "https://api.example.com".
 * - The claim-check failures carry jose's own messages word for word (the tour prints
 *   them side by side); the registered-type failures, which jose does not make,
 *   name the claim and the type it must have.
 * - A claims set that cannot be parsed says why.
 */

import { jwtVerify } from 'jose'
import {
  decryptJwt,
  encryptJwt,
  type JWTPayload,
  type JWTVerifyOptions,
  signJwt,
  verifyJwt,
} from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { b64u, forgeJwe, forgeJws } from '../support/forge.ts'
import { thrown } from '../support/implementations.ts'

const KEY = new Uint8Array(32).fill(1)
const NOW = new Date('2030-01-01T00:00:00Z')
const T = NOW.getTime() / 1000

/** jose's error for the same token and options. */
async function joseError(token: string, options: JWTVerifyOptions): Promise<Error> {
  try {
    await jwtVerify(token, KEY, { algorithms: ['HS256'], ...options })
  } catch (error) {
    return error as Error
  }
  throw new Error('expected jose to reject')
}

describe('audience: whole strings, never substrings (RFC 7519 §4.1.3)', () => {
  test.each([
    ['api', 'https://api.example.com'],
    ['api.example', 'https://api.example.com'],
    [['other', 'example'], 'https://api.example.com'],
    ['', 'https://api.example.com'],
  ])('aud %j against expected %j: check_failed from ours and jose', async (aud, audience) => {
    const token = signJwt({ aud }, KEY)
    const options = { audience, currentDate: NOW }
    expect(thrown(() => verifyJwt(token, KEY, options))).toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
      reason: 'check_failed',
    })
    expect(await joseError(token, options)).toMatchObject({ claim: 'aud', reason: 'check_failed' })
  })

  test('the same audiences, spelled whole, pass', () => {
    const token = signJwt({ aud: ['other', 'https://api.example.com'] }, KEY)
    const { payload } = verifyJwt(token, KEY, { audience: 'https://api.example.com' })
    expect(payload.aud).toEqual(['other', 'https://api.example.com'])
  })
})

describe("claim-check failures: jose's messages, word for word", () => {
  test.each([
    [{}, { typ: 'JWT' }, 'typ'],
    [{}, { requiredClaims: ['jti'] }, 'jti'],
    [{ iss: 'a' }, { issuer: 'b' }, 'iss'],
    [{ sub: 'a' }, { subject: 'b' }, 'sub'],
    [{ aud: 'a' }, { audience: 'b' }, 'aud'],
    [{ nbf: T + 1 }, {}, 'nbf'],
    [{ exp: T }, {}, 'exp'],
    [{ iat: T - 61 }, { maxTokenAge: 60 }, 'iat (too old)'],
    [{ iat: T + 1 }, { maxTokenAge: 60 }, 'iat (future)'],
  ] as [JWTPayload, JWTVerifyOptions, string][])(
    '%j under %j (%s)',
    async (claims, options, _case) => {
      const token = signJwt(claims, KEY, { header: { alg: 'HS256' } })
      const all = { currentDate: NOW, ...options }
      const ours = thrown(() => verifyJwt(token, KEY, all))
      const theirs = await joseError(token, all)
      expect({ code: ours.code, message: ours.message }).toEqual({
        code: (theirs as { code?: string }).code,
        message: theirs.message,
      })
    },
  )
})

describe('wrongly typed registered claims: the message names the claim and its type', () => {
  test.each([
    ['{"iss":1}', '"iss" claim must be a string'],
    ['{"jti":null}', '"jti" claim must be a string'],
    ['{"aud":[1]}', '"aud" claim must be a string or an array of strings'],
    ['{"exp":"1"}', '"exp" claim must be a finite number'],
    ['{"nbf":1e400}', '"nbf" claim must be a finite number'],
  ])('%s', (claims, message) => {
    const token = forgeJws(b64u('{"alg":"HS256"}'), b64u(claims), KEY)
    expect(thrown(() => verifyJwt(token, KEY, { currentDate: NOW }))).toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      reason: 'invalid',
      message,
    })
  })
})

describe('a claims set that cannot be read says why', () => {
  test.each([
    [
      Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
      /^JWT Claims Set is not UTF-8 without a byte-order mark$/,
    ],
    [Buffer.from([0x7b, 0xc3, 0x7d]), /^JWT Claims Set is not UTF-8 without a byte-order mark$/],
    [Buffer.from('{"sub":"a","sub":"b"}'), /^JWT Claims Set has a duplicate member name "sub"$/],
    [Buffer.from('"claims"'), /^JWT Claims Set is not a JSON object$/],
  ])('%s', (claims, message) => {
    const signed = forgeJws(b64u('{"alg":"HS256"}'), b64u(claims), KEY)
    const encrypted = forgeJwe(b64u('{"alg":"dir","enc":"A256GCM"}'), claims, KEY)
    for (const action of [() => verifyJwt(signed, KEY), () => decryptJwt(encrypted, KEY)]) {
      const error = thrown(action)
      expect(error.code).toBe('ERR_JWT_INVALID')
      expect(error.message).toMatch(message)
    }
  })
})

test('currentDate must be a valid Date: TypeError saying so', () => {
  const token = encryptJwt({}, KEY)
  for (const currentDate of [new Date(Number.NaN), 1_900_000_000 as unknown as Date]) {
    const error = thrown(() => decryptJwt(token, KEY, { currentDate }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('currentDate must be a valid Date')
  }
})
