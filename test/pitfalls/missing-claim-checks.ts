/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 12: a verified MAC is taken to mean "this token is for me, from my
 * issuer, and still valid". See docs/pitfalls/missing-claim-checks.md.
 * ============================================================================
 *
 * A MAC proves who made the token, nothing more. Whether it was made for *this*
 * service (`aud`, RFC 7519 §4.1.3, RFC 8725 §3.9), by the issuer this service trusts
 * (`iss`, §4.1.1, RFC 8725 §3.8), and whether it is still current (`exp`, §4.1.4) are
 * separate checks that the verifier has to ask for.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'
import fc from 'fast-check'
import { type JWTPayload, jwtVerify } from 'jose'
import { type JWTVerifyOptions, signJwt, verifyJwt } from 'jose-by-hand'

// #region naive-decode
/** NEVER USE. Checks the MAC (correctly), then returns whatever the claims say. */
export function naiveDecode(token: string, key: Uint8Array): Record<string, unknown> {
  const [header, payload, signature] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined)
    throw new Error('malformed token')
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const received = Buffer.from(signature, 'base64url')
  if (received.length !== expected.length || !timingSafeEqual(received, expected))
    throw new Error('invalid signature')
  // MISTAKE: no exp, no aud, no iss: a genuine MAC is taken for "valid here and now".
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

/**
 * NEVER USE. The blog post's verification step: jose's `jwtVerify` with no options at
 * all. jose still rejects an `exp` in the past when the claim is present, but nothing
 * requires `exp`, and neither `aud` nor `iss` is looked at.
 */
export async function postStyleVerify(token: string, key: Uint8Array): Promise<JWTPayload> {
  // MISTAKE: no options, so no audience, no issuer, no required exp, no algorithm list.
  const { payload } = await jwtVerify(token, key)
  return payload
}
// #endregion naive-decode

// ---------------------------------------------------------------------------
// One signing key shared by every service of a company: the common set-up in which
// a token minted for one service is also a valid MAC for all the others.
// ---------------------------------------------------------------------------

export const PRODUCTION_ISSUER = 'https://auth.example'
export const STAGING_ISSUER = 'https://auth.staging.example'

/** The claims an issuer might mint, relative to the verifier's clock. */
export interface MintedClaims {
  aud: 'admin' | 'billing'
  iss: string
  /** Seconds from now until `exp`, or `null` for a token without `exp`. */
  expiresIn: number | null
}

/** Boundaries first: the admin audience, the production issuer, exp exactly now. */
export function mintedClaimsArbitrary(): fc.Arbitrary<MintedClaims> {
  return fc.record({
    aud: fc.constantFrom<'admin' | 'billing'>('admin', 'billing'),
    iss: fc.constantFrom(PRODUCTION_ISSUER, STAGING_ISSUER),
    expiresIn: fc.option(
      fc.oneof(fc.constantFrom(0, 1, -1), fc.integer({ min: -86_400, max: 86_400 })),
    ),
  })
}

/** Signs `claims` for subject alice, issued at `now` (seconds). */
export function mint(claims: MintedClaims, key: Uint8Array, now: number): string {
  return signJwt({ sub: 'alice' }, key, {
    issuer: claims.iss,
    audience: claims.aud,
    issuedAt: now,
    ...(claims.expiresIn === null ? {} : { expirationTime: now + claims.expiresIn }),
  })
}

/**
 * Whatever the naive admin service accepts (every genuine MAC), a correct admin service
 * accepts too. The naive decoder breaks it. Shared by the test and by measure-9-18.ts.
 */
export function naiveAgreesWithStrictProperty(
  key: Uint8Array,
  now: number,
  strictOptions: JWTVerifyOptions,
): fc.IPropertyWithHooks<[MintedClaims]> {
  return fc.property(mintedClaimsArbitrary(), (claims) => {
    const token = mint(claims, key, now)
    naiveDecode(token, key)
    try {
      verifyJwt(token, key, strictOptions)
      return true
    } catch {
      return false
    }
  })
}
