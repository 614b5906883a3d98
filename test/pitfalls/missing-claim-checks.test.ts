/**
 * Pitfall 12: missing exp/aud/iss checks; a stolen token replayed at another service.
 * docs/pitfalls/missing-claim-checks.md walks through the same bytes.
 */

import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { signJwt, verifyJwt } from 'jose-by-hand'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import {
  type MintedClaims,
  mint as mintAt,
  mintedClaimsArbitrary,
  naiveAgreesWithStrictProperty,
  naiveDecode,
  PRODUCTION_ISSUER,
  postStyleVerify,
  STAGING_ISSUER,
} from './missing-claim-checks.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i)
// 2026-01-01T00:00:00Z: every clock in this file, including the one jose reads.
const NOW = 1_767_225_600
const CURRENT_DATE = new Date(NOW * 1000)

/** What the admin service should have asked for. */
const ADMIN_OPTIONS = {
  issuer: PRODUCTION_ISSUER,
  audience: 'admin',
  requiredClaims: ['exp'],
  currentDate: CURRENT_DATE,
}

// A 15-minute token for the billing service, as stolen from a billing page.
const BILLING_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlIjoiaW52b2ljZXM6cmVhZCIsImlzcyI6Imh0dHBzOi8vYXV0aC5leGFtcGxlIiwiYXVkIjoiYmlsbGluZyIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI2NTAwfQ.3Bzx8A6dqxZHJ7Wji01MmSR1YilTQDHM2wYEwjkJli0'
// An admin token that expired 1 h 45 min ago.
const EXPIRED_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlzcyI6Imh0dHBzOi8vYXV0aC5leGFtcGxlIiwiYXVkIjoiYWRtaW4iLCJpYXQiOjE3NjcyMTg0MDAsImV4cCI6MTc2NzIxOTMwMH0.N2aLq2MUyklp3Vq89eH-WHaIvGSvYzL2a-wdcvCsC9g'
// An admin token minted by staging, which was configured with the production key.
const STAGING_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlzcyI6Imh0dHBzOi8vYXV0aC5zdGFnaW5nLmV4YW1wbGUiLCJhdWQiOiJhZG1pbiIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI2NTAwfQ.gD1n-4bmMw92_0fDrF9R3dkC5qoc17hPqRRwE3ThxWc'
// An admin token with no exp at all: valid for ever to anyone who does not require it.
const ETERNAL_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlzcyI6Imh0dHBzOi8vYXV0aC5leGFtcGxlIiwiYXVkIjoiYWRtaW4iLCJpYXQiOjE3NjcyMjU2MDB9.IudNl0JZMTsEhuhHtnoMEZgF7QpPuNw7Plv7YkBL9H8'

function mint(claims: MintedClaims): string {
  return mintAt(claims, KEY, NOW)
}

/** The error a verifier throws, with jose's `claim` where there is one. */
async function refusal(action: () => unknown): Promise<{ code: string; claim?: string }> {
  try {
    await action()
  } catch (error) {
    const { code, claim } = error as { code?: string; claim?: string }
    if (typeof code !== 'string') throw error
    return claim === undefined ? { code } : { code, claim }
  }
  throw new Error('expected a rejection, but the call succeeded')
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(CURRENT_DATE)
})
afterAll(() => {
  vi.useRealTimers()
})

