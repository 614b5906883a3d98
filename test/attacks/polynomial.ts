/**
 * Polynomials over GF(2^128): what the forgery does its algebra with. A polynomial is the
 * list of its coefficients from X^0 up, with no zero coefficient at the top; the zero
 * polynomial is the empty list. Every function returns a new list.
 */

import { add, type Element, equals, inverse, isZero, multiply, ONE, ZERO } from './field.ts'

export type Polynomial = readonly Element[]

/** The polynomial X. */
export const X: Polynomial = [ZERO, ONE]

/** Drops zero coefficients from the top, so that the last one is the leading coefficient. */
export function normalize(coefficients: readonly Element[]): Polynomial {
  let length = coefficients.length
  while (length > 0 && isZero(coefficients[length - 1] as Element)) length--
  return coefficients.slice(0, length)
}

/** The degree; -1 for the zero polynomial. */
export function degree(p: Polynomial): number {
  return p.length - 1
}

export function leadingCoefficient(p: Polynomial): Element {
  if (p.length === 0) throw new RangeError('the zero polynomial has no leading coefficient')
  return p[p.length - 1] as Element
}

/** p + q, which in characteristic 2 is also p - q. */
export function addPolynomials(p: Polynomial, q: Polynomial): Polynomial {
  const sum: Element[] = []
  for (let i = 0; i < Math.max(p.length, q.length); i++) sum.push(add(p[i] ?? ZERO, q[i] ?? ZERO))
  return normalize(sum)
}

export function scale(p: Polynomial, c: Element): Polynomial {
  return normalize(p.map((coefficient) => multiply(coefficient, c)))
}

/** p divided by its leading coefficient: leading coefficient 1, same roots. */
export function monic(p: Polynomial): Polynomial {
  return scale(p, inverse(leadingCoefficient(p)))
}

/**
 * p mod m, by long division: cancel p's top term with a multiple of m until deg p < deg m.
 * A monic m is used as it is; any other is made monic first, which costs an inversion.
 */
export function remainder(p: Polynomial, m: Polynomial): Polynomial {
  const divisor = equals(leadingCoefficient(m), ONE) ? m : monic(m)
  const rest = [...p]
  for (let top = rest.length - 1; top >= divisor.length - 1; top--) {
    const factor = rest[top] as Element
    if (isZero(factor)) continue
    const shift = top - (divisor.length - 1)
    for (let i = 0; i < divisor.length; i++) {
      rest[shift + i] = add(rest[shift + i] as Element, multiply(factor, divisor[i] as Element))
    }
  }
  return normalize(rest)
}

/** p • q, schoolbook: the coefficient of X^k is the sum of p_i q_j over i + j = k. */
export function multiplyPolynomials(p: Polynomial, q: Polynomial): Polynomial {
  const product: Element[] = []
  for (let k = 0; k < p.length + q.length - 1; k++) product.push(ZERO)
  for (let i = 0; i < p.length; i++) {
    for (let j = 0; j < q.length; j++) {
      product[i + j] = add(product[i + j] as Element, multiply(p[i] as Element, q[j] as Element))
    }
  }
  return normalize(product)
}

/**
 * p^2 mod m. In characteristic 2 the cross terms of a square cancel in pairs
 * (2ab = 0), so (Σ a_i X^i)^2 = Σ a_i^2 X^(2i): square each coefficient, double each power.
 */
export function squareMod(p: Polynomial, m: Polynomial): Polynomial {
  const square: Element[] = []
  for (let i = 0; i < p.length; i++) {
    square[2 * i] = multiply(p[i] as Element, p[i] as Element)
    square[2 * i + 1] = ZERO
  }
  return remainder(normalize(square), m)
}

/** The monic greatest common divisor, by Euclid's algorithm. */
export function gcd(p: Polynomial, q: Polynomial): Polynomial {
  let a = p
  let b = q
  while (b.length > 0) {
    const r = remainder(a, b)
    a = b
    b = r
  }
  return a.length === 0 ? a : monic(a)
}

/** p(x), by Horner's rule. */
export function evaluate(p: Polynomial, x: Element): Element {
  let value = ZERO
  for (let i = p.length - 1; i >= 0; i--) value = add(multiply(value, x), p[i] as Element)
  return value
}

export function polynomialsEqual(p: Polynomial, q: Polynomial): boolean {
  return p.length === q.length && p.every((coefficient, i) => equals(coefficient, q[i] as Element))
}
