/**
 * The glass-box GF(2^128) multiply and GHASH (src/glass-box/gf128.ts, ghash.ts). node:crypto
 * exposes no GHASH, but its GCM tag is GHASH_H(A, C) ⊕ E_K(J0) (NIST SP 800-38D §7.1 steps
 * 5–6), with H = E_K(0^128) and J0 = IV || 0^31 || 1: both AES blocks come from node too,
 * so the glass-box GHASH is checked against OpenSSL's alone.
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { gf128Multiply, ghash } from 'jose-by-hand/glass-box'
import { describe, expect, test } from 'vitest'
import { bytesOfLength, bytesWithLength, gcmIv } from '../support/arbitraries.ts'
import { aesKeyLength, gcmLength } from './lengths.ts'
import { fromHex, nodeAesBlock, nodeGcmEncrypt, toHex } from './node-reference.ts'

/** The field's 1: x^0 is bit 0, the leftmost bit (SP 800-38D §6.3). */
const ONE = fromHex('80000000000000000000000000000000')
const X = fromHex('40000000000000000000000000000000')
const X127 = fromHex('00000000000000000000000000000001')

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((byte, i) => byte ^ (b[i] as number))
}

/** CIPH_K(J0), the mask on the tag, with J0 = IV || 0^31 || 1 (SP 800-38D §7.1 step 2). */
function nodeTagMask(key: Uint8Array, iv: Uint8Array): Uint8Array {
  const j0 = new Uint8Array(16)
  j0.set(iv)
  j0[15] = 1
  return nodeAesBlock(key, j0)
}

describe('gf128Multiply', () => {
  const element = bytesOfLength(16)

  test('1 is the identity, multiplication commutes and distributes over XOR', () => {
    fc.assert(
      fc.property(element, element, element, (a, b, c) => {
        expect(toHex(gf128Multiply(a, ONE))).toBe(toHex(a))
        expect(toHex(gf128Multiply(a, b))).toBe(toHex(gf128Multiply(b, a)))
        expect(toHex(gf128Multiply(a, xor(b, c)))).toBe(
          toHex(xor(gf128Multiply(a, b), gf128Multiply(a, c))),
        )
      }),
    )
  })

  test('x • x^127 = x^128 = x^7 + x^2 + x + 1: the reduction R = 11100001 || 0^120', () => {
    expect(toHex(gf128Multiply(X, X127))).toBe('e1000000000000000000000000000000')
  })

  test('arguments must be 16-byte Uint8Arrays', () => {
    const message = 'x must be a 16-byte Uint8Array (one GF(2^128) element)'
    expect(() => gf128Multiply(new Uint8Array(15), ONE)).toThrow(new TypeError(message))
    expect(() => gf128Multiply(ONE, new Uint8Array(17))).toThrow(
      new TypeError(message.replace('x', 'y')),
    )
  })
})

describe('glass-box ghash', () => {
  test('equals the GHASH inside node’s GCM tag, for AAD and ciphertext lengths across 16', () => {
    fc.assert(
      fc.property(
        bytesWithLength(aesKeyLength()),
        gcmIv(),
        bytesWithLength(gcmLength(1024)),
        bytesWithLength(gcmLength(2048)),
        (key, iv, aad, plaintext) => {
          const { ciphertext, tag } = nodeGcmEncrypt(key, iv, plaintext, aad)
          const h = nodeAesBlock(key, new Uint8Array(16))
          // tag = GHASH ⊕ CIPH_K(J0), so GHASH = tag ⊕ CIPH_K(J0).
          expect(toHex(ghash(h, aad, ciphertext))).toBe(toHex(xor(tag, nodeTagMask(key, iv))))
        },
      ),
    )
  })

  test('the length block tells AAD from ciphertext: (A, "") and ("", A) hash apart', () => {
    const h = fromHex('66e94bd4ef8a2c3b884cfa59ca342b2e')
    const bytes = fromHex('00112233')
    expect(toHex(ghash(h, bytes, new Uint8Array(0)))).not.toBe(
      toHex(ghash(h, new Uint8Array(0), bytes)),
    )
  })

  test('wrong argument types and sizes are programmer errors', () => {
    const empty = new Uint8Array(0)
    expect(() => ghash(new Uint8Array(12), empty, empty)).toThrow(
      new TypeError('the GHASH key H must be a 16-byte Uint8Array'),
    )
    expect(() => ghash(ONE, 'aad' as unknown as Uint8Array, empty)).toThrow(
      new TypeError('the AAD must be a Uint8Array'),
    )
    expect(() => ghash(ONE, empty, [1, 2] as unknown as Uint8Array)).toThrow(
      new TypeError('the ciphertext must be a Uint8Array'),
    )
  })
})

interface GcmSpecVectors {
  source: string
  cases: { testCase: number; key: string; h: string }[]
}

test('the hash subkey H = E_K(0^128) of the GCM specification’s AES-256 cases', () => {
  const spec = JSON.parse(
    readFileSync(new URL('../vectors/gcm-spec-aes256.json', import.meta.url), 'utf8'),
  ) as GcmSpecVectors
  for (const c of spec.cases) {
    expect(toHex(nodeAesBlock(fromHex(c.key), new Uint8Array(16))), `case ${c.testCase}`).toBe(c.h)
  }
})
