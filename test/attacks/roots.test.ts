/**
 * The algebra of the forgery (test/attacks/field.ts, polynomial.ts, roots.ts): field
 * inverses, and roots in GF(2^128) found for polynomials built from known roots, with
 * repeated roots, perfect squares and irreducible factors mixed in.
 */

import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { bytesOfLength } from '../support/arbitraries.ts'
import { add, type Element, inverse, isZero, multiply, ONE, toHex, ZERO } from './field.ts'
import {
  addPolynomials,
  degree,
  multiplyPolynomials,
  type Polynomial,
  remainder,
  scale,
} from './polynomial.ts'
import { distinctLinearFactors, rootsInField } from './roots.ts'

const element = bytesOfLength(16)
const nonZero = element.filter((a) => !isZero(a))

function linear(root: Element): Polynomial {
  return [root, ONE]
}

function productOf(factors: readonly Polynomial[]): Polynomial {
  return factors.reduce((product, factor) => multiplyPolynomials(product, factor), [ONE])
}

function sortedHex(elements: readonly Element[]): string[] {
  return elements.map(toHex).sort()
}

/** The absolute trace a + a^2 + a^4 + … + a^(2^127): 0 or 1. */
function trace(a: Element): Element {
  let term = a
  let sum = a
  for (let i = 1; i < 128; i++) {
    term = multiply(term, term)
    sum = add(sum, term)
  }
  return sum
}

describe('GF(2^128) as the forgery uses it', () => {
  test('1 is the block 80 00 … 00 (GCM’s reflected bit order), and a • a^-1 = 1', () => {
    expect(toHex(ONE)).toBe('80000000000000000000000000000000')
    fc.assert(
      fc.property(nonZero, (a) => {
        expect(toHex(multiply(a, inverse(a)))).toBe(toHex(ONE))
      }),
    )
    expect(() => inverse(ZERO)).toThrow(new RangeError('0 has no inverse in GF(2^128)'))
  })
})

// Each run below splits a polynomial with 128 squarings per trace, tens of milliseconds:
// 20 runs each (instead of FC_NUM_RUNS, 1000 in CI) keep the file at a few seconds.
describe('rootsInField', () => {
  test('finds exactly the roots a product of linear factors was built from, times a constant', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(element, { minLength: 1, maxLength: 6, selector: toHex }),
        nonZero,
        (roots, constant) => {
          const f = scale(productOf(roots.map(linear)), constant)
          expect(sortedHex(rootsInField(f))).toEqual(sortedHex(roots))
        },
      ),
      { numRuns: 20 },
    )
  })

  test('a repeated root is found once; a perfect square loses nothing (its derivative is 0)', () => {
    fc.assert(
      fc.property(nonZero, element, (c, r) => {
        // (√c X + √t)^2 = c X^2 + t: in characteristic 2, f' = 2 c X = 0.
        const square = scale(productOf([linear(r), linear(r)]), c)
        expect(degree(square)).toBe(2)
        expect(isZero(square[1] as Element)).toBe(true)
        expect(sortedHex(rootsInField(square))).toEqual([toHex(r)])
      }),
      { numRuns: 20 },
    )
  })

  test('an irreducible quadratic factor contributes no root', () => {
    fc.assert(
      fc.property(element, element, (a, r) => {
        // X^2 + X + a has a root in GF(2^128) exactly when Tr(a) = 0.
        fc.pre(toHex(trace(a)) === toHex(ONE))
        const quadratic: Polynomial = [a, ONE, ONE]
        const f = productOf([quadratic, linear(r)])
        expect(sortedHex(rootsInField(f))).toEqual([toHex(r)])
        expect(degree(distinctLinearFactors(f))).toBe(1)
      }),
      { numRuns: 20 },
    )
  })

  test('a non-zero constant has no root; the zero polynomial is refused', () => {
    expect(rootsInField([ONE])).toEqual([])
    expect(() => rootsInField([])).toThrow(
      new RangeError('every element is a root of the zero polynomial'),
    )
  })

  test('remainder and addition agree with evaluation at a root', () => {
    fc.assert(
      fc.property(element, element, element, (r, b, c) => {
        // (X + r) divides f - f(r): f mod (X + r) is the constant f(r).
        const f: Polynomial = [c, b, ONE]
        const value = add(add(c, multiply(b, r)), multiply(r, r))
        expect(remainder(addPolynomials(f, [value]), linear(r))).toEqual([])
      }),
    )
  })
})
