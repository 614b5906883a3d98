/**
 * The error classes (src/errors.ts) against jose's: they are part of the public API, and callers written for
 * jose branch on them the jose way: `error.code === errors.JWTExpired.code` (the static
 * code) and `error.cause.claim` as well as `error.claim`. Mutation testing showed that
 * no suite read the static codes or the `cause`; these tests pin both against jose.
 */

import { errors, jwtVerify } from 'jose'
import {
  JOSEAlgNotAllowed,
  JOSEError,
  JOSENotSupported,
  JWEDecryptionFailed,
  JWEInvalid,
  JWSInvalid,
  JWSSignatureVerificationFailed,
  JWTClaimValidationFailed,
  JWTExpired,
  JWTInvalid,
  type JWTPayload,
  type JWTVerifyOptions,
  signJwt,
  verifyJwt,
} from 'jose-by-hand'
import { describe, expect, test } from 'vitest'

/** Each class of src beside jose's class of the same name. */
const PAIRS = [
  ['JOSEError', JOSEError, errors.JOSEError],
  ['JOSEAlgNotAllowed', JOSEAlgNotAllowed, errors.JOSEAlgNotAllowed],
  ['JOSENotSupported', JOSENotSupported, errors.JOSENotSupported],
  ['JWEDecryptionFailed', JWEDecryptionFailed, errors.JWEDecryptionFailed],
  ['JWEInvalid', JWEInvalid, errors.JWEInvalid],
  ['JWSInvalid', JWSInvalid, errors.JWSInvalid],
  [
    'JWSSignatureVerificationFailed',
    JWSSignatureVerificationFailed,
    errors.JWSSignatureVerificationFailed,
  ],
  ['JWTInvalid', JWTInvalid, errors.JWTInvalid],
  ['JWTClaimValidationFailed', JWTClaimValidationFailed, errors.JWTClaimValidationFailed],
  ['JWTExpired', JWTExpired, errors.JWTExpired],
] as const

describe('error classes: the same static and instance codes as jose', () => {
  test.each(PAIRS)('%s.code equals jose errors.%s.code', (_name, fromSrc, fromJose) => {
    expect(fromSrc.code).toBe(fromJose.code)
  })

  test.each(PAIRS)(
    'new %s(…).code equals the static code; name and message as given',
    (name, SrcClass) => {
      const error = new SrcClass('message', {}, 'exp', 'check_failed')
      expect({ code: error.code, name: error.name, message: error.message }).toEqual({
        code: SrcClass.code,
        name,
        message: 'message',
      })
      expect(error).toBeInstanceOf(JOSEError)
    },
  )
})

describe('claim errors carry claim, reason and payload in `cause`, as jose does', () => {
  const key = new Uint8Array(32).fill(3)
  const now = new Date('2030-01-01T00:00:00Z')
  const seconds = now.getTime() / 1000

  /** The error each implementation throws for the same token and options. */
  async function bothErrors(
    claims: JWTPayload,
    options: JWTVerifyOptions,
  ): Promise<[unknown, unknown]> {
    const token = signJwt(claims, key)
    let fromSrc: unknown
    let fromJose: unknown
    try {
      verifyJwt(token, key, options)
    } catch (error) {
      fromSrc = error
    }
    try {
      await jwtVerify(token, key, { algorithms: ['HS256'], ...options })
    } catch (error) {
      fromJose = error
    }
    return [fromSrc, fromJose]
  }

  test.each([
    [JWTClaimValidationFailed, { iss: 'a' }, { issuer: 'b' }, 'iss', 'check_failed'],
    [JWTClaimValidationFailed, {}, { subject: 's' }, 'sub', 'missing'],
    [JWTExpired, { exp: seconds }, {}, 'exp', 'check_failed'],
  ] as const)(
    '%o for %j under %j: cause = { claim: %s, reason: %s, payload }',
    async (SrcClass, claims, options, claim, reason) => {
      const [fromSrc, fromJose] = await bothErrors(claims, { currentDate: now, ...options })
      expect(fromSrc).toBeInstanceOf(SrcClass)
      expect((fromJose as { code?: unknown }).code).toBe(SrcClass.code)
      const cause = { claim, reason, payload: claims }
      expect((fromSrc as Error).cause).toEqual(cause)
      expect((fromJose as Error).cause).toEqual(cause)
      expect(fromSrc).toMatchObject({ claim, reason, payload: claims })
    },
  )
})
