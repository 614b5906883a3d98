/**
 * The glass-box HMAC-SHA-256 (src/glass-box/hmac.ts) against node:crypto, RFC 4231 and
 * Wycheproof (test/vectors/hmac-sha256-rfc4231.json, test/vectors/wycheproof-hmac-sha256.json).
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { hmacSha256 } from 'jose-by-hand/glass-box'
import { describe, expect, test } from 'vitest'
import { bytesWithLength, payloadLength } from '../support/arbitraries.ts'
import { hmacKeyLength } from './lengths.ts'
import { fromHex, nodeHmacSha256, toHex } from './node-reference.ts'

interface Rfc4231 {
  source: string
  cases: { testCase: number; key: string; data: string; mac: string; truncateToBytes?: number }[]
}

interface WycheproofMac {
  source: string
  testGroups: {
    tests: {
      tcId: number
      comment: string
      key: string
      msg: string
      tag: string
      result: string
    }[]
  }[]
}

function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T
}

const rfc4231 = readVectors<Rfc4231>('hmac-sha256-rfc4231.json')
const wycheproof = readVectors<WycheproofMac>('wycheproof-hmac-sha256.json')
const wycheproofCases = wycheproof.testGroups.flatMap((group) => group.tests)

describe('glass-box hmacSha256', () => {
  test('equals node:crypto for keys of 0–200 bytes, across the 64-byte block', () => {
    fc.assert(
      fc.property(
        bytesWithLength(hmacKeyLength()),
        bytesWithLength(payloadLength(4096)),
        (key, data) => {
          expect(toHex(hmacSha256(key, data))).toBe(toHex(nodeHmacSha256(key, data)))
        },
      ),
    )
  })

  test.each(rfc4231.cases)(`${rfc4231.source}: test case $testCase`, (vector) => {
    const mac = hmacSha256(fromHex(vector.key), fromHex(vector.data))
    expect(toHex(mac.subarray(0, vector.truncateToBytes ?? 32))).toBe(vector.mac)
  })

  test('the Wycheproof subset has the 87 cases its source records', () => {
    expect(wycheproof.source).toContain('C2SP/wycheproof')
    expect(wycheproofCases).toHaveLength(87)
    expect(new Set(wycheproofCases.map((c) => c.result))).toEqual(new Set(['valid', 'invalid']))
  })

  test.each(wycheproofCases)('Wycheproof tcId $tcId ($result): glass box and node agree', (c) => {
    // "invalid" means the tag was modified: the MAC over key and msg must differ from it.
    const key = fromHex(c.key)
    const msg = fromHex(c.msg)
    const glass = toHex(hmacSha256(key, msg)) === c.tag
    const node = toHex(nodeHmacSha256(key, msg)) === c.tag
    expect(glass).toBe(c.result === 'valid')
    expect(node).toBe(c.result === 'valid')
  })

  test('wrong argument types are programmer errors', () => {
    const bytes = new Uint8Array(4)
    expect(() => hmacSha256('key' as unknown as Uint8Array, bytes)).toThrow(
      new TypeError('the HMAC key must be a Uint8Array'),
    )
    expect(() => hmacSha256(bytes, 'data' as unknown as Uint8Array)).toThrow(
      new TypeError('the HMAC data must be a Uint8Array'),
    )
  })
})
