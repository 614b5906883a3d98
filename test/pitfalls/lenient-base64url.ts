/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 10: a lenient base64url decoder, plus a revocation list keyed by the
 * token string. See docs/pitfalls/lenient-base64url.md.
 * ============================================================================
 *
 * RFC 7515 §2 defines base64url without padding, line breaks or whitespace, and
 * RFC 4648 §3.5 lets a decoder refuse non-zero unused bits. A decoder that accepts
 * all of these gives one signature many spellings, so "the same token" is no longer
 * "the same string".
 */

import { createHmac, timingSafeEqual } from 'node:crypto'
import fc from 'fast-check'
import { BASE64URL_ALPHABET } from '../support/forge.ts'

/** Thrown by the naive service for a token on its revocation list. */
export class RevokedToken extends Error {}

// #region naive-string-revocation
/**
 * NEVER USE. HS256 verification with Node's base64url decoder, which skips characters
 * outside the alphabet, stops at `=`, accepts `+` and `/`, and ignores the unused bits
 * of the last character.
 */
export function naiveVerifyHs256(token: string, key: Uint8Array): Record<string, unknown> {
  const [header, payload, signature] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined)
    throw new Error('malformed token')
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  // MISTAKE: Buffer.from(…, 'base64url') is lenient; many strings give these 32 bytes.
  const received = Buffer.from(signature, 'base64url')
  if (received.length !== expected.length || !timingSafeEqual(received, expected))
    throw new Error('invalid signature')
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

/** NEVER USE. "Log out" adds the token string to a set; every request checks the set first. */
export function naiveAuthenticate(
  token: string,
  key: Uint8Array,
  revoked: ReadonlySet<string>,
): Record<string, unknown> {
  // MISTAKE: the token string is not an identity; the verified jti is.
  if (revoked.has(token)) throw new RevokedToken('token has been revoked')
  return naiveVerifyHs256(token, key)
}
// #endregion naive-string-revocation

// ---------------------------------------------------------------------------
// Re-spelling a token without touching its bytes.
// ---------------------------------------------------------------------------

/** How to re-spell the signature segment: each field is one leniency. */
export interface Respelling {
  /** XOR into the unused low bits of the last character (RFC 4648 §3.5). */
  spareBits: number
  /** How many `=` to append (RFC 7515 §2 forbids any). */
  padding: number
  /** Whitespace to insert, and where (RFC 7515 §2 forbids it). */
  whitespace: string
  at: number
  /** Spell `-` and `_` as `+` and `/`, the base64 (not base64url) alphabet. */
  standardAlphabet: boolean
}

/** Every field starts at "no change", so fast-check shrinks towards the canonical spelling. */
export function respellingArbitrary(): fc.Arbitrary<Respelling> {
  return fc.record({
    spareBits: fc.integer({ min: 0, max: 3 }),
    padding: fc.integer({ min: 0, max: 2 }),
    whitespace: fc.constantFrom('', ' ', '\n', '\t', '\r\n'),
    at: fc.nat(),
    standardAlphabet: fc.boolean(),
  })
}

/**
 * Applies a re-spelling to the signature of an HS256 token (32 bytes: 43 characters,
 * so the last one carries 2 unused bits).
 */
export function respell(token: string, how: Respelling): string {
  const dot = token.lastIndexOf('.')
  let signature = token.slice(dot + 1)
  const last = BASE64URL_ALPHABET.indexOf(signature.charAt(signature.length - 1))
  signature = signature.slice(0, -1) + BASE64URL_ALPHABET.charAt(last ^ (how.spareBits & 0b11))
  if (how.standardAlphabet) signature = signature.replaceAll('-', '+').replaceAll('_', '/')
  signature += '='.repeat(how.padding)
  const at = how.at % (signature.length + 1)
  signature = signature.slice(0, at) + how.whitespace + signature.slice(at)
  return `${token.slice(0, dot + 1)}${signature}`
}

/**
 * No other spelling of a revoked token gets past the service. The naive service
 * breaks it. Shared by the test and by measure-9-18.ts.
 */
export function revokedStaysRevokedProperty(
  token: string,
  key: Uint8Array,
): fc.IPropertyWithHooks<[Respelling]> {
  const revoked = new Set([token])
  return fc.property(respellingArbitrary(), (how) => {
    const respelled = respell(token, how)
    fc.pre(respelled !== token)
    try {
      naiveAuthenticate(respelled, key, revoked)
      return false
    } catch {
      return true
    }
  })
}
