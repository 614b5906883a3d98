/**
 * GCM authenticated encryption and decryption, NIST SP 800-38D §7.1 and §7.2, with the
 * sizes JOSE fixes (RFC 7518 §5.3): a 96-bit IV and a 128-bit tag.
 */

import { encryptBlockWithSchedule, expandKey, type KeySchedule } from './aes.ts'
import { gctr, inc32 } from './gctr.ts'
import { ghash } from './ghash.ts'

const IV_BYTES = 12
const TAG_BYTES = 16

function checkBytes(value: Uint8Array, name: string): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`)
}

function checkIv(iv: Uint8Array): void {
  if (!(iv instanceof Uint8Array) || iv.length !== IV_BYTES)
    throw new TypeError('the IV must be a 12-byte Uint8Array (96 bits, RFC 7518 §5.3)')
}

// #region gcm-keys
/**
 * §7.1 steps 1–2: the hash subkey H = CIPH_K(0^128), and for a 96-bit IV the
 * pre-counter block J0 = IV || 0^31 || 1. J0 is public, as the IV is; H (the GHASH
 * key) and CIPH_K(J0) (the mask on the tag) are as secret as the key.
 */
function gcmSetUp(
  key: Uint8Array,
  iv: Uint8Array,
): { schedule: KeySchedule; h: Uint8Array; j0: Uint8Array } {
  const schedule = expandKey(key)
  const h = encryptBlockWithSchedule(schedule, new Uint8Array(16))
  const j0 = new Uint8Array(16)
  j0.set(iv)
  j0[15] = 1
  return { schedule, h, j0 }
}
// #endregion gcm-keys

/** §7.1 steps 5–6: T = MSB_128(GCTR_K(J0, GHASH_H(A, C))), i.e. GHASH ⊕ CIPH_K(J0). */
function computeTag(
  schedule: KeySchedule,
  h: Uint8Array,
  j0: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  return gctr(schedule, j0, ghash(h, aad, ciphertext))
}

// #region gcm-encrypt
/** GCM-AE_K(IV, P, A), SP 800-38D §7.1: the ciphertext and a 128-bit tag. */
export function gcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  checkIv(iv)
  checkBytes(plaintext, 'the plaintext')
  checkBytes(aad, 'the AAD')
  const { schedule, h, j0 } = gcmSetUp(key, iv)
  // Step 3: the keystream starts at inc_32(J0); J0 itself is kept for the tag.
  const ciphertext = gctr(schedule, inc32(j0), plaintext)
  return { ciphertext, tag: computeTag(schedule, h, j0, aad, ciphertext) }
}
// #endregion gcm-encrypt

// #region tags-equal
/**
 * Compares two 16-byte tags by reading every byte, whatever the bytes are: the
 * differences are OR-ed together and looked at once, at the end. A loop that stopped at
 * the first difference would take longer the more leading bytes of a forged tag were
 * right, and an attacker who can time it learns the tag byte by byte
 * (docs/pitfalls/mac-comparison.md). JavaScript engines promise nothing about timing,
 * so this is the constant-time *style*; node:crypto's timingSafeEqual is the real thing.
 */
function tagsEqual(expected: Uint8Array, received: Uint8Array): boolean {
  let difference = 0
  for (let i = 0; i < TAG_BYTES; i++)
    difference |= (expected[i] as number) ^ (received[i] as number)
  return difference === 0
}
// #endregion tags-equal

// #region gcm-decrypt
/**
 * GCM-AD_K(IV, C, A, T), SP 800-38D §7.2: the plaintext, or `undefined` if the tag does
 * not verify. §7.2 decrypts first (step 3) and checks the tag last (step 8), releasing P
 * only on success. Here the order is swapped: the tag depends only on the ciphertext, so
 * it is computed and compared first, and no plaintext exists at all until it verifies.
 */
export function gcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
  tag: Uint8Array,
): Uint8Array | undefined {
  checkIv(iv)
  checkBytes(ciphertext, 'the ciphertext')
  checkBytes(aad, 'the AAD')
  if (!(tag instanceof Uint8Array) || tag.length !== TAG_BYTES)
    throw new TypeError('the tag must be a 16-byte Uint8Array (128 bits, RFC 7518 §5.3)')
  const { schedule, h, j0 } = gcmSetUp(key, iv)
  if (!tagsEqual(computeTag(schedule, h, j0, aad, ciphertext), tag)) return undefined
  return gctr(schedule, inc32(j0), ciphertext)
}
// #endregion gcm-decrypt
