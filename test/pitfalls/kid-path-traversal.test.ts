/**
 * Pitfall 16: the `kid` header used as a file path (RFC 8725 §3.10).
 * docs/pitfalls/kid-path-traversal.md walks through the same bytes.
 */

import { jwtVerify } from 'jose'
import { verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import {
  forge,
  naiveKeyForKid,
  naiveVerifyWithKid,
  PUBLIC_PAGE,
  REAL_KEY,
} from './kid-path-traversal.ts'

const LEGIT =
  'eyJhbGciOiJIUzI1NiIsImtpZCI6IjIwMjYtMDEifQ.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIn0.NoPHyobUd5uQ3WESsqpbw02I4MCgOJ91Z6YR3bveYak'
const VIA_DEV_NULL =
  'eyJhbGciOiJIUzI1NiIsImtpZCI6Ii4uLy4uLy4uL2Rldi9udWxsIn0.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.WYiJWuliH9Ow9ZwCtRZ6K7gzslCoEg7eDHXm5n9ROUM'
const VIA_PUBLIC_PAGE =
  'eyJhbGciOiJIUzI1NiIsImtpZCI6Ii4uL2FwcC9wdWJsaWMvaW5kZXguaHRtbCJ9.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.R2DQc2k7eguiMgnXF8S7Va7RG4qMo5-t8PFCVE9aygE'
const ADMIN = { sub: 'mallory', role: 'admin' }

/** The fix: kid selects among keys the service already has, and nothing else. */
const KEYS: ReadonlyMap<string, Uint8Array> = new Map([['2026-01', REAL_KEY]])
function keyForKid(kid: unknown): Uint8Array {
  const key = typeof kid === 'string' ? KEYS.get(kid) : undefined
  if (key === undefined) throw new Error('unknown kid')
  return key
}

describe('pitfall 16: kid as a file path', () => {
  test('the legitimate token names its key file', () => {
    expect(naiveVerifyWithKid(LEGIT)).toEqual({ sub: 'alice', role: 'user' })
  })

  test('the attack: kid "../../../dev/null" makes the key empty', () => {
    expect(naiveKeyForKid('../../../dev/null')).toEqual(new Uint8Array(0))
    expect(forge({ alg: 'HS256', kid: '../../../dev/null' }, ADMIN, new Uint8Array(0))).toBe(
      VIA_DEV_NULL,
    )
    expect(naiveVerifyWithKid(VIA_DEV_NULL)).toEqual(ADMIN)
  })

  test('the attack: kid "../app/public/index.html" makes the key a public page', () => {
    expect(naiveKeyForKid('../app/public/index.html')).toEqual(PUBLIC_PAGE)
    expect(forge({ alg: 'HS256', kid: '../app/public/index.html' }, ADMIN, PUBLIC_PAGE)).toBe(
      VIA_PUBLIC_PAGE,
    )
    expect(naiveVerifyWithKid(VIA_PUBLIC_PAGE)).toEqual(ADMIN)
  })

  describe.each(implementations)('$name takes the key from the caller, never from kid', (impl) => {
    test('both forgeries: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
      for (const token of [VIA_DEV_NULL, VIA_PUBLIC_PAGE]) {
        expect(await codeOf(() => impl.verifyJwt(token, REAL_KEY))).toBe(
          'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        )
      }
    })

    test('kid comes back as data, for the caller to look up safely', async () => {
      const { protectedHeader } = await impl.verifyJwt(LEGIT, keyForKid('2026-01'))
      expect(protectedHeader.kid).toBe('2026-01')
      expect(() => keyForKid('../../../dev/null')).toThrow('unknown kid')
    })

    test('behind the naive lookup, the /dev/null key is refused as a programmer error', async () => {
      await expect(
        (async () => impl.verifyJwt(VIA_DEV_NULL, naiveKeyForKid('../../../dev/null')))(),
      ).rejects.toThrow(TypeError)
    })

    test('behind the naive lookup, the public page is a long enough key: the lookup is the bug', async () => {
      const key = naiveKeyForKid('../app/public/index.html')
      expect((await impl.verifyJwt(VIA_PUBLIC_PAGE, key)).payload).toEqual(ADMIN)
    })
  })

  test('raw jose refuses the empty key through WebCrypto, not with a JOSE error', async () => {
    await expect(
      jwtVerify(VIA_DEV_NULL, new Uint8Array(0), { algorithms: ['HS256'] }),
    ).rejects.toThrow('Zero-length key is not supported')
  })

  test('src: the same refusal for the forged token under the real key', () => {
    expect(() => verifyJwt(VIA_PUBLIC_PAGE, REAL_KEY)).toThrow('signature verification failed')
  })
})
