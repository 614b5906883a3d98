/**
 * src's own verdicts on pieces of a token, asked through its public API (`jose-by-hand`)
 * so that the inspector names exactly the rules src applies, never a copy of them.
 *
 * The trick: src checks JSON and claim types only after a MAC has verified. So the
 * piece in question is signed with a throwaway key, as the payload of a fresh HS256
 * JWS, and handed to verifyJwt with that key: the MAC passes, and the first thing that
 * can fail is the rule being asked about. The key proves nothing and is never shown.
 */

import {
  base64url,
  JWTClaimValidationFailed,
  JWTInvalid,
  signCompact,
  verifyJwt,
} from 'jose-by-hand'

/** A fixed, public, all-zero key: only there to get past the MAC (see above). */
const THROWAWAY_KEY = new Uint8Array(32)
const CLAIMS_SET = 'JWT Claims Set '

/** What src's strict base64url decoder reads, or undefined when it refuses `segment`. */
export function strictBase64url(segment: string): Uint8Array | undefined {
  try {
    return base64url.decode(segment)
  } catch {
    return undefined
  }
}

/** src's verdict on `payload` as a claims set: the error it throws, or undefined. */
function judgeClaims(payload: string): unknown {
  const token = signCompact(payload, THROWAWAY_KEY)
  try {
    // No length cap: the cap is reported on the real token, not on this one.
    verifyJwt(token, THROWAWAY_KEY, { maxTokenLength: Number.POSITIVE_INFINITY })
    return undefined
  } catch (error) {
    return error
  }
}

/**
 * Why src's strict JSON parser refuses `text` (duplicate names, lone surrogates, depth,
 * syntax, not an object), in its own words; undefined when it accepts it.
 */
export function jsonProblem(text: string): string | undefined {
  const error = judgeClaims(text)
  if (error instanceof JWTInvalid && error.message.startsWith(CLAIMS_SET)) {
    return error.message.slice(CLAIMS_SET.length)
  }
  return undefined
}

/** Why src refuses `value` as the registered claim `claim` (RFC 7519 §4.1), or undefined. */
export function claimTypeProblem(claim: string, value: unknown): string | undefined {
  const error = judgeClaims(JSON.stringify({ [claim]: value }))
  // 'invalid' is the type check; the clock checks that may follow it are not asked about.
  if (error instanceof JWTClaimValidationFailed && error.reason === 'invalid') return error.message
  return undefined
}
