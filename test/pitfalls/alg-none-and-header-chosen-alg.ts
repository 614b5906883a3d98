/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 1: a verifier that lets the token's own header choose how, or
 * whether, the token is checked. See docs/pitfalls/alg-none-and-header-chosen-alg.md.
 * ============================================================================
 *
 * The MAC comparison here is otherwise careful (constant time, length checked), so
 * that the only mistake on show is the choice of algorithm.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'
import fc from 'fast-check'
import type { Measured } from './measure.ts'

export interface NaiveVerified {
  header: Record<string, unknown>
  claims: Record<string, unknown>
}

function decodeJsonSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>
}

function macMatches(
  hash: string,
  key: Uint8Array,
  signingInput: string,
  signature: string,
): boolean {
  const expected = createHmac(hash, key).update(signingInput).digest()
  const received = Buffer.from(signature, 'base64url')
  return received.length === expected.length && timingSafeEqual(received, expected)
}

function splitToken(token: string): [string, string, string] {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error('a JWS has three parts')
  return parts as [string, string, string]
}

// #region naive-trusting-header
// MISTAKE: a table of everything the library implements, looked up by whatever the
// token says. `null` stands for "none": RFC 7518 §3.6 registers it, so it went in.
const EVERY_ALGORITHM: ReadonlyMap<string, string | null> = new Map([
  ['HS256', 'sha256'],
  ['HS384', 'sha384'],
  ['HS512', 'sha512'],
  ['none', null],
])

/** Verifies with the algorithm the token's header names, "none" included. */
export function naiveVerifyTrustingHeader(token: string, key: Uint8Array): NaiveVerified {
  const [encodedHeader, encodedPayload, signature] = splitToken(token)
  const header = decodeJsonSegment(encodedHeader)
  const hash = EVERY_ALGORITHM.get(String(header.alg))
  if (hash === undefined) throw new Error(`unsupported alg ${String(header.alg)}`)
  if (hash !== null && !macMatches(hash, key, `${encodedHeader}.${encodedPayload}`, signature)) {
    throw new Error('invalid signature')
  }
  return { header, claims: decodeJsonSegment(encodedPayload) }
}
// #endregion naive-trusting-header

// #region naive-blocking-none
// The table once more, with lower-case names so that "hs256" is tolerated too.
const EVERY_ALGORITHM_LOWER_CASE: ReadonlyMap<string, string | null> = new Map([
  ['hs256', 'sha256'],
  ['hs384', 'sha384'],
  ['hs512', 'sha512'],
  ['none', null],
])

/**
 * The "patched" version written after reading the 2015 advisory: "none" is refused by
 * an exact string comparison, but the lookup that follows folds case. "None", "NONE"
 * and "nOnE" walk past the block list and land on the unsigned entry.
 */
export function naiveVerifyBlockingNone(token: string, key: Uint8Array): NaiveVerified {
  const [encodedHeader, encodedPayload, signature] = splitToken(token)
  const header = decodeJsonSegment(encodedHeader)
  const alg = String(header.alg)
  if (alg === 'none') throw new Error('alg "none" is not allowed')
  const hash = EVERY_ALGORITHM_LOWER_CASE.get(alg.toLowerCase())
  if (hash === undefined) throw new Error(`unsupported alg ${alg}`)
  if (hash !== null && !macMatches(hash, key, `${encodedHeader}.${encodedPayload}`, signature)) {
    throw new Error('invalid signature')
  }
  return { header, claims: decodeJsonSegment(encodedPayload) }
}
// #endregion naive-blocking-none

/** What anyone can build without a key: a header naming `alg`, the claims, no signature. */
export function unsignedToken(alg: string, claims: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg })).toString('base64url')
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${header}.${payload}.`
}

/** The claims Mallory wants the API to believe. */
export const FORGED_CLAIMS: Record<string, unknown> = { sub: 'mallory', role: 'admin' }

/** The API's HMAC key in the docs page: the bytes 0x00, 0x01, …, 0x3f (64 bytes). */
export const API_KEY: Uint8Array = Uint8Array.from({ length: 64 }, (_, i) => i)

/** `true` when `verify` throws for `token`. */
function refuses(verify: (token: string, key: Uint8Array) => unknown, token: string): boolean {
  try {
    verify(token, API_KEY)
  } catch {
    return true
  }
  return false
}

/**
 * The property that breaks the block list: every spelling of "none" (fast-check's
 * `mixedCase` flips the case of each letter independently, "none" itself included)
 * must be refused on an unsigned token.
 */
export function unsignedTokensAreRefused(
  verify: (token: string, key: Uint8Array) => unknown,
): fc.IPropertyWithHooks<[string]> {
  return fc.property(fc.mixedCase(fc.constant('none')), (alg) =>
    refuses(verify, unsignedToken(alg, FORGED_CLAIMS)),
  )
}

/** For test/pitfalls/measure.ts: runs until the first counterexample, or `undefined`. */
export const measured: Measured[] = [
  {
    pitfall: 'alg-none-and-header-chosen-alg',
    property: 'unsigned tokens are refused in every casing of "none" (block-list verifier)',
    firstFailure(seed: number, numRuns: number): number | undefined {
      const details = fc.check(unsignedTokensAreRefused(naiveVerifyBlockingNone), {
        seed,
        numRuns,
        endOnFailure: true,
      })
      return details.failed ? details.numRuns : undefined
    },
  },
]
