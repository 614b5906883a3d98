/**
 * AES-GCM for JWE content encryption (RFC 7518 §5.3): the algorithm table and the two
 * primitives, with the IV and tag sizes JOSE fixes.
 */

import { createCipheriv, createDecipheriv } from 'node:crypto'
import { ownedBytes } from './bytes.ts'

export interface GcmAlgorithm {
  /** The JWE "enc" name (RFC 7518 §5.1). */
  readonly name: string
  readonly cipher: 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'
  /** With `dir`, the shared key *is* the content encryption key: 16, 24 or 32 bytes. */
  readonly keyBytes: number
}

// A Map, so that an "enc" of "__proto__" or "constructor" finds nothing.
const GCM_ALGORITHMS: ReadonlyMap<string, GcmAlgorithm> = new Map([
  ['A128GCM', { name: 'A128GCM', cipher: 'aes-128-gcm', keyBytes: 16 }],
  ['A192GCM', { name: 'A192GCM', cipher: 'aes-192-gcm', keyBytes: 24 }],
  ['A256GCM', { name: 'A256GCM', cipher: 'aes-256-gcm', keyBytes: 32 }],
])

/** RFC 7518 §5.3: "Use of an IV of size 96 bits is REQUIRED". */
export const IV_BYTES = 12
/** RFC 7518 §5.3: "The requested size of the Authentication Tag output MUST be 128 bits". */
export const TAG_BYTES = 16

export function gcmAlgorithm(enc: string): GcmAlgorithm | undefined {
  return GCM_ALGORITHMS.get(enc)
}

// #region gcm-encrypt
/** AES-GCM encryption: returns the ciphertext and the 128-bit tag over it and the AAD. */
export function gcmEncrypt(
  algorithm: GcmAlgorithm,
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv(algorithm.cipher, key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad)
  const ciphertext = cipher.update(plaintext)
  // GCM is a stream mode: final() emits no bytes, it computes the tag.
  cipher.final()
  return { ciphertext, tag: cipher.getAuthTag() }
}
// #endregion gcm-encrypt

// #region gcm-decrypt
/**
 * AES-GCM decryption that releases plaintext only after the tag verifies.
 *
 * Node decrypts as it goes: `update()` returns plaintext *before* `final()` has
 * checked the tag. That output is unauthenticated, so it stays inside this function,
 * is wiped if `final()` throws, and is returned only on success. Returns `undefined`
 * for a tag that is not exactly 128 bits or does not verify; the caller reports one
 * vague error.
 */
export function gcmDecrypt(
  algorithm: GcmAlgorithm,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  // authTagLength pins the tag size: without it Node accepts truncated tags down to
  // 4 bytes, and a 32-bit tag can be forged by trial.
  const decipher = createDecipheriv(algorithm.cipher, key, iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  let unverified: Buffer | undefined
  try {
    // A tag of any other length makes setAuthTag throw: answered like any forgery.
    decipher.setAuthTag(tag)
    unverified = decipher.update(ciphertext)
    decipher.final()
  } catch {
    unverified?.fill(0)
    return undefined
  }
  return ownedBytes(unverified)
}
// #endregion gcm-decrypt
