/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 2: claims are read, and acted on, before or without a MAC check.
 * See docs/pitfalls/decode-without-verify.md.
 * ============================================================================
 *
 * Three shapes of one mistake. The first decides before it verifies; the second
 * verifies with a perfectly good verifier (src's) and then ignores the verdict; the
 * third starts jose's verifier and does not wait for it.
 */

import fc from 'fast-check'
import { decodeJwt, jwtVerify } from 'jose'
import { signJwt, verifyJwt } from 'jose-by-hand'
import type { Measured } from './measure.ts'

export type Claims = Record<string, unknown>

/** Base64url-decodes the middle segment. Anyone holding the token can do this. */
function decodeClaims(token: string): Claims {
  const payload = token.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims
}

// #region naive-decide-then-verify
/** An "admin fast path": the role is read from the payload before the MAC is checked. */
export function naiveIsAdmin(token: string, key: Uint8Array): boolean {
  const claims = decodeClaims(token)
  // MISTAKE: the decision is taken on bytes nobody has authenticated yet.
  if (claims.role === 'admin') return true
  verifyJwt(token, key)
  return false
}
// #endregion naive-decide-then-verify

// #region naive-swallow
/** A verifier whose verdict is logged, not enforced. */
export function naiveClaimsAfterLogging(
  token: string,
  key: Uint8Array,
  log: (message: string) => void,
): Claims {
  try {
    verifyJwt(token, key)
  } catch (error) {
    // MISTAKE: "log and carry on" turns a rejection into a warning nobody reads.
    log(`token verification failed: ${(error as { code?: string }).code}`)
  }
  return decodeClaims(token)
}
// #endregion naive-swallow

// #region naive-not-awaited
/** jose's verifier started but not awaited: the claims are returned before it finishes. */
export async function naiveClaimsNotAwaited(
  token: string,
  key: Uint8Array,
  report: (error: unknown) => void,
): Promise<Claims> {
  // MISTAKE: no `await`. The rejection arrives later and goes to `report`.
  jwtVerify(token, key, { algorithms: ['HS256'] }).catch(report)
  return decodeJwt(token)
}
// #endregion naive-not-awaited

/** The key of the example: the bytes 0x00 … 0x1f. */
export const KEY: Uint8Array = Uint8Array.from({ length: 32 }, (_, i) => i)

/** Alice's genuine token: `{"sub":"alice","role":"user"}`, HS256, issued by the API. */
export function aliceToken(): string {
  return signJwt({ sub: 'alice', role: 'user' }, KEY)
}

/** `token` with its payload segment replaced by `claims`; the signature is kept as it was. */
export function withClaims(token: string, claims: Claims): string {
  const [header, , signature] = token.split('.')
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
}

/** Claims an attacker might write into a token: a subject and a role, boundaries included. */
export function editedClaims(): fc.Arbitrary<Claims> {
  return fc.record({
    sub: fc.oneof(fc.constantFrom('', 'alice', 'bob'), fc.string({ maxLength: 64, size: 'max' })),
    role: fc.constantFrom('user', 'guest', 'admin', 'root'),
  })
}

/** The property the fast path breaks: an edited token never grants admin. */
export function editedTokensNeverGrantAdmin(): fc.IPropertyWithHooks<[Claims]> {
  const genuine = aliceToken()
  return fc.property(editedClaims(), (claims) => {
    try {
      return !naiveIsAdmin(withClaims(genuine, claims), KEY)
    } catch {
      return true
    }
  })
}

/** For test/pitfalls/measure.ts: runs until the first counterexample, or `undefined`. */
export const measured: Measured[] = [
  {
    pitfall: 'decode-without-verify',
    property: 'a token with edited claims never grants admin (decide-then-verify)',
    firstFailure(seed: number, numRuns: number): number | undefined {
      const details = fc.check(editedTokensNeverGrantAdmin(), { seed, numRuns, endOnFailure: true })
      return details.failed ? details.numRuns : undefined
    },
  },
]
