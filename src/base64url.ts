/**
 * Strict base64url (RFC 4648 §5, as profiled by RFC 7515 §2 and Appendix C).
 *
 * JOSE compact tokens are compared, cached and revoked as strings, so every byte
 * string must have exactly one spelling. A decoder that also accepts padding,
 * whitespace, `+` and `/`, or non-zero unused bits lets an attacker re-spell a
 * token without touching its signature. This decoder accepts the canonical
 * spelling only.
 */

import { asBuffer, ownedBytes } from './bytes.ts'

// #region base64url-alphabet
// RFC 4648 §5 alphabet: a character's 6-bit value is its index here (-1: not in it).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
// #endregion base64url-alphabet

// #region base64url-encode
/** Canonical base64url without padding (RFC 7515 §2). Strings are encoded as UTF-8 first. */
export function encodeBase64url(input: Uint8Array | string): string {
  // Buffer.from encodes a string as UTF-8, its default (a lone surrogate becomes U+FFFD,
  // as with TextEncoder); asBuffer wraps the caller's bytes without copying them.
  const bytes = typeof input === 'string' ? Buffer.from(input) : asBuffer(input)
  return bytes.toString('base64url')
}
// #endregion base64url-encode

// #region base64url-decode
/**
 * Decodes canonical base64url, or returns `undefined` for any other spelling.
 * Callers turn `undefined` into the error class of their layer (JWS, JWE, …).
 */
export function decodeBase64url(input: string): Uint8Array | undefined {
  const length = input.length
  // RFC 4648 §4: 4 characters carry 3 bytes; a lone trailing character carries
  // only 6 bits, less than one byte, so a length of 1 mod 4 is never valid.
  const remainder = length % 4
  if (remainder === 1) return undefined
  const byteLength = ((length - remainder) / 4) * 3 + (remainder === 0 ? 0 : remainder - 1)

  // RFC 4648 §3.5: the unused low bits of the last character must be zero, or the
  // same bytes would have 4 (or 16) spellings.
  if (remainder !== 0) {
    const value = ALPHABET.indexOf(input.charAt(length - 1))
    const unusedBits = remainder === 2 ? 0b1111 : 0b11
    if (value < 0 || (value & unusedBits) !== 0) return undefined
  }

  // Node's decoder is lenient in four ways, and each needs its own guard:
  // 1. it keeps only the low byte of each UTF-16 code unit ('Ů', U+016E, reads as 'n'),
  //    so no code unit may be above U+00FF; U+0080-U+00FF are not in the alphabet, so
  //    the decoder skips them and the count below catches them;
  // 2. and 3. it accepts the base64 alphabet's '+' and '/' as well as '-' and '_':
  //    both are refused by name;
  // 4. it skips characters outside the alphabet and stops at '=': then it writes
  //    fewer bytes than the length promises, which the count below catches.
  if (/[\u0100-\uffff]/.test(input)) return undefined
  if (input.includes('+') || input.includes('/')) return undefined
  const decoded = Buffer.from(input, 'base64url')
  if (decoded.length !== byteLength) return undefined
  // A short Buffer may be a view into Node's shared pool: the caller gets bytes of its own.
  return ownedBytes(decoded)
}
// #endregion base64url-decode

/** The `base64url` object of the public API. `decode` throws a `TypeError` for non-canonical input. */
export const base64url: {
  encode(input: Uint8Array | string): string
  decode(input: string): Uint8Array
} = {
  encode: encodeBase64url,
  decode(input: string): Uint8Array {
    if (typeof input !== 'string') throw new TypeError('base64url.decode expects a string')
    const bytes = decodeBase64url(input)
    if (bytes === undefined) {
      throw new TypeError(
        'not canonical base64url (RFC 7515 §2): only A-Z a-z 0-9 - _, no padding, zero unused bits',
      )
    }
    return bytes
  },
}
