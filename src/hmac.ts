/**
 * HMAC with SHA-2 for JWS (RFC 7518 §3.2): the algorithm table, key sizes, and a
 * constant-time comparison.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'

export interface HmacAlgorithm {
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
  ['HS256', { hash: 'sha256', minKeyBytes: 32, macBytes: 32 }],
  ['HS384', { hash: 'sha384', minKeyBytes: 48, macBytes: 48 }],
  ['HS512', { hash: 'sha512', minKeyBytes: 64, macBytes: 64 }],
])

/** The algorithm entry for `alg`, or `undefined` when this module does not implement it. */
export function hmacAlgorithm(alg: string): HmacAlgorithm | undefined {
  return HMAC_ALGORITHMS.get(alg)
}

// #region hmac-sign
/**
 * The MAC over the JWS Signing Input (RFC 7515 §5.1 step 5), which is the ASCII of
 * `BASE64URL(header) || '.' || BASE64URL(payload)`. Callers have already checked that
 * the input is ASCII, so 'latin1' maps each character to exactly its one byte.
 */
export function hmac(algorithm: HmacAlgorithm, key: Uint8Array, signingInput: string): Buffer {
  return createHmac(algorithm.hash, key).update(signingInput, 'latin1').digest()
}
// #endregion hmac-sign

/** The same MAC, written straight as base64url by the native digest: no Buffer in between. */
export function hmacBase64url(
  algorithm: HmacAlgorithm,
  key: Uint8Array,
  signingInput: string,
): string {
  return createHmac(algorithm.hash, key).update(signingInput, 'latin1').digest('base64url')
}

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
