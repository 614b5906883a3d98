/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 3: the received MAC is compared with `===` (which stops at the first
 * difference, so its running time says how much matched), or over the length
 * the attacker chose. See docs/pitfalls/mac-comparison.md.
 * ============================================================================
 */

import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import type { Measured } from './measure.ts'

export type Claims = Record<string, unknown>

function splitToken(token: string): [string, string, string] {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error('a JWS has three parts')
  return parts as [string, string, string]
}

function decodeClaims(segment: string): Claims {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Claims
}

function hs256(key: Uint8Array, signingInput: string): Buffer {
  return createHmac('sha256', key).update(signingInput).digest()
}

// #region naive-string-equals
/** Correct answers, leaky timing: `!==` on strings gives up at the first difference. */
export function naiveVerifyStringEquals(token: string, key: Uint8Array): Claims {
  const [header, payload, signature] = splitToken(token)
  const expected = hs256(key, `${header}.${payload}`).toString('base64url')
  // MISTAKE: an early-exit comparison of a secret value with an attacker's guess.
  if (signature !== expected) throw new Error('invalid signature')
  return decodeClaims(payload)
}
// #endregion naive-string-equals

/** Counts the byte comparisons an early-exit loop makes: a stand-in for its running time. */
export interface Work {
  steps: number
}

// #region early-exit-model
/** What an early-exit comparison does, written out, with a step counter for the clock. */
export function earlyExitEquals(expected: Uint8Array, received: Uint8Array, work: Work): boolean {
  if (expected.length !== received.length) return false
  for (let i = 0; i < expected.length; i++) {
    work.steps++
    if (expected[i] !== received[i]) return false
  }
  return true
}
// #endregion early-exit-model

/** The string-compare verifier on the step-counting model, for the tests. */
export function naiveVerifyCounted(token: string, key: Uint8Array, work: Work): Claims {
  const [header, payload, signature] = splitToken(token)
  const expected = hs256(key, `${header}.${payload}`)
  if (!earlyExitEquals(expected, Buffer.from(signature, 'base64url'), work))
    throw new Error('invalid signature')
  return decodeClaims(payload)
}

// #region naive-provided-length
/** Looks constant-time (no early exit), but compares only as many bytes as were sent. */
export function naiveVerifyProvidedLength(token: string, key: Uint8Array): Claims {
  const [header, payload, signature] = splitToken(token)
  const expected = hs256(key, `${header}.${payload}`)
  const received = Buffer.from(signature, 'base64url')
  let difference = 0
  // MISTAKE: the loop bound is the attacker's. Send 0 bytes, and 0 bytes are compared.
  for (let i = 0; i < received.length; i++) difference |= (received[i] ?? 0) ^ (expected[i] ?? 0)
  if (difference !== 0) throw new Error('invalid signature')
  return decodeClaims(payload)
}
// #endregion naive-provided-length

/** The key of the examples: the bytes 0x00 … 0x1f. */
export const KEY: Uint8Array = Uint8Array.from({ length: 32 }, (_, i) => i)

/** The JWS Signing Input Mallory wants accepted: `{"alg":"HS256","typ":"JWT"}` . `{"sub":"mallory","role":"admin"}`. */
export const FORGED_SIGNING_INPUT = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"mallory","role":"admin"}').toString('base64url')}`

export function withSignature(signingInput: string, signature: Uint8Array): string {
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`
}

/** What the attacker sees of one verification attempt. */
export type Observation = { accepted: true } | { accepted: false; observed: string }

export interface Recovery {
  /** The recovered MAC, or `undefined` when the observations gave nothing away. */
  mac: Uint8Array | undefined
  queries: number
}

/**
 * The byte-at-a-time attack on an early-exit comparison, written against any oracle.
 * For each position it tries all 256 values and keeps the one whose observation
 * differs from all the others. Against a comparison that leaks, exactly one value
 * stands out per position; against one that does not, none does, and the attack
 * stops at the first position having learnt nothing.
 */
export async function recoverMac(
  signingInput: string,
  macBytes: number,
  attempt: (token: string) => Promise<Observation> | Observation,
): Promise<Recovery> {
  const guess = new Uint8Array(macBytes)
  let queries = 0
  for (let position = 0; position < macBytes; position++) {
    const byObservation = new Map<string, number[]>()
    for (let value = 0; value < 256; value++) {
      guess[position] = value
      queries++
      const result = await attempt(withSignature(signingInput, guess))
      if (result.accepted) return { mac: guess.slice(), queries }
      const values = byObservation.get(result.observed) ?? []
      values.push(value)
      byObservation.set(result.observed, values)
    }
    let standout: number | undefined
    for (const values of byObservation.values()) {
      if (values.length === 1) standout = values[0]
    }
    if (standout === undefined || byObservation.size !== 2) return { mac: undefined, queries }
    guess[position] = standout
  }
  return { mac: undefined, queries }
}

/** A received signature: its length first (boundaries included), then its bytes. */
export function receivedSignature(): fc.Arbitrary<Uint8Array> {
  return fc
    .oneof(fc.constantFrom(0, 1, 31, 32, 33), fc.integer({ min: 0, max: 64 }))
    .chain((length) => fc.uint8Array({ minLength: length, maxLength: length }))
}

function isCorrectMac(signature: Uint8Array): boolean {
  return Buffer.from(signature).equals(hs256(KEY, FORGED_SIGNING_INPUT))
}

/** Property: every signature except the real MAC is refused by `verify`. */
export function wrongSignaturesAreRefused(
  verify: (token: string, key: Uint8Array) => unknown,
): fc.IPropertyWithHooks<[Uint8Array]> {
  return fc.property(receivedSignature(), (signature) => {
    fc.pre(!isCorrectMac(signature))
    try {
      verify(withSignature(FORGED_SIGNING_INPUT, signature), KEY)
    } catch {
      return true
    }
    return false
  })
}

/**
 * Property: the comparison does the same amount of work for any received MAC as for
 * the right one (that is what "constant time" means). Generated guesses are the right
 * length, so the length check never cuts the comparison short.
 */
export function comparisonWorkIsConstant(): fc.IPropertyWithHooks<[Uint8Array]> {
  const expected = hs256(KEY, FORGED_SIGNING_INPUT)
  const reference: Work = { steps: 0 }
  earlyExitEquals(expected, expected, reference)
  return fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (guess) => {
    const work: Work = { steps: 0 }
    earlyExitEquals(expected, guess, work)
    return work.steps === reference.steps
  })
}

/** For test/pitfalls/measure.ts: runs until the first counterexample, or `undefined`. */
export const measured: Measured[] = [
  {
    pitfall: 'mac-comparison',
    property: 'every wrong signature is refused (comparison over the provided length)',
    firstFailure(seed: number, numRuns: number): number | undefined {
      const property = wrongSignaturesAreRefused(naiveVerifyProvidedLength)
      const details = fc.check(property, { seed, numRuns, endOnFailure: true })
      return details.failed ? details.numRuns : undefined
    },
  },
  {
    pitfall: 'mac-comparison',
    property: 'comparison work does not depend on the guess (early-exit model of ===)',
    firstFailure(seed: number, numRuns: number): number | undefined {
      const details = fc.check(comparisonWorkIsConstant(), { seed, numRuns, endOnFailure: true })
      return details.failed ? details.numRuns : undefined
    },
  },
]
