/**
 * The bonus step's starter file, written to <workshop>/bonus/property.ts by `init`.
 */

import { findStep, type Step, todoMessage } from '../steps.ts'

/** The starter text; `toolkit` is the import path of ./toolkit.ts as seen from the file. */
export function bonusStarterText(toolkit: string, naiveVerifier: string): string {
  const todo = todoMessage(findStep('bonus') as Step, 'property')
  return `/**
 * Bonus: a pitfall hunt.
 *
 * ${naiveVerifier} is an HS256 verifier that
 * signs-and-verifies fine and rejects an edited payload, yet it is broken. Find out how,
 * and prove it: return a fast-check property that EVERY correct verifier satisfies
 * and this one does not.
 *
 * \`npm run workshop -- verify bonus\` checks that your property
 *   - FAILS when given the naive verifier (it found the bug), and
 *   - PASSES when given src/'s verifyCompact (it asks nothing a correct verifier refuses).
 *
 * \`verify(token, key)\` returns the payload bytes, or throws when it rejects the token.
 * Stuck? \`npm run workshop -- hint bonus\`.
 */

import { type BonusProperty, arb, fc, signCompact, type Verifier } from '${toolkit}'

export function property(verify: Verifier): BonusProperty {
  // Delete the next line, then build your property, for example:
  //   return fc.property(arb.hmacKey(32), arb.payloadBytes(256), (key, payload) => {
  //     const token = signCompact(payload, key)
  //     ... change the token the way an attacker would, then expect verify() to throw
  //   })
  throw new Error('${todo}')
}
`
}
