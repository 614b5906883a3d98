/**
 * GHASH, NIST SP 800-38D §6.4, over the input GCM feeds it (§7.1 step 5): the AAD and the
 * ciphertext, each zero-padded to whole 16-byte blocks, then one length block.
 */

import { gf128Multiply } from './gf128.ts'

/** GCM works on 128-bit blocks (SP 800-38D §5.2.1.1). */
export const BLOCK_BYTES = 16

// #region ghash-input
/**
 * §7.1 step 5: A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64. Both lengths are in
 * bits, as 64-bit big-endian integers, in the last block: without it, AAD "ab" with
 * ciphertext "" and AAD "" with ciphertext "ab" would hash alike.
 */
export function ghashInput(aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const aadBlocks = Math.ceil(aad.length / BLOCK_BYTES)
  const ciphertextBlocks = Math.ceil(ciphertext.length / BLOCK_BYTES)
  const input = new Uint8Array(BLOCK_BYTES * (aadBlocks + ciphertextBlocks + 1))
  input.set(aad)
  input.set(ciphertext, BLOCK_BYTES * aadBlocks)
  const view = new DataView(input.buffer)
  const last = input.length - BLOCK_BYTES
  writeUint64(view, last, aad.length * 8)
  writeUint64(view, last + 8, ciphertext.length * 8)
  return input
}
// #endregion ghash-input

function writeUint64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, Math.floor(value / 2 ** 32))
  view.setUint32(offset + 4, value >>> 0)
}

// #region ghash
/**
 * §6.4 Algorithm 2: Y0 = 0^128, then Y_i = (Y_(i-1) ⊕ X_i) • H for each block X_i.
 * Unrolled, Y_m = X_1•H^m ⊕ X_2•H^(m-1) ⊕ … ⊕ X_m•H: a polynomial in H whose
 * coefficients are the blocks. (That is what a repeated IV gives away: see
 * docs/pitfalls/iv-reuse.md.)
 */
export function ghashBlocks(h: Uint8Array, input: Uint8Array): Uint8Array {
  let y: Uint8Array = new Uint8Array(BLOCK_BYTES)
  for (let offset = 0; offset < input.length; offset += BLOCK_BYTES) {
    for (let j = 0; j < BLOCK_BYTES; j++) y[j] = (y[j] as number) ^ (input[offset + j] as number)
    y = gf128Multiply(y, h)
  }
  return y
}
// #endregion ghash

/** GHASH_H over the AAD and ciphertext with the length block (SP 800-38D §6.4, §7.1 step 5). */
export function ghash(h: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (!(h instanceof Uint8Array) || h.length !== BLOCK_BYTES)
    throw new TypeError('the GHASH key H must be a 16-byte Uint8Array')
  if (!(aad instanceof Uint8Array)) throw new TypeError('the AAD must be a Uint8Array')
  if (!(ciphertext instanceof Uint8Array))
    throw new TypeError('the ciphertext must be a Uint8Array')
  return ghashBlocks(h, ghashInput(aad, ciphertext))
}
