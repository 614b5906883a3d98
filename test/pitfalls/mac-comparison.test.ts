/**
 * Pitfall 3: MAC comparison with `===`, or over the provided length only.
 * Page: docs/pitfalls/mac-comparison.md (every value it quotes is asserted here).
 *
 * Nothing here measures time. The timing leak is shown on a model in which a step
 * counter stands for the clock; what src and jose let an attacker observe is shown
 * by running the same attack against them.
 */

import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf } from '../support/implementations.ts'
import {
  comparisonWorkIsConstant,
  FORGED_SIGNING_INPUT,
  KEY,
  naiveVerifyCounted,
  naiveVerifyProvidedLength,
  naiveVerifyStringEquals,
  type Observation,
  receivedSignature,
  recoverMac,
  withSignature,
  wrongSignaturesAreRefused,
} from './mac-comparison.ts'
import { show } from './show.ts'

const page = readFileSync(new URL('../../docs/pitfalls/mac-comparison.md', import.meta.url), 'utf8')

const SIGNING_INPUT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0'
const REAL_MAC_HEX = '0feb8b212428b90693894f7f11b06b846cab2882e540fa514cc0278e3faa8570'
const REAL_MAC = 'D-uLISQouQaTiU9_EbBrhGyrKILlQPpRTMAnjj-qhXA'
const EMPTY_SIGNATURE_TOKEN = `${SIGNING_INPUT}.`
const ONE_BYTE_TOKEN = `${SIGNING_INPUT}.Dw`
/** Queries the byte-at-a-time attack needs on the step-counting model: 31 × 256 + 113. */
const MODEL_QUERIES = 8049

/** Runs `verify` and reports only what a remote caller sees: accepted, or an error code. */
function observeCode(verify: (token: string) => unknown): (token: string) => Promise<Observation> {
  return async (token) => {
    try {
      await verify(token)
      return { accepted: true }
    } catch (error) {
      return { accepted: false, observed: String((error as { code?: unknown }).code) }
    }
  }
}

describe('the naive comparisons are broken', () => {
  test('the page bytes', () => {
    expect(FORGED_SIGNING_INPUT).toBe(SIGNING_INPUT)
    const mac = createHmac('sha256', KEY).update(SIGNING_INPUT).digest()
    expect(mac.toString('hex')).toBe(REAL_MAC_HEX)
    expect(mac.toString('base64url')).toBe(REAL_MAC)
    expect(withSignature(SIGNING_INPUT, mac.subarray(0, 1))).toBe(ONE_BYTE_TOKEN)
  })

  test('fast-check finds the empty signature that the provided-length loop accepts', () => {
    const details = fc.check(wrongSignaturesAreRefused(naiveVerifyProvidedLength))
    expect(details.failed).toBe(true)
    const signature = details.counterexample?.[0] as Uint8Array
    show(`provided-length comparison: counterexample signature of ${signature.length} bytes`)
    expect(signature).toEqual(new Uint8Array(0))
    expect(naiveVerifyProvidedLength(EMPTY_SIGNATURE_TOKEN, KEY).role).toBe('admin')
  })

  test('one byte is enough too: at most 256 guesses, and this one is accepted', () => {
    let accepted = 0
    for (let value = 0; value < 256; value++) {
      const token = withSignature(SIGNING_INPUT, Uint8Array.of(value))
      try {
        naiveVerifyProvidedLength(token, KEY)
        accepted++
        expect(token).toBe(ONE_BYTE_TOKEN)
      } catch {
        // a wrong first byte
      }
    }
    expect(accepted).toBe(1)
  })

  test('=== gives the right answers: its flaw is in how long it takes, not in what it says', () => {
    expect(naiveVerifyStringEquals(`${SIGNING_INPUT}.${REAL_MAC}`, KEY).role).toBe('admin')
    expect(() => naiveVerifyStringEquals(EMPTY_SIGNATURE_TOKEN, KEY)).toThrow('invalid signature')
  })

  test('fast-check finds that the early-exit comparison does less work for a wrong guess', () => {
    const details = fc.check(comparisonWorkIsConstant())
    expect(details.failed).toBe(true)
    const guess = details.counterexample?.[0] as Uint8Array
    show(
      `early-exit model: counterexample guess ${Buffer.from(guess).toString('hex')} (1 step instead of 32)`,
    )
    // Shrunk to all zeros, which differs from the MAC (0x0f…) in its first byte.
    expect(guess).toEqual(new Uint8Array(32))
  })

  test('on the step-counting model, the MAC falls one byte at a time', async () => {
    const { mac, queries } = await recoverMac(SIGNING_INPUT, 32, (token) => {
      const work = { steps: 0 }
      try {
        naiveVerifyCounted(token, KEY, work)
        return { accepted: true }
      } catch {
        return { accepted: false, observed: String(work.steps) }
      }
    })
    expect(Buffer.from(mac as Uint8Array).toString('base64url')).toBe(REAL_MAC)
    // 8,049 queries instead of the 2^255 expected for a blind guess of a 256-bit MAC.
    expect(queries).toBe(MODEL_QUERIES)
  })
})

describe('src and jose refuse the same signatures', () => {
  test('empty and one-byte signatures: ERR_JWS_SIGNATURE_VERIFICATION_FAILED from both', async () => {
    for (const token of [EMPTY_SIGNATURE_TOKEN, ONE_BYTE_TOKEN]) {
      expect(await codeOf(() => verifyJwt(token, KEY))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
      expect(await codeOf(() => jwtVerify(token, KEY, { algorithms: ['HS256'] }))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
    }
  })

  test('src refuses every wrong signature fast-check generates, whatever its length', () => {
    fc.assert(
      fc.property(receivedSignature(), (signature) => {
        fc.pre(Buffer.from(signature).toString('base64url') !== REAL_MAC)
        const token = withSignature(SIGNING_INPUT, signature)
        let code: unknown = 'accepted'
        try {
          verifyJwt(token, KEY)
        } catch (error) {
          code = (error as { code?: unknown }).code
        }
        expect(code).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      }),
    )
  })

  test('jose refuses every wrong signature fast-check generates, whatever its length', async () => {
    await fc.assert(
      fc.asyncProperty(receivedSignature(), async (signature) => {
        fc.pre(Buffer.from(signature).toString('base64url') !== REAL_MAC)
        const token = withSignature(SIGNING_INPUT, signature)
        expect(await codeOf(() => jwtVerify(token, KEY, { algorithms: ['HS256'] }))).toBe(
          'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        )
      }),
    )
  })

  test('the byte-at-a-time attack learns nothing from src: 256 identical answers', async () => {
    const recovery = await recoverMac(
      SIGNING_INPUT,
      32,
      observeCode((token) => verifyJwt(token, KEY)),
    )
    expect(recovery).toEqual({ mac: undefined, queries: 256 })
  })

  test('the byte-at-a-time attack learns nothing from jose: 256 identical answers', async () => {
    const recovery = await recoverMac(
      SIGNING_INPUT,
      32,
      observeCode((token) => jwtVerify(token, KEY, { algorithms: ['HS256'] })),
    )
    expect(recovery).toEqual({ mac: undefined, queries: 256 })
  })
})

test('the docs page quotes exactly these values', () => {
  for (const value of [
    SIGNING_INPUT,
    REAL_MAC_HEX,
    REAL_MAC,
    EMPTY_SIGNATURE_TOKEN,
    ONE_BYTE_TOKEN,
  ])
    expect(page).toContain(value)
  expect(page).toContain('8,049')
})
