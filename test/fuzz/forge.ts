/**
 * Token forgery on node:crypto, independent of both src/ and jose: the tests need tokens
 * that neither implementation would produce (a BOM in the header, duplicate names, a
 * padded payload segment under a valid MAC, …) and must not borrow the code under test
 * to make them.
 */

import { createCipheriv, createHmac } from 'node:crypto'
import { BASE64URL_ALPHABET } from '../verdict.ts'

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
