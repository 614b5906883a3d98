/**
 * HMAC-SHA-256, RFC 2104 §2 (and FIPS 198-1 §4): H((K0 ⊕ opad) || H((K0 ⊕ ipad) || text)).
 */

import { BLOCK_BYTES, sha256 } from './sha256.ts'

/** RFC 2104 §2: ipad is the byte 0x36 and opad the byte 0x5c, repeated B = 64 times. */
const IPAD = 0x36
const OPAD = 0x5c

// #region hmac-key-blocks
/**
 * The two keyed blocks. RFC 2104 §2 (FIPS 198-1 §4 steps 1–3): a key longer than the
 * 64-byte block is hashed first; then the key is padded with zeros to 64 bytes (K0).
 * The inner block is K0 ⊕ ipad, the outer K0 ⊕ opad.
 */
export function hmacKeyBlocks(key: Uint8Array): { inner: Uint8Array; outer: Uint8Array } {
  const k0 = new Uint8Array(BLOCK_BYTES)
  k0.set(key.length > BLOCK_BYTES ? sha256(key) : key)
  const inner = new Uint8Array(BLOCK_BYTES)
  const outer = new Uint8Array(BLOCK_BYTES)
  for (let i = 0; i < BLOCK_BYTES; i++) {
    inner[i] = (k0[i] as number) ^ IPAD
    outer[i] = (k0[i] as number) ^ OPAD
  }
  return { inner, outer }
}
// #endregion hmac-key-blocks

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length)
  joined.set(first)
  joined.set(second, first.length)
  return joined
}

/** HMAC-SHA-256 of `data` under a key of any length (RFC 2104 §2): 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array)) throw new TypeError('the HMAC key must be a Uint8Array')
  if (!(data instanceof Uint8Array)) throw new TypeError('the HMAC data must be a Uint8Array')
  const { inner, outer } = hmacKeyBlocks(key)
  // FIPS 198-1 §4 steps 4–9: the inner hash, then the outer hash over it.
  return sha256(concat(outer, sha256(concat(inner, data))))
}
