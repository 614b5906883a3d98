/**
 * ============================================================================
 * NEVER USE outside teaching: part of an attack tool (the GCM nonce-reuse forgery).
 * Reading observed dir JWEs as GCM equations. See docs/pitfalls/iv-reuse.md.
 * ============================================================================
 *
 * NIST SP 800-38D §7.1: T = GHASH_H(A, C) ⊕ E_K(J0), and GHASH is a polynomial in H whose
 * coefficients are the blocks it hashes (§6.4): with blocks B_1 … B_m (AAD, ciphertext,
 * then the length block), GHASH_H = B_1 H^m + B_2 H^(m-1) + … + B_m H. So every token
 * gives one polynomial P(X) = T + B_m X + … + B_1 X^m with P(H) = E_K(J0): a value that
 * depends only on the key and the IV.
 */

import { base64url } from 'jose-by-hand'
import type { Element } from './field.ts'
import { normalize, type Polynomial } from './polynomial.ts'

const GCM_ENCS: readonly string[] = ['A128GCM', 'A192GCM', 'A256GCM']

/** What the attacker reads off one compact dir JWE: no key needed. */
export interface ObservedToken {
  /** The header segment, whose ASCII bytes are the AAD (RFC 7516 §5.1 step 14). */
  readonly encodedHeader: string
  readonly ivSegment: string
  readonly aad: Uint8Array
  readonly ciphertext: Uint8Array
  readonly tag: Uint8Array
}

function decodeSegment(segment: string, what: string): Uint8Array {
  try {
    return base64url.decode(segment)
  } catch {
    throw new TypeError(`${what} is not base64url`)
  }
}

function readHeader(encodedHeader: string, what: string): Record<string, unknown> {
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder().decode(decodeSegment(encodedHeader, what)))
  } catch {
    throw new TypeError(`${what}: the protected header is not JSON`)
  }
  if (typeof header !== 'object' || header === null)
    throw new TypeError(`${what}: the protected header is not a JSON object`)
  return header as Record<string, unknown>
}

/** Splits and checks one observed token: a compact JWE with alg "dir" and AES-GCM. */
export function parseObservedToken(token: string, what: string): ObservedToken {
  if (typeof token !== 'string') throw new TypeError(`${what} is not a string`)
  const segments = token.split('.')
  if (segments.length !== 5) throw new TypeError(`${what} is not a compact JWE (five segments)`)
  const [encodedHeader, encryptedKey, ivSegment, ciphertext, tag] = segments as [
    string,
    string,
    string,
    string,
    string,
  ]
  const header = readHeader(encodedHeader, what)
  if (header.alg !== 'dir' || encryptedKey !== '')
    throw new TypeError(`${what} is not a dir JWE (alg ${JSON.stringify(header.alg)})`)
  if (typeof header.enc !== 'string' || !GCM_ENCS.includes(header.enc))
    throw new TypeError(`${what} is not AES-GCM (enc ${JSON.stringify(header.enc)})`)
  if (decodeSegment(ivSegment, `${what}'s IV`).length !== 12)
    throw new TypeError(`${what}'s IV is not 96 bits`)
  const tagBytes = decodeSegment(tag, `${what}'s tag`)
  if (tagBytes.length !== 16) throw new TypeError(`${what}'s tag is not 128 bits`)
  return {
    encodedHeader,
    ivSegment,
    aad: new TextEncoder().encode(encodedHeader),
    ciphertext: decodeSegment(ciphertext, `${what}'s ciphertext`),
    tag: tagBytes,
  }
}

/** The 16-byte blocks of `bytes`, the last one zero-padded (SP 800-38D §7.1 step 5). */
function blocksOf(bytes: Uint8Array): Element[] {
  const blocks: Element[] = []
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const block = new Uint8Array(16)
    block.set(bytes.subarray(offset, offset + 16))
    blocks.push(block)
  }
  return blocks
}

/** [len(A)]64 || [len(C)]64, both in bits. */
function lengthBlock(aad: Uint8Array, ciphertext: Uint8Array): Element {
  const block = new Uint8Array(16)
  const view = new DataView(block.buffer)
  view.setBigUint64(0, BigInt(aad.length) * 8n)
  view.setBigUint64(8, BigInt(ciphertext.length) * 8n)
  return block
}

// #region tag-polynomial
/**
 * P(X) = T + B_m X + B_(m-1) X^2 + … + B_1 X^m for the GHASH blocks B_1 … B_m of the
 * token (AAD blocks, ciphertext blocks, the length block). P(H) = E_K(J0).
 */
export function tagPolynomial(token: ObservedToken): Polynomial {
  const blocks = [...blocksOf(token.aad), ...blocksOf(token.ciphertext)]
  blocks.push(lengthBlock(token.aad, token.ciphertext))
  // The last block is multiplied by H once, the first by H^m: reverse them.
  return normalize([token.tag, ...blocks.reverse()])
}
// #endregion tag-polynomial
