/**
 * The field GF(2^128) as GCM uses it (NIST SP 800-38D §6.3), as far as the forgery needs
 * it: elements are 16-byte blocks in GCM's reflected bit order, multiplied by the glass
 * box's bit-serial gf128Multiply.
 *
 * The reflected order has one trap for anyone who writes field code from a textbook: the
 * element 1 (the polynomial x^0) is the block 80 00 … 00, with the *leftmost* bit set, and
 * x is 40 00 … 00. A block 00 … 01 is x^127.
 */

import { gf128Multiply } from 'jose-by-hand/glass-box'

export type Element = Uint8Array

export const ZERO: Element = new Uint8Array(16)
export const ONE: Element = Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

/** Addition (and subtraction: in characteristic 2 they are the same) is XOR. */
export function add(a: Element, b: Element): Element {
  const sum = new Uint8Array(16)
  for (let i = 0; i < 16; i++) sum[i] = (a[i] as number) ^ (b[i] as number)
  return sum
}

export function multiply(a: Element, b: Element): Element {
  return gf128Multiply(a, b)
}

export function isZero(a: Element): boolean {
  return a.every((byte) => byte === 0)
}

export function equals(a: Element, b: Element): boolean {
  return isZero(add(a, b))
}

/**
 * The inverse of a non-zero element. The multiplicative group has 2^128 - 1 elements, so
 * a^(2^128 - 1) = 1 and a^(2^128 - 2) = a^-1. The exponent is 127 one bits and a zero:
 * square-and-multiply 127 times, then square once.
 */
export function inverse(a: Element): Element {
  if (isZero(a)) throw new RangeError('0 has no inverse in GF(2^128)')
  let result = ONE
  for (let i = 0; i < 127; i++) result = multiply(multiply(result, result), a)
  return multiply(result, result)
}

export function toHex(a: Element): string {
  let hex = ''
  for (const byte of a) hex += byte.toString(16).padStart(2, '0')
  return hex
}
