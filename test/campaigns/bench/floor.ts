/**
 * The raw node:crypto floor: the least work any HS256 or dir + A256GCM implementation on
 * node:crypto has to do, with no validation beyond what keeps it correct. The manual
 * module is measured against these; nothing here is meant for production use.
 *
 * What the floor does on purpose, so that the comparison stays fair:
 * - sign: JSON.stringify of header and claims, base64url of both, one createHmac, base64url;
 * - verify: split, base64url decodes, JSON.parse of the header (to read `alg`, which
 *   every verifier must check: RFC 8725 §3.1), one createHmac, timingSafeEqual after a
 *   length check, JSON.parse of the claims;
 * - encrypt: a fresh random 96-bit IV (RFC 7518 §5.3), JSON.stringify and base64url of the
 *   header, createCipheriv with authTagLength 16, the header segment as AAD, base64url;
 * - decrypt: split, JSON.parse of the header (to read `alg`/`enc`), base64url decodes,
 *   createDecipheriv with authTagLength 16 (Node accepts 4-byte tags without it), AAD, tag.
 *
 * What the floor skips, and the module does not: the length cap, canonical base64url,
 * strict UTF-8 and JSON (duplicates, lone surrogates, depth), `crit`, key-size checks,
 * registered-claim types and the claim checks, exact-size owned output bytes.
 */

import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'

/** Thrown by the floor on any failure: the floor does not classify errors. */
export class FloorError extends Error {}

function base64urlOfText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

// #region floor-sign
/** HS256 compact JWS of a JWT claims set: the sign-side floor. */
export function floorSignHs256(header: object, claims: object, key: Uint8Array): string {
  const signingInput = `${base64urlOfText(JSON.stringify(header))}.${base64urlOfText(JSON.stringify(claims))}`
  const signature = createHmac('sha256', key).update(signingInput, 'latin1').digest('base64url')
  return `${signingInput}.${signature}`
}
// #endregion floor-sign

// #region floor-verify
/** Verifies an HS256 compact JWS and returns its claims: the verify-side floor. */
export function floorVerifyHs256(token: string, key: Uint8Array): unknown {
  const first = token.indexOf('.')
  const second = token.indexOf('.', first + 1)
  if (first === -1 || second === -1 || token.indexOf('.', second + 1) !== -1)
    throw new FloorError('not three segments')
  const header = JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString('utf8')) as {
    alg?: unknown
  }
  if (header.alg !== 'HS256') throw new FloorError('alg not allowed')
  const signature = Buffer.from(token.slice(second + 1), 'base64url')
  const expected = createHmac('sha256', key).update(token.slice(0, second), 'latin1').digest()
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected))
    throw new FloorError('signature mismatch')
  return JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'))
}
// #endregion floor-verify

// #region floor-encrypt
/** dir + A256GCM compact JWE: the encrypt-side floor. */
export function floorEncryptA256gcm(
  header: object,
  plaintext: Uint8Array,
  key: Uint8Array,
): string {
  const iv = randomBytes(12)
  const encodedHeader = base64urlOfText(JSON.stringify(header))
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(encodedHeader, 'latin1'))
  const ciphertext = cipher.update(plaintext)
  cipher.final()
  const tag = cipher.getAuthTag()
  return `${encodedHeader}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`
}
// #endregion floor-encrypt

// #region floor-decrypt
/** Decrypts a dir + A256GCM compact JWE and returns the plaintext: the decrypt-side floor. */
export function floorDecryptA256gcm(token: string, key: Uint8Array): Uint8Array {
  const dots: number[] = []
  let at = token.indexOf('.')
  while (at !== -1) {
    dots.push(at)
    at = token.indexOf('.', at + 1)
  }
  if (dots.length !== 4) throw new FloorError('not five segments')
  const [d1, d2, d3, d4] = dots as [number, number, number, number]
  const encodedHeader = token.slice(0, d1)
  const header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as {
    alg?: unknown
    enc?: unknown
  }
  if (header.alg !== 'dir' || header.enc !== 'A256GCM') throw new FloorError('alg/enc not allowed')
  const iv = Buffer.from(token.slice(d2 + 1, d3), 'base64url')
  const ciphertext = Buffer.from(token.slice(d3 + 1, d4), 'base64url')
  const tag = Buffer.from(token.slice(d4 + 1), 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
  decipher.setAAD(Buffer.from(encodedHeader, 'latin1'))
  decipher.setAuthTag(tag)
  const plaintext = decipher.update(ciphertext)
  decipher.final()
  return plaintext
}
// #endregion floor-decrypt
