/**
 * Multiplication in GF(2^128), the field GCM computes its tag in (NIST SP 800-38D §6.3).
 *
 * A 16-byte block stands for a polynomial over GF(2) of degree below 128, in GCM's
 * *reflected* bit order: bit 0 is the most significant bit of byte 0 and is the
 * coefficient of x^0; bit 127 is the least significant bit of byte 15 and is the
 * coefficient of x^127. Products are reduced modulo x^128 + x^7 + x^2 + x + 1.
 *
 * In that order, multiplying by x moves every coefficient one bit to the right, and an
 * x^128 pushed out on the right comes back as x^7 + x^2 + x + 1: the byte 11100001 (0xe1)
 * at the left end. That is the whole of Algorithm 1 below, one bit of X at a time.
 */

/** SP 800-38D §6.3: R = 11100001 || 0^120, here the top byte of the leftmost 32-bit word. */
const R_TOP_WORD = 0xe1000000

function checkBlock(value: Uint8Array, name: string): void {
  if (!(value instanceof Uint8Array) || value.length !== 16)
    throw new TypeError(`${name} must be a 16-byte Uint8Array (one GF(2^128) element)`)
}

/** Bytes 4k..4k+3 of a block as one big-endian 32-bit word: word 0 holds bits 0–31. */
function word(block: Uint8Array, k: number): number {
  const i = 4 * k
  return (
    (((block[i] as number) << 24) |
      ((block[i + 1] as number) << 16) |
      ((block[i + 2] as number) << 8) |
      (block[i + 3] as number)) >>>
    0
  )
}

function wordsToBlock(w0: number, w1: number, w2: number, w3: number): Uint8Array {
  const block = new Uint8Array(16)
  const words = [w0, w1, w2, w3]
  for (let k = 0; k < 4; k++) {
    const w = words[k] as number
    block[4 * k] = w >>> 24
    block[4 * k + 1] = w >>> 16
    block[4 * k + 2] = w >>> 8
    block[4 * k + 3] = w
  }
  return block
}

// #region gf128-multiply
/**
 * X • Y in GF(2^128), SP 800-38D §6.3 Algorithm 1. Z collects the product; V runs through
 * Y, Y•x, Y•x^2, …; whenever bit i of X is set, V (which is then Y•x^i) is added to Z.
 * Addition in GF(2^128) is XOR. V is kept as four 32-bit words so that the shift by one
 * bit is four shifts, not sixteen.
 */
export function gf128Multiply(x: Uint8Array, y: Uint8Array): Uint8Array {
  checkBlock(x, 'x')
  checkBlock(y, 'y')
  let z0 = 0
  let z1 = 0
  let z2 = 0
  let z3 = 0
  let v0 = word(y, 0)
  let v1 = word(y, 1)
  let v2 = word(y, 2)
  let v3 = word(y, 3)
  for (let i = 0; i < 128; i++) {
    // Step 2: bit i of X, counted from the left (the most significant bit of byte 0).
    const bit = ((x[i >>> 3] as number) >>> (7 - (i & 7))) & 1
    if (bit === 1) {
      z0 ^= v0
      z1 ^= v1
      z2 ^= v2
      z3 ^= v3
    }
    // Step 3: V • x is V >> 1; if the bit shifted out (bit 127, the x^127 term) was
    // set, it became x^128, which is reduced by adding R.
    const carry = v3 & 1
    v3 = (v3 >>> 1) | (v2 << 31)
    v2 = (v2 >>> 1) | (v1 << 31)
    v1 = (v1 >>> 1) | (v0 << 31)
    v0 = v0 >>> 1
    if (carry === 1) v0 ^= R_TOP_WORD
  }
  return wordsToBlock(z0 >>> 0, z1 >>> 0, z2 >>> 0, z3 >>> 0)
}
// #endregion gf128-multiply
