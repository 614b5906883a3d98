/**
 * The token-forging kit, on node:crypto, independent of both src/ and reference/: the
 * tests need tokens that neither would produce (a BOM in the header, duplicate names, a
 * padded payload segment under a valid MAC, …) and must not borrow the code under test
 * to make them. Also the base64url alphabet and the ways to re-spell a segment.
 */

import { createCipheriv, createHmac } from 'node:crypto'

/** RFC 4648 §5: the base64url alphabet; a character's 6-bit value is its index. */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** How many characters unpadded base64url spends on `byteLength` bytes (RFC 4648 §5). */
export function encodedLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3)
}

/** Canonical base64url (RFC 7515 §2) of bytes, or of a string's UTF-8. */
export function b64u(input: Uint8Array | string): string {
  return Buffer.from(input).toString('base64url')
}

/** Canonical base64url of arbitrary text, bytes as given (for a BOM, pass it in `text`). */
export function segmentOfText(text: string): string {
  return b64u(Buffer.from(text, 'utf8'))
}

const HASH_OF: Readonly<Record<string, string>> = {
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
}

/**
 * A compact JWS over the segments exactly as given (RFC 7515 §5.1 steps 5–7): the MAC
 * covers the received spelling, so a padded or re-spelled segment still carries a valid MAC.
 */
export function forgeJws(
  headerSegment: string,
  payloadSegment: string,
  key: Uint8Array,
  alg = 'HS256',
): string {
  const hash = HASH_OF[alg]
  if (hash === undefined) throw new Error(`forgeJws: no hash for ${alg}`)
  const signingInput = `${headerSegment}.${payloadSegment}`
  const mac = createHmac(hash, key).update(signingInput, 'latin1').digest()
  return `${signingInput}.${b64u(mac)}`
}

const CIPHER_OF_KEY_LENGTH: Readonly<
  Record<number, 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'>
> = {
  16: 'aes-128-gcm',
  24: 'aes-192-gcm',
  32: 'aes-256-gcm',
}

/**
 * A compact `dir` JWE (RFC 7516 §5.1) with the header segment exactly as given, used as
 * the AAD (step 14), and AES-GCM chosen by the key's length.
 */
export function forgeJwe(
  headerSegment: string,
  plaintext: Uint8Array | string,
  key: Uint8Array,
  iv: Uint8Array = new Uint8Array(12),
): string {
  const cipherName = CIPHER_OF_KEY_LENGTH[key.length]
  if (cipherName === undefined) throw new Error(`forgeJwe: no AES-GCM for a ${key.length}-byte key`)
  const cipher = createCipheriv(cipherName, key, iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(headerSegment, 'latin1'))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return `${headerSegment}..${b64u(iv)}.${b64u(ciphertext)}.${b64u(cipher.getAuthTag())}`
}

/** `true` when `segment` is the one canonical base64url spelling of its bytes (RFC 4648 §3.5). */
export function isCanonicalSegment(segment: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) return false
  return Buffer.from(segment, 'base64url').toString('base64url') === segment
}

/** The same bytes with `=` padding, as RFC 4648 §4 base64 would write them ('' if none is due). */
export function padded(segment: string): string {
  return segment + '='.repeat((4 - (segment.length % 4)) % 4)
}

/**
 * The same bytes with non-zero unused bits in the last character (RFC 4648 §3.5), or
 * `undefined` when the length leaves no unused bits.
 */
export function withSpareBits(segment: string, spare = 1): string | undefined {
  const remainder = segment.length % 4
  if (remainder !== 2 && remainder !== 3) return undefined
  const unusedBits = remainder === 2 ? 0b1111 : 0b11
  const last = BASE64URL_ALPHABET.indexOf(segment.charAt(segment.length - 1))
  const bits = spare & unusedBits || 1
  return segment.slice(0, -1) + BASE64URL_ALPHABET.charAt(last | bits)
}

// The ways to re-spell a base64url segment that the JWS and JWE suites try on every
// segment (RFC 4648 §3.5, RFC 7515 §2): each breaks exactly one property of canonical
// base64url. Where Node's decoder is lenient the re-spelled segment decodes to the very
// same bytes, which is why each needs its own guard in src/base64url.ts.

