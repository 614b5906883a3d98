/**
 * The glass-box GCM (src/glass-box/gcm.ts) against node:crypto, the GCM specification's
 * AES-256 cases and Wycheproof (test/vectors/gcm-spec-aes256.json,
 * test/vectors/wycheproof-aes-256-gcm.json).
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { gcmDecrypt, gcmEncrypt } from 'jose-by-hand/glass-box'
import { describe, expect, test } from 'vitest'
import { bytesWithLength, gcmIv } from '../support/arbitraries.ts'
import { aesKeyLength, gcmLength } from './lengths.ts'
import { fromHex, nodeGcmDecrypt, nodeGcmEncrypt, toHex } from './node-reference.ts'

interface GcmSpecVectors {
  source: string
  cases: {
    testCase: number
    key: string
    iv: string
    aad: string
    plaintext: string
    ciphertext: string
    tag: string
  }[]
}

interface WycheproofAead {
  source: string
  testGroups: {
    ivSize: number
    keySize: number
    tagSize: number
    tests: {
      tcId: number
      comment: string
      flags: string[]
      key: string
      iv: string
      aad: string
      msg: string
      ct: string
      tag: string
      result: string
    }[]
  }[]
}

function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T
}

const spec = readVectors<GcmSpecVectors>('gcm-spec-aes256.json')
const wycheproof = readVectors<WycheproofAead>('wycheproof-aes-256-gcm.json')
const wycheproofCases = wycheproof.testGroups.flatMap((group) => group.tests)

const gcmCase = fc.record({
  key: bytesWithLength(aesKeyLength()),
  iv: gcmIv(),
  aad: bytesWithLength(gcmLength(512)),
  plaintext: bytesWithLength(gcmLength(4096)),
})

describe('glass-box gcmEncrypt and gcmDecrypt', () => {
  test('encrypt equals node:crypto, for every key size and AAD/plaintext lengths across 16', () => {
    fc.assert(
      fc.property(gcmCase, ({ key, iv, aad, plaintext }) => {
        const glass = gcmEncrypt(key, iv, plaintext, aad)
        const node = nodeGcmEncrypt(key, iv, plaintext, aad)
        expect(toHex(glass.ciphertext)).toBe(toHex(node.ciphertext))
        expect(toHex(glass.tag)).toBe(toHex(node.tag))
      }),
    )
  })

  test('decrypt gives back node’s plaintext', () => {
    fc.assert(
      fc.property(gcmCase, ({ key, iv, aad, plaintext }) => {
        const { ciphertext, tag } = nodeGcmEncrypt(key, iv, plaintext, aad)
        const decrypted = gcmDecrypt(key, iv, ciphertext, aad, tag)
        expect(decrypted === undefined ? 'undefined' : toHex(decrypted)).toBe(toHex(plaintext))
      }),
    )
  })

  test('any single-bit change of ciphertext, AAD or tag gives undefined', () => {
    const flip = fc.record({
      part: fc.constantFrom('ciphertext', 'aad', 'tag'),
      bit: fc.nat(),
    })
    fc.assert(
      fc.property(gcmCase, flip, ({ key, iv, aad, plaintext }, { part, bit }) => {
        const sealed = gcmEncrypt(key, iv, plaintext, aad)
        const parts = { ciphertext: sealed.ciphertext, aad: new Uint8Array(aad), tag: sealed.tag }
        const target = parts[part as keyof typeof parts]
        // An empty ciphertext or AAD has no bit to flip: the tag is flipped instead.
        const changed = target.length === 0 ? parts.tag : target
        const index = bit % (changed.length * 8)
        changed[index >> 3] = (changed[index >> 3] as number) ^ (0x80 >> (index & 7))
        expect(gcmDecrypt(key, iv, parts.ciphertext, parts.aad, parts.tag)).toBeUndefined()
      }),
    )
  })

  test.each(spec.cases)(`${spec.source}: test case $testCase`, (vector) => {
    const key = fromHex(vector.key)
    const iv = fromHex(vector.iv)
    const aad = fromHex(vector.aad)
    const sealed = gcmEncrypt(key, iv, fromHex(vector.plaintext), aad)
    expect(toHex(sealed.ciphertext)).toBe(vector.ciphertext)
    expect(toHex(sealed.tag)).toBe(vector.tag)
    const opened = gcmDecrypt(key, iv, fromHex(vector.ciphertext), aad, fromHex(vector.tag))
    expect(opened === undefined ? 'undefined' : toHex(opened)).toBe(vector.plaintext)
  })

  test('the Wycheproof subset is the AES-256 / 96-bit IV / 128-bit tag group, 66 cases', () => {
    expect(wycheproof.source).toContain('C2SP/wycheproof')
    for (const group of wycheproof.testGroups) {
      expect([group.keySize, group.ivSize, group.tagSize]).toEqual([256, 96, 128])
    }
    expect(wycheproofCases).toHaveLength(66)
  })

  test.each(wycheproofCases)('Wycheproof tcId $tcId ($result): glass box and node agree', (c) => {
    const key = fromHex(c.key)
    const iv = fromHex(c.iv)
    const aad = fromHex(c.aad)
    const ciphertext = fromHex(c.ct)
    const tag = fromHex(c.tag)
    const glass = gcmDecrypt(key, iv, ciphertext, aad, tag)
    const node = nodeGcmDecrypt(key, iv, ciphertext, aad, tag)
    if (c.result === 'valid') {
      expect(glass === undefined ? 'undefined' : toHex(glass)).toBe(c.msg)
      expect(node === undefined ? 'undefined' : toHex(node)).toBe(c.msg)
      const sealed = gcmEncrypt(key, iv, fromHex(c.msg), aad)
      expect(toHex(sealed.ciphertext) + toHex(sealed.tag)).toBe(c.ct + c.tag)
    } else {
      expect(glass).toBeUndefined()
      expect(node).toBeUndefined()
    }
  })

  describe('wrong argument types and sizes are programmer errors', () => {
    const key = new Uint8Array(32)
    const iv = new Uint8Array(12)
    const empty = new Uint8Array(0)
    const tag = new Uint8Array(16)

    test.each([0, 8, 11, 13, 16])('a %i-byte IV', (length) => {
      const message = 'the IV must be a 12-byte Uint8Array (96 bits, RFC 7518 §5.3)'
      const badIv = new Uint8Array(length)
      expect(() => gcmEncrypt(key, badIv, empty, empty)).toThrow(new TypeError(message))
      expect(() => gcmDecrypt(key, badIv, empty, empty, tag)).toThrow(new TypeError(message))
    })

    test.each([0, 4, 12, 15, 17])('a %i-byte tag', (length) => {
      expect(() => gcmDecrypt(key, iv, empty, empty, new Uint8Array(length))).toThrow(
        new TypeError('the tag must be a 16-byte Uint8Array (128 bits, RFC 7518 §5.3)'),
      )
    })

    test('a key of another size, and inputs that are not bytes', () => {
      expect(() => gcmEncrypt(new Uint8Array(20), iv, empty, empty)).toThrow(
        new TypeError('an AES key must be a Uint8Array of 16, 24 or 32 bytes (FIPS 197 §5)'),
      )
      const text = 'text' as unknown as Uint8Array
      expect(() => gcmEncrypt(key, iv, text, empty)).toThrow(
        new TypeError('the plaintext must be a Uint8Array'),
      )
      expect(() => gcmEncrypt(key, iv, empty, text)).toThrow(
        new TypeError('the AAD must be a Uint8Array'),
      )
      expect(() => gcmDecrypt(key, iv, text, empty, tag)).toThrow(
        new TypeError('the ciphertext must be a Uint8Array'),
      )
      expect(() => gcmDecrypt(key, iv, empty, text, tag)).toThrow(
        new TypeError('the AAD must be a Uint8Array'),
      )
    })
  })
})
