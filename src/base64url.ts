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
  // Buffer.from encodes a string as UTF-8, its default (a lone surrogate becomes U+FFFD, as
  // with TextEncoder). The temporary may sit in Node's pool; it never leaves this line.
  if (typeof input === 'string') return Buffer.from(input).toString('base64url')
  return asBuffer(input).toString('base64url')
}
// #endregion base64url-encode

// #region base64url-decode
/**
 * Decodes canonical base64url, or returns `undefined` for any other spelling.
 * Callers turn `undefined` into the error class of their layer (JWS, JWE, …).
 */
export function decodeBase64url(input: string): Uint8Array | undefined {
  const decoded = decodeBase64urlTransient(input)
  return decoded === undefined ? undefined : ownedBytes(decoded)
}

/**
 * {@link decodeBase64url} without the copy: the answer may be a view into Node's shared
 * pool, so it is only for bytes that never leave this module (headers, MACs, IVs, tags,
 * ciphertexts, a JWT's claims). Bytes handed to a caller go through `decodeBase64url`.
 */
export function decodeBase64urlTransient(input: string): Buffer | undefined {
  const length = input.length
  // RFC 4648 §4: 4 characters carry 3 bytes; a lone trailing character carries
  // only 6 bits, less than one byte, so a length of 1 mod 4 is never valid.
  const remainder = length % 4
  if (remainder === 1) return undefined
  const byteLength = ((length - remainder) / 4) * 3 + (remainder === 0 ? 0 : remainder - 1)

  // RFC 4648 §3.5: the unused low bits of the last character must be zero, or the
  // same bytes would have 4 (or 16) spellings. Checked first: it is O(1).
  if (remainder !== 0) {
    const value = ALPHABET.indexOf(input.charAt(length - 1))
    const unusedBits = remainder === 2 ? 0b1111 : 0b11
    if (value < 0 || (value & unusedBits) !== 0) return undefined
  }

  // Node's decoder is lenient in four ways, and each needs its own guard:
  // 1. it keeps only the low byte of each UTF-16 code unit ('Ů', U+016E, reads as 'n'):
  //    no code unit may be above U+00FF (see BEYOND_LATIN1); U+0080-U+00FF are not in
  //    the alphabet, so the decoder skips them and the count below catches them;
  // 2. and 3. it accepts the base64 alphabet's '+' and '/' as well as '-' and '_':
  //    both are refused by name;
  // 4. it skips characters outside the alphabet and stops at '=': then it writes
  //    fewer bytes than the length promises, which the count below catches.
  if (BEYOND_LATIN1.test(input)) return undefined
  if (input.indexOf('+') !== -1 || input.indexOf('/') !== -1) return undefined

  // One native decode. Buffer.from answers with a view into Node's shared pool for short
  // input and with exactly-sized memory of its own for long input, so ownedBytes (above)
  // copies only short segments, and a megabyte segment is never copied.
  const decoded = Buffer.from(input, 'base64url')
  return decoded.length === byteLength ? decoded : undefined
}

// Guard 1 without a pass over the input: V8 stores a string whose code units are all
// U+0000-U+00FF one byte per character, and for such a string it knows that this class
// cannot match, so the test is O(1) for every token that arrived as ASCII. (A full scan,
// such as Buffer.byteLength(input, 'utf8'), costs 165 µs on a 1 MiB ciphertext.)
const BEYOND_LATIN1 = /[\u0100-\uffff]/
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