/** True when `text` passes the O(1) checks (length not 1 mod 4, zero spare bits), so a later guard must catch it. */
function passesCheapChecks(text: string): boolean {
  const remainder = text.length % 4
  if (remainder === 1) return false
  if (remainder === 0) return true
  const value = BASE64URL_ALPHABET.indexOf(text.charAt(text.length - 1))
  return value >= 0 && (value & (remainder === 2 ? 0b1111 : 0b11)) === 0
}

/** Inserts `char` (1–3 times) mid-segment, keeping the cheap checks green. */
function insertMiddle(segment: string, char: string): string | undefined {
  const middle = Math.floor(segment.length / 2)
  for (let count = 1; count <= 3; count++) {
    const candidate = segment.slice(0, middle) + char.repeat(count) + segment.slice(middle)
    if (passesCheapChecks(candidate)) return candidate
  }
  return undefined
}

/** Replaces the first `from` with `to`, when that keeps the cheap checks green. */
function replaceFirst(segment: string, from: string, to: string): string | undefined {
  const at = segment.indexOf(from)
  if (at === -1) return undefined
  const candidate = segment.slice(0, at) + to + segment.slice(at + 1)
  return passesCheapChecks(candidate) ? candidate : undefined
}

export interface Respelling {
  readonly name: string
  /** The re-spelled segment, or `undefined` when this segment does not admit it. */
  readonly apply: (segment: string) => string | undefined
  /** Raw jose decodes with atob: it strips whitespace and padding and ignores spare bits. */
  readonly jose: 'accepted' | 'rejected'
  /** Node's Buffer decoder reads the mutated segment as the original bytes. */
  readonly nodeReadsSameBytes: boolean
}

export const RESPELLINGS: readonly Respelling[] = [
  {
    name: "padding '='",
    apply: (s) => (s.length % 4 === 0 ? undefined : s + '='.repeat(4 - (s.length % 4))),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a space',
    apply: (s) => insertMiddle(s, ' '),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a line feed',
    apply: (s) => insertMiddle(s, '\n'),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a tab',
    apply: (s) => insertMiddle(s, '\t'),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a NUL',
    apply: (s) => insertMiddle(s, '\0'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: "'+' for '-'",
    apply: (s) => replaceFirst(s, '-', '+'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: "'/' for '_'",
    apply: (s) => replaceFirst(s, '_', '/'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: "'Ů' (U+016E) for 'n'",
    apply: (s) => replaceFirst(s, 'n', '\u016e'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: 'length 1 mod 4',
    apply: (s) => s + 'A'.repeat((5 - (s.length % 4)) % 4 || 4),
    jose: 'rejected',
    nodeReadsSameBytes: false,
  },
  {
    name: 'non-zero spare bits',
    apply: (s) => {
      if (s.length % 4 === 0) return undefined
      const value = BASE64URL_ALPHABET.indexOf(s.charAt(s.length - 1))
      return s.slice(0, -1) + BASE64URL_ALPHABET.charAt(value | 1)
    },
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
]

/** A key of `length` bytes that differs at every position; `seed` tells keys apart. */
export function patternKey(length: number, seed: number): Uint8Array {
  const key = new Uint8Array(length)
  for (let i = 0; i < key.length; i++) key[i] = (seed + i * 7) & 0xff
  return key
}

/** Replaces character `position` of segment `index` with another base64url character. */
export function tamper(token: string, index: number, position: number, shift: number): string {
  const segments = token.split('.')
  const segment = segments[index] as string
  const old = BASE64URL_ALPHABET.indexOf(segment[position] as string)
  const changed = BASE64URL_ALPHABET[(old + shift) % 64] as string
  segments[index] = segment.slice(0, position) + changed + segment.slice(position + 1)
  return segments.join('.')
}

/** The JSON in segment `index` of a compact token, read without the code under test. */
export function segmentJson(token: string, index: number): unknown {
  return JSON.parse(Buffer.from(token.split('.')[index] as string, 'base64url').toString('utf8'))
}
