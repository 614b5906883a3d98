/**
 * ============================================================================
 * NEVER USE outside teaching: part of an attack tool (the GCM nonce-reuse forgery).
 * The roots in GF(2^128) of a polynomial over GF(2^128), found the way Joux's
 * "forbidden attack" needs them. See docs/pitfalls/iv-reuse.md.
 * ============================================================================
 *
 * Two steps, as in any finite field GF(q), here with q = 2^128:
 * 1. Keep only the distinct linear factors: every element r of GF(q) satisfies
 *    r^q = r, so X^q - X is the product of (X - r) over all of them, and
 *    g = gcd(f, X^q - X) is the product of (X - r) over the roots r of f, each once.
 *    (No square-free step is needed before it. That matters: with one ciphertext block
 *    and equal AAD and lengths, f = c X^2 + t is a perfect square, its derivative is 0,
 *    and the textbook square-free step f / gcd(f, f') would leave 1 and lose H.)
 * 2. Split g into its linear factors (equal-degree factorisation for degree 1). Odd
 *    characteristic splits with (aX)^((q-1)/2) - 1; characteristic 2 has no such
 *    square roots of 1, so the trace map stands in: Tr(y) = y + y^2 + y^4 + … + y^(2^127)
 *    is 0 or 1 for every y in GF(2^128). For a random a, gcd(g, Tr(aX)) keeps the roots r
 *    with Tr(a r) = 0 and gcd(g, Tr(aX) + 1) the others; about half go each way.
 */

import { randomBytes } from 'node:crypto'
import { type Element, ONE, toHex } from './field.ts'
import {
  addPolynomials,
  degree,
  gcd,
  monic,
  type Polynomial,
  remainder,
  squareMod,
  X,
} from './polynomial.ts'

/** The field has 2^128 elements: X^(2^128) is X squared 128 times. */
const FIELD_BITS = 128

// #region x-to-the-q
/** X^(2^128) mod f, by squaring X mod f 128 times: never a polynomial of degree 2^128. */
export function xToTheFieldSize(f: Polynomial): Polynomial {
  let power = remainder(X, f)
  for (let i = 0; i < FIELD_BITS; i++) power = squareMod(power, f)
  return power
}
// #endregion x-to-the-q

// #region distinct-linear-factors
/**
 * gcd(f, X^(2^128) - X): the product of (X - r) over the distinct roots r of f. f is made
 * monic first (same roots), so that none of the 128 reductions mod f needs an inversion.
 */
export function distinctLinearFactors(f: Polynomial): Polynomial {
  const m = monic(f)
  return gcd(m, addPolynomials(xToTheFieldSize(m), remainder(X, m)))
}
// #endregion distinct-linear-factors

/** Tr(aX) mod g = Σ (aX)^(2^i) for i = 0 … 127. */
function traceMod(a: Element, g: Polynomial): Polynomial {
  let term = remainder([new Uint8Array(16), a], g)
  let sum = term
  for (let i = 1; i < FIELD_BITS; i++) {
    term = squareMod(term, g)
    sum = addPolynomials(sum, term)
  }
  return sum
}

// #region split
/** The roots of g, a product of distinct monic linear factors, found by splitting with traces. */
export function splitLinearFactors(g: Polynomial): Element[] {
  if (degree(g) <= 0) return []
  // X + c (monic) has the root c: -c = c in characteristic 2.
  if (degree(g) === 1) return [g[0] as Element]
  for (;;) {
    const a = new Uint8Array(randomBytes(16))
    const trace = traceMod(a, g)
    const zeros = gcd(g, trace)
    // An a whose trace is 0 (or 1) on every root splits nothing: try another.
    if (degree(zeros) > 0 && degree(zeros) < degree(g)) {
      const ones = gcd(g, addPolynomials(trace, [ONE]))
      return [...splitLinearFactors(zeros), ...splitLinearFactors(ones)]
    }
  }
}
// #endregion split

/**
 * Every root of f in GF(2^128), each once, in the order of their bytes: the split draws
 * random elements, and sorting keeps the answer from depending on them. f must not be
 * the zero polynomial.
 */
export function rootsInField(f: Polynomial): Element[] {
  if (f.length === 0) throw new RangeError('every element is a root of the zero polynomial')
  const roots = splitLinearFactors(distinctLinearFactors(f))
  return roots.sort((a, b) => toHex(a).localeCompare(toHex(b)))
}
