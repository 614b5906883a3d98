/**
 * HMAC with SHA-2 for JWS (RFC 7518 §3.2): the algorithm table, key sizes, and a
 * constant-time comparison.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'

export interface HmacAlgorithm {
  /** The JWS "alg" name (RFC 7518 §3.1). */
  readonly name: string
  /** Node's name for the hash. */
  readonly hash: 'sha256' | 'sha384' | 'sha512'
  /** RFC 7518 §3.2: "A key of the same size as the hash output … or larger MUST be used". */
  readonly minKeyBytes: number
  /** The MAC is the full hash output; no truncation in JWS. */
  readonly macBytes: number
}

// A Map, not an object literal: a header saying alg "__proto__" or "toString" must
// find nothing here.
const HMAC_ALGORITHMS: ReadonlyMap<string, HmacAlgorithm> = new Map([
  ['HS256', { name: 'HS256', hash: 'sha256', minKeyBytes: 32, macBytes: 32 }],
  ['HS384', { name: 'HS384', hash: 'sha384', minKeyBytes: 48, macBytes: 48 }],
  ['HS512', { name: 'HS512', hash: 'sha512', minKeyBytes: 64, macBytes: 64 }],
])

/** The algorithm entry for `alg`, or `undefined` when this module does not implement it. */
export function hmacAlgorithm(alg: string): HmacAlgorithm | undefined {
  return HMAC_ALGORITHMS.get(alg)
}

// #region hmac-sign
/**
 * The MAC over the JWS Signing Input (RFC 7515 §5.1 step 5), which is the ASCII of
 * `BASE64URL(header) || '.' || BASE64URL(payload)`. Every character of a well-formed
 * Signing Input is ASCII, so its UTF-8 bytes (the default encoding) are its ASCII bytes.
 */
export function hmac(algorithm: HmacAlgorithm, key: Uint8Array, signingInput: string): Uint8Array {
  return createHmac(algorithm.hash, key).update(signingInput).digest()
}
// #endregion hmac-sign

// #region mac-compare
/**
 * Compares a received MAC with the expected one without leaking, through timing, how
 * many leading bytes matched: an early-exit comparison such as `===` lets a remote
 * attacker guess a valid MAC byte by byte. `timingSafeEqual` needs equal lengths, and
 * a MAC of any other length is simply wrong: checking the length first leaks only
 * the length, which is public anyway.
 */
export function macEquals(expected: Uint8Array, received: Uint8Array): boolean {
  if (received.length !== expected.length) return false
  return timingSafeEqual(expected, received)
}
// #endregion mac-compare
