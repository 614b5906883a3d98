/**
 * Pitfall 14: unbounded input parsed before authentication; the O(1) size cap.
 * docs/pitfalls/unbounded-input.md has the timings from measure-unbounded.ts.
 * This file PRINTS the times it sees but asserts behaviour only: timings on a shared
 * machine are not a test oracle.
 */

import fc from 'fast-check'
import { compactVerify } from 'jose'
import { decryptCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import { show } from './show.ts'
import { bigHeaderToken, dots, naiveParseThenVerify, timeIt } from './unbounded-input.ts'

const KEY = new Uint8Array(32).fill(0x14)
const TEN_MIB = 10 * 1024 * 1024
const DEFAULT_CAP = 65_536

/** The error a call throws: its code and message. */
async function refusal(action: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await action()
  } catch (error) {
    const { code, message } = error as { code?: unknown; message: string }
    if (typeof code !== 'string') throw error
    return { code, message }
  }
  throw new Error('expected a rejection, but the call succeeded')
}

describe('pitfall 14: megabytes parsed before the MAC is checked', () => {
  test('the naive verifier decodes and parses a 10 MiB header before it finds the MAC wrong', async () => {
    const token = bigHeaderToken(TEN_MIB)
    // "invalid signature" is its last check: reaching it means the whole header was
    // base64url-decoded and JSON-parsed first.
    expect(() => naiveParseThenVerify(token, KEY)).toThrow('invalid signature')
    const naive = await timeIt(() => naiveParseThenVerify(token, KEY))
    const strict = await timeIt(() => verifyCompact(token, KEY))
    show(
      `10 MiB header: naive ${naive.toFixed(2)} ms, src ${strict.toFixed(3)} ms (printed, not asserted)`,
    )
  })

  test('the naive verifier splits 10 MiB of dots into ten million strings', async () => {
    const token = dots(TEN_MIB)
    expect(() => naiveParseThenVerify(token, KEY)).toThrow(
      `expected 3 segments, got ${TEN_MIB + 1}`,
    )
    const naive = await timeIt(() => naiveParseThenVerify(token, KEY))
    const strict = await timeIt(() => verifyCompact(token, KEY))
    show(
      `10 MiB of dots: naive ${naive.toFixed(2)} ms, src ${strict.toFixed(3)} ms (printed, not asserted)`,
    )
  })

  test('raw jose has no cap: it parses the 10 MiB header, then fails the MAC (docs/divergences.md)', async () => {
    expect(
      await codeOf(() => compactVerify(bigHeaderToken(TEN_MIB), KEY, { algorithms: ['HS256'] })),
    ).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
  })

  describe.each(implementations)('$name: the cap comes first', (impl) => {
    test('the 10 MiB header: ERR_JWS_INVALID, naming maxTokenLength', async () => {
      const { code, message } = await refusal(() =>
        impl.verifyCompact(bigHeaderToken(TEN_MIB), KEY),
      )
      expect(code).toBe('ERR_JWS_INVALID')
      expect(message).toMatch(/maxTokenLength \(65536\)/)
    })

    test('a JWE of 10 MiB of dots: ERR_JWE_INVALID, naming maxTokenLength', async () => {
      const { code, message } = await refusal(() => impl.decryptCompact(dots(TEN_MIB), KEY))
      expect(code).toBe('ERR_JWE_INVALID')
      expect(message).toMatch(/maxTokenLength/)
    })
  })

  test('src: 50 MB of dots is refused by its length alone, before any split', async () => {
    const token = dots(50_000_000)
    for (const action of [() => verifyCompact(token, KEY), () => decryptCompact(token, KEY)]) {
      const { code, message } = await refusal(action)
      expect(['ERR_JWS_INVALID', 'ERR_JWE_INVALID']).toContain(code)
      // The message quotes the length and the cap, and nothing about segments: the
      // rejection came from the O(1) length comparison, not from splitting.
      expect(message).toBe('token is 50000000 characters, more than maxTokenLength (65536)')
    }
  })

  test('src: the cap is exact, for the default and for any maxTokenLength', async () => {
    const lengthArbitrary = fc.oneof(
      fc.constantFrom(DEFAULT_CAP - 1, DEFAULT_CAP, DEFAULT_CAP + 1),
      fc.integer({ min: 1, max: 4 * DEFAULT_CAP }),
    )
    const capArbitrary = fc.option(
      fc.oneof(fc.constantFrom(1, 3, DEFAULT_CAP), fc.integer({ min: 1, max: 4 * DEFAULT_CAP })),
    )
    await fc.assert(
      fc.asyncProperty(lengthArbitrary, capArbitrary, async (length, cap) => {
        const options = cap === null ? {} : { maxTokenLength: cap }
        const limit = cap ?? DEFAULT_CAP
        // Dots: the worst case for a splitter, and never a valid token at any length.
        const { code, message } = await refusal(() => verifyCompact(dots(length), KEY, options))
        expect(code).toBe('ERR_JWS_INVALID')
        expect(message.includes('maxTokenLength')).toBe(length > limit)
      }),
    )
  })
})