describe('pitfall 12: a decode function that checks neither exp, aud nor iss', () => {
  test('the fixed tokens are what signJwt mints', () => {
    expect(
      signJwt({ sub: 'alice', scope: 'invoices:read' }, KEY, {
        issuer: PRODUCTION_ISSUER,
        audience: 'billing',
        issuedAt: NOW,
        expirationTime: '15m',
        currentDate: CURRENT_DATE,
      }),
    ).toBe(BILLING_TOKEN)
    expect(mint({ aud: 'admin', iss: STAGING_ISSUER, expiresIn: 900 })).toBe(STAGING_TOKEN)
    expect(mint({ aud: 'admin', iss: PRODUCTION_ISSUER, expiresIn: null })).toBe(ETERNAL_TOKEN)
  })

  test('the attack: the admin service accepts a stolen billing token, an expired one, a staging one', () => {
    expect(naiveDecode(BILLING_TOKEN, KEY)).toMatchObject({ sub: 'alice', aud: 'billing' })
    expect(naiveDecode(EXPIRED_TOKEN, KEY)).toMatchObject({ exp: NOW - 6300 })
    expect(naiveDecode(STAGING_TOKEN, KEY)).toMatchObject({ iss: STAGING_ISSUER })
    expect(naiveDecode(ETERNAL_TOKEN, KEY)).not.toHaveProperty('exp')
  })

  test("the blog post's jwtVerify without options: replay and staging pass, expiry does not", async () => {
    expect(await postStyleVerify(BILLING_TOKEN, KEY)).toMatchObject({ aud: 'billing' })
    expect(await postStyleVerify(STAGING_TOKEN, KEY)).toMatchObject({ iss: STAGING_ISSUER })
    expect(await postStyleVerify(ETERNAL_TOKEN, KEY)).not.toHaveProperty('exp')
    // jose checks a present exp even unasked; the post's tokens survive only until then.
    expect(await codeOf(() => postStyleVerify(EXPIRED_TOKEN, KEY))).toBe('ERR_JWT_EXPIRED')
  })

  test('fast-check finds a minted token the admin service should have refused', () => {
    // The property: whatever the naive admin service accepts (it accepts every genuine
    // MAC), a correct admin service accepts too.
    const details = fc.check(naiveAgreesWithStrictProperty(KEY, NOW, ADMIN_OPTIONS))
    expect(details.failed).toBe(true)
    const [claims] = details.counterexample as [MintedClaims]
    const token = mint(claims)
    expect(naiveDecode(token, KEY)).toMatchObject({ sub: 'alice' })
    expect(() => verifyJwt(token, KEY, ADMIN_OPTIONS)).toThrow()
  })

  describe.each(implementations)('$name with issuer, audience, requiredClaims', (impl) => {
    test('the billing token: ERR_JWT_CLAIM_VALIDATION_FAILED on aud', async () => {
      expect(await refusal(() => impl.verifyJwt(BILLING_TOKEN, KEY, ADMIN_OPTIONS))).toEqual({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'aud',
      })
    })

    test('the expired token: ERR_JWT_EXPIRED on exp', async () => {
      expect(await refusal(() => impl.verifyJwt(EXPIRED_TOKEN, KEY, ADMIN_OPTIONS))).toEqual({
        code: 'ERR_JWT_EXPIRED',
        claim: 'exp',
      })
    })

    test('the staging token: ERR_JWT_CLAIM_VALIDATION_FAILED on iss', async () => {
      expect(await refusal(() => impl.verifyJwt(STAGING_TOKEN, KEY, ADMIN_OPTIONS))).toEqual({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'iss',
      })
    })

    test('the token without exp: ERR_JWT_CLAIM_VALIDATION_FAILED on exp (missing)', async () => {
      expect(await refusal(() => impl.verifyJwt(ETERNAL_TOKEN, KEY, ADMIN_OPTIONS))).toEqual({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'exp',
      })
    })

    test('every generated token: accepted exactly when it is a live production admin token', async () => {
      await fc.assert(
        fc.asyncProperty(mintedClaimsArbitrary(), async (claims) => {
          const token = mint(claims)
          const meant =
            claims.aud === 'admin' &&
            claims.iss === PRODUCTION_ISSUER &&
            claims.expiresIn !== null &&
            claims.expiresIn > 0
          if (meant) {
            expect((await impl.verifyJwt(token, KEY, ADMIN_OPTIONS)).payload.aud).toBe('admin')
          } else {
            expect(['ERR_JWT_CLAIM_VALIDATION_FAILED', 'ERR_JWT_EXPIRED']).toContain(
              await codeOf(() => impl.verifyJwt(token, KEY, ADMIN_OPTIONS)),
            )
          }
        }),
      )
    })
  })

  test('raw jose, given the options, refuses the replay the same way', async () => {
    const options = { algorithms: ['HS256'], ...ADMIN_OPTIONS }
    expect(await refusal(() => jwtVerify(BILLING_TOKEN, KEY, options))).toEqual({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    })
  })
})
