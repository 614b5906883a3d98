/**
 * The glass-box SHA-256 (src/glass-box/sha256.ts) against node:crypto and the FIPS 180
 * examples (test/vectors/sha256-fips-180.json).
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { sha256 } from 'jose-by-hand/glass-box'
import { describe, expect, test } from 'vitest'
import { compressBlock, INITIAL_HASH, pad } from '../../src/glass-box/sha256.ts'
import { bytesWithLength } from '../support/arbitraries.ts'
import { sha256MessageLength } from './lengths.ts'
import { nodeSha256, toHex } from './node-reference.ts'

interface Sha256Vectors {
  source: string
  cases: { name: string; message: string; repeat: number; digest: string }[]
}

const vectors = JSON.parse(
  readFileSync(new URL('../vectors/sha256-fips-180.json', import.meta.url), 'utf8'),
) as Sha256Vectors

describe('glass-box sha256', () => {
  test('equals node:crypto for messages of 0–200 bytes and of several KiB', () => {
    fc.assert(
      fc.property(bytesWithLength(sha256MessageLength()), (message) => {
        expect(toHex(sha256(message))).toBe(toHex(nodeSha256(message)))
      }),
    )
  })

  test.each(vectors.cases)(`${vectors.source}: $name`, ({ message, repeat, digest }) => {
    const bytes = new TextEncoder().encode(message.repeat(repeat))
    expect(toHex(sha256(bytes))).toBe(digest)
  })

  test('padding (FIPS 180-4 §5.1.1): 55 bytes fit one block, 56 need two', () => {
    fc.assert(
      fc.property(bytesWithLength(sha256MessageLength()), (message) => {
        const padded = pad(message)
        // The message, 0x80, zeros, and 8 length bytes: the fewest whole blocks that hold them.
        expect(padded.length).toBe(64 * Math.ceil((message.length + 9) / 64))
        expect(padded.subarray(0, message.length)).toEqual(message)
        expect(padded[message.length]).toBe(0x80)
        const view = new DataView(padded.buffer)
        expect(view.getUint32(padded.length - 4)).toBe(message.length * 8)
      }),
    )
    expect(pad(new Uint8Array(55))).toHaveLength(64)
    expect(pad(new Uint8Array(56))).toHaveLength(128)
  })

  // FIPS 180-2 Appendix B.1 ("abc", one block) lists the working variables a..h after
  // every round; chapter 8 shows the same trace. Rounds 0 and 63 are checked here.
  test('the round observer sees all 64 rounds, with the FIPS 180-2 B.1 values for "abc"', () => {
    const state = Uint32Array.from(INITIAL_HASH)
    const block = pad(new TextEncoder().encode('abc'))
    const rounds: { t: number; working: string[] }[] = []
    compressBlock(state, block, (t, working) => {
      rounds.push({ t, working: working.map((word) => word.toString(16).padStart(8, '0')) })
    })
    expect(rounds.map(({ t }) => t)).toEqual([...Array(64).keys()])
    expect(rounds[0]?.working).toEqual([
      '5d6aebcd',
      '6a09e667',
      'bb67ae85',
      '3c6ef372',
      'fa2a4622',
      '510e527f',
      '9b05688c',
      '1f83d9ab',
    ])
    expect(rounds[63]?.working).toEqual([
      '506e3058',
      'd39a2165',
      '04d24d6c',
      'b85e2ce9',
      '5ef50f24',
      'fb121210',
      '948d25b6',
      '961f4894',
    ])
  })

  test('anything but a Uint8Array is a programmer error', () => {
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(
      new TypeError('sha256 expects a Uint8Array'),
    )
  })
})
