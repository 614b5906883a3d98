/**
 * A JWE sealed by the glass box equals src's encryptCompact and jose's CompactEncrypt byte
 * for byte, given the same IV; and the glass box opens both.
 */

import fc from 'fast-check'
import { CompactEncrypt } from 'jose'
import { encryptCompact, type JWEHeader } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import * as arb from '../support/arbitraries.ts'
import { glassDecryptCompact, glassEncryptCompact } from './glass-jwe.ts'
import { toHex } from './node-reference.ts'

const jweCase = arb.gcmEncAndKey().chain(({ enc, key }) =>
  fc.record({
    key: fc.constant(key),
    header: arb.header<JWEHeader>({ alg: 'dir', enc }),
    plaintext: arb.payloadBytes(8192),
    iv: arb.gcmIv(),
  }),
)

describe('a JWE sealed by the glass box', () => {
  test('equals encryptCompact and jose CompactEncrypt with the same IV, and opens both', async () => {
    await fc.assert(
      fc.asyncProperty(jweCase, async ({ key, header, plaintext, iv }) => {
        const glass = glassEncryptCompact(plaintext, key, header, iv)
        const ours = encryptCompact(plaintext, key, header, { iv })
        const jose = await new CompactEncrypt(plaintext)
          .setProtectedHeader(header)
          .setInitializationVector(iv)
          .encrypt(key)
        expect(glass).toBe(ours)
        expect(glass).toBe(jose)
        const opened = glassDecryptCompact(ours, key)
        expect(opened === undefined ? 'undefined' : toHex(opened)).toBe(toHex(plaintext))
      }),
    )
  })

  test('the glass box refuses a token whose header segment was changed (the header is the AAD)', () => {
    const key = new Uint8Array(32)
    const iv = new Uint8Array(12)
    const token = encryptCompact('hello', key, { alg: 'dir', enc: 'A256GCM' }, { iv })
    const other = glassEncryptCompact(
      new TextEncoder().encode('hello'),
      key,
      { alg: 'dir', enc: 'A256GCM', kid: 'x' },
      iv,
    )
    // Same key, IV and plaintext, so the same ciphertext; only the header differs.
    expect(token.split('.')[3]).toBe(other.split('.')[3])
    const spliced = `${other.split('.')[0]}.${token.split('.').slice(1).join('.')}`
    expect(glassDecryptCompact(spliced, key)).toBeUndefined()
  })
})
