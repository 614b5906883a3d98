/**
 * Strict base64url (RFC 4648 §5, as profiled by RFC 7515 §2 and Appendix C).
 *
 * JOSE compact tokens are compared, cached and revoked as strings, so every byte
 * string must have exactly one spelling. A decoder that also accepts padding,
 * whitespace, `+` and `/`, or non-zero unused bits lets an attacker re-spell a
 * token without touching its signature. This decoder accepts the canonical
 * spelling only.
 */

import { asBuffer, toBytes } from './bytes.ts'

// #region base64url-alphabet
// RFC 4648 §5 alphabet: the value of each character, or -1 for "not in the alphabet".
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUE_OF = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i
// #endregion base64url-alphabet

// #region base64url-encode
/** Canonical base64url without padding (RFC 7515 §2). Strings are encoded as UTF-8 first. */
export function encodeBase64url(input: Uint8Array | string): string {
  return asBuffer(toBytes(input)).toString('base64url')
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
  // same bytes would have 4 (or 16) spellings. Checked first: it is O(1).
  if (remainder !== 0) {
    const last = input.charCodeAt(length - 1)
    const value = last < 128 ? (VALUE_OF[last] ?? -1) : -1
    const unusedBits = remainder === 2 ? 0b1111 : 0b11
    if (value < 0 || (value & unusedBits) !== 0) return undefined
  }

  // Node's decoder is lenient in four ways, and each needs its own guard:
  // 1. it keeps only the low byte of each UTF-16 code unit ('Ů', U+016E, reads as 'n'):
  //    the string must be ASCII;
  // 2. and 3. it accepts the base64 alphabet's '+' and '/' as well as '-' and '_':
  //    both are refused by name;
  // 4. it skips characters outside the alphabet and stops at '=': then it writes
  //    fewer bytes than the length promises, which the count below catches.
  if (Buffer.byteLength(input, 'utf8') !== length) return undefined
  if (input.indexOf('+') !== -1 || input.indexOf('/') !== -1) return undefined

  const output = new Uint8Array(byteLength)
  const written = asBuffer(output).write(input, 'base64url')
  if (written !== byteLength) return undefined
  return output
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
