/**
 * Length arbitraries for the glass-box properties: every boundary of the block sizes
 * listed explicitly, then random lengths around them (test/support/arbitraries.ts draws lengths
 * first for the same reason).
 */

import fc from 'fast-check'

/** SHA-256 padding (FIPS 180-4 §5.1.1): 55 bytes fit one block with the length, 56 do not. */
export const SHA256_LENGTH_BOUNDARIES: readonly number[] = [
  0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129,
]

/** SHA-256 message lengths: 0–200 bytes around the boundaries, and now and then several KiB. */
export function sha256MessageLength(): fc.Arbitrary<number> {
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 3, arbitrary: fc.constantFrom(...SHA256_LENGTH_BOUNDARIES) },
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1025, max: 8192 }) },
  )
}

/** HMAC keys (RFC 2104 §2): empty, short, at and across the 64-byte block, hashed when longer. */
export const HMAC_KEY_LENGTH_BOUNDARIES: readonly number[] = [
  0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 200,
]

export function hmacKeyLength(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(...HMAC_KEY_LENGTH_BOUNDARIES), fc.integer({ min: 0, max: 200 }))
}

/** GCM input lengths (AAD or plaintext): 0, both sides of 16 and 32, then anything to `max`. */
export function gcmLength(max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 3, arbitrary: fc.constantFrom(0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 49) },
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 100 }) },
    { weight: 1, arbitrary: fc.integer({ min: 101, max }) },
  )
}

/** The three AES key sizes (FIPS 197 §5: Nk = 4, 6 or 8 words). */
export function aesKeyLength(): fc.Arbitrary<number> {
  return fc.constantFrom(16, 24, 32)
}
