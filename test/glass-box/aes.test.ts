/**
 * The glass-box AES (src/glass-box/aes.ts) against node:crypto and FIPS 197 Appendix C
 * (test/vectors/aes-fips-197.json).
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { aesEncryptBlock } from 'jose-by-hand/glass-box'
import { describe, expect, test } from 'vitest'
import {
  addRoundKey,
  expandKey,
  mixColumns,
  S_BOX,
  shiftRows,
  subBytes,
} from '../../src/glass-box/aes.ts'
import { bytesOfLength, bytesWithLength } from '../support/arbitraries.ts'
import { aesKeyLength } from './lengths.ts'
import { fromHex, nodeAesBlock, toHex } from './node-reference.ts'

interface AesVectors {
  source: string
  cases: {
    name: string
    key: string
    plaintext: string
    ciphertext: string
    round1?: { start: string; s_box: string; s_row: string; m_col: string; k_sch: string }
    round2Start?: string
  }[]
}

const vectors = JSON.parse(
  readFileSync(new URL('../vectors/aes-fips-197.json', import.meta.url), 'utf8'),
) as AesVectors

describe('glass-box aesEncryptBlock', () => {
  test('equals node:crypto for 128-, 192- and 256-bit keys', () => {
    fc.assert(
      fc.property(bytesWithLength(aesKeyLength()), bytesOfLength(16), (key, block) => {
        expect(toHex(aesEncryptBlock(key, block))).toBe(toHex(nodeAesBlock(key, block)))
      }),
    )
  })

  test.each(vectors.cases)(`${vectors.source}: $name`, ({ key, plaintext, ciphertext }) => {
    expect(toHex(aesEncryptBlock(fromHex(key), fromHex(plaintext)))).toBe(ciphertext)
  })

  test('FIPS 197 C.3, round 1 step by step', () => {
    const c3 = vectors.cases.find((c) => c.name === 'C.3 AES-256')
    const round1 = c3?.round1
    if (c3 === undefined || round1 === undefined) throw new Error('C.3 is missing its round values')
    const schedule = expandKey(fromHex(c3.key))
    const state = fromHex(c3.plaintext)
    addRoundKey(state, schedule.bytes, 0)
    expect(toHex(state)).toBe(round1.start)
    subBytes(state)
    expect(toHex(state)).toBe(round1.s_box)
    shiftRows(state)
    expect(toHex(state)).toBe(round1.s_row)
    mixColumns(state)
    expect(toHex(state)).toBe(round1.m_col)
    expect(toHex(schedule.bytes.subarray(16, 32))).toBe(round1.k_sch)
    addRoundKey(state, schedule.bytes, 1)
    expect(toHex(state)).toBe(c3.round2Start)
    expect(schedule.rounds).toBe(14)
  })

  test('the computed S-box is FIPS 197 Figure 7 (first row, and the §5.1.1 example S(53) = ed)', () => {
    expect(toHex(S_BOX.subarray(0, 16))).toBe('637c777bf26b6fc53001672bfed7ab76')
    expect(S_BOX[0x53]).toBe(0xed)
    expect(S_BOX[0xff]).toBe(0x16)
    // A permutation: every byte value appears once.
    expect(new Set(S_BOX).size).toBe(256)
  })

  test('a key of another size, or a block that is not 16 bytes, is a programmer error', () => {
    const keyMessage = 'an AES key must be a Uint8Array of 16, 24 or 32 bytes (FIPS 197 §5)'
    for (const length of [0, 15, 20, 31, 33]) {
      expect(() => aesEncryptBlock(new Uint8Array(length), new Uint8Array(16))).toThrow(
        new TypeError(keyMessage),
      )
    }
    expect(() => aesEncryptBlock(new Uint8Array(32), new Uint8Array(15))).toThrow(
      new TypeError('an AES block must be a 16-byte Uint8Array (FIPS 197 §3.1)'),
    )
  })

  test('the caller’s key and block are left as they were, Buffers included', () => {
    const key = Buffer.alloc(32, 7)
    const block = Buffer.from('00112233445566778899aabbccddeeff', 'hex')
    aesEncryptBlock(key, block)
    expect(block.toString('hex')).toBe('00112233445566778899aabbccddeeff')
    expect(key.equals(Buffer.alloc(32, 7))).toBe(true)
  })

  test.each([0, 1, 15, 17, 23, 25, 31, 33, 64])('a %i-byte key is a programmer error', (length) => {
    expect(() => aesEncryptBlock(new Uint8Array(length), new Uint8Array(16))).toThrow(
      new TypeError('an AES key must be a Uint8Array of 16, 24 or 32 bytes (FIPS 197 §5)'),
    )
  })

  test.each([0, 15, 17, 32])('a %i-byte block is a programmer error', (length) => {
    expect(() => aesEncryptBlock(new Uint8Array(16), new Uint8Array(length))).toThrow(
      new TypeError('an AES block must be a 16-byte Uint8Array (FIPS 197 §3.1)'),
    )
  })
})
