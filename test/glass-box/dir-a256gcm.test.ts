/**
 * test/vectors/dir-a256gcm.json, the dir + A256GCM fixture for anyone to reuse: every token
 * is derived again, here, by src's encryptCompact, jose's CompactEncrypt and the glass box,
 * and opened again by src and jose.
 */

import { readFileSync } from 'node:fs'
import { CompactEncrypt, compactDecrypt } from 'jose'
import {
  base64url,
  decryptCompact,
  decryptThenVerify,
  encryptCompact,
  type JWEHeader,
} from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { glassDecryptCompact, glassEncryptCompact } from './glass-jwe.ts'
import { toHex } from './node-reference.ts'

interface Entry {
  name: string
  key: string
  iv: string
  header: JWEHeader
  plaintext: string
  signingKey?: string
  token: string
}

const file = JSON.parse(
  readFileSync(new URL('../vectors/dir-a256gcm.json', import.meta.url), 'utf8'),
) as { about: string; cases: Entry[] }

const JOSE_OPTIONS = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }

describe('test/vectors/dir-a256gcm.json', () => {
  test('covers what it promises: 0, 1, 15, 16, 17 bytes and several KiB; kid, cty; a nested JWT', () => {
    const lengths = file.cases.map((entry) => base64url.decode(entry.plaintext).length)
    expect(file.cases.length).toBeGreaterThanOrEqual(12)
    expect(lengths).toEqual(expect.arrayContaining([0, 1, 15, 16, 17]))
    expect(Math.max(...lengths)).toBeGreaterThan(4096)
    expect(file.cases.some((entry) => 'kid' in entry.header && !('cty' in entry.header))).toBe(true)
    expect(file.cases.some((entry) => 'cty' in entry.header && !('kid' in entry.header))).toBe(true)
    expect(file.cases.some((entry) => 'kid' in entry.header && 'cty' in entry.header)).toBe(true)
    expect(file.cases.some((entry) => entry.header.cty === 'JWT')).toBe(true)
  })

  describe.each(file.cases)('$name', (entry) => {
    const key = base64url.decode(entry.key)
    const iv = base64url.decode(entry.iv)
    const plaintext = base64url.decode(entry.plaintext)

    test('src, jose and the glass box each derive the token again, byte for byte', async () => {
      expect(encryptCompact(plaintext, key, entry.header, { iv })).toBe(entry.token)
      const jose = await new CompactEncrypt(plaintext)
        .setProtectedHeader(entry.header)
        .setInitializationVector(iv)
        .encrypt(key)
      expect(jose).toBe(entry.token)
      expect(glassEncryptCompact(plaintext, key, entry.header, iv)).toBe(entry.token)
    })

    test('src, jose and the glass box each open it', async () => {
      const expected = toHex(plaintext)
      const ours = decryptCompact(entry.token, key)
      expect(toHex(ours.plaintext)).toBe(expected)
      expect(ours.protectedHeader).toEqual(entry.header)
      const jose = await compactDecrypt(entry.token, key, JOSE_OPTIONS)
      expect(toHex(jose.plaintext)).toBe(expected)
      const glass = glassDecryptCompact(entry.token, key)
      expect(glass === undefined ? 'undefined' : toHex(glass)).toBe(expected)
    })

    if (entry.signingKey !== undefined) {
      const signingKey = base64url.decode(entry.signingKey)
      test('the nested JWT verifies with its signing key', () => {
        const { payload } = decryptThenVerify(
          entry.token,
          { signingKey, encryptionKey: key },
          { issuer: 'https://issuer.example', audience: 'api' },
        )
        expect(payload).toEqual({
          sub: 'user-4711',
          role: 'reader',
          iss: 'https://issuer.example',
          aud: 'api',
        })
      })
    }
  })
})
