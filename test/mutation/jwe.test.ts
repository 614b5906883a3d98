/**
 * src/jwe.ts: the checks mutation testing found unpinned.
 *
 * - The header passed to encryptCompact: `alg` and `enc` missing, empty or not strings
 *   are Invalid; an `alg` other than dir, an `enc` other than AES-GCM, and any `zip`
 *   are NotSupported. Nothing is encrypted under a header its own decryptor refuses.
 * - Keys are bytes (node:crypto would take a 32-character string as an AES-256 key),
 *   and a fixed IV must be exactly 96 bits (AES-GCM would accept any length).
 * - The `contentEncryptionAlgorithms` option: every entry must be supported, not only
 *   the one the key happens to fit.
 * - An unknown `zip` is refused before any decryption, as jose does, so a forged
 *   token gets the same code from both.
 * - Every rejection says which part failed.
 */

import { type DecryptOptions, decryptCompact, encryptCompact, type JWEHeader } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { b64u, forgeJwe } from '../support/forge.ts'
import { codeOf, reference, src, thrown } from '../support/implementations.ts'

const KEY = new Uint8Array(32).fill(1)
const IV = new Uint8Array(12).fill(2)
const HEADER = b64u('{"alg":"dir","enc":"A256GCM"}')

describe('encryptCompact: the header must be one this module would decrypt', () => {
  test.each([
    ['null', null, /^JWE Protected Header must be a JSON object$/],
    ['no alg', { enc: 'A256GCM' }, /"alg"/],
    ['an empty alg', { alg: '', enc: 'A256GCM' }, /"alg"/],
    ['a numeric alg', { alg: 1, enc: 'A256GCM' }, /"alg"/],
    ['no enc', { alg: 'dir' }, /"enc"/],
    ['an empty enc', { alg: 'dir', enc: '' }, /"enc"/],
    ['an array enc', { alg: 'dir', enc: ['A256GCM'] }, /"enc"/],
  ])('%s: ERR_JWE_INVALID', (_case, header, message) => {
    const error = thrown(() => encryptCompact('x', KEY, header as unknown as JWEHeader))
    expect(error.code).toBe('ERR_JWE_INVALID')
    expect(error.message).toMatch(message)
  })

  test.each([
    [{ alg: 'A256KW', enc: 'A256GCM' }, /"A256KW"/],
    [{ alg: 'RSA-OAEP', enc: 'A256GCM' }, /"RSA-OAEP"/],
    [{ alg: 'dir', enc: 'A256CBC-HS512' }, /"A256CBC-HS512"/],
    [{ alg: 'dir', enc: '__proto__' }, /"__proto__"/],
    [{ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, /"zip"/],
  ])('%j: ERR_JOSE_NOT_SUPPORTED, naming what', (header, message) => {
    const error = thrown(() => encryptCompact('x', KEY, header))
    expect(error.code).toBe('ERR_JOSE_NOT_SUPPORTED')
    expect(error.message).toMatch(message)
  })
})

describe('keys are raw bytes; a fixed IV is exactly 96 bits', () => {
  const passphrase = 'k'.repeat(32)

  test('a 32-character string key: TypeError, on both sides', () => {
    for (const action of [
      () => encryptCompact('x', passphrase as unknown as Uint8Array),
      () => decryptCompact(forgeJwe(HEADER, 'x', KEY), passphrase as unknown as Uint8Array),
    ]) {
      const error = thrown(action)
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(/Uint8Array/)
    }
  })

  test.each([0, 8, 11, 13, 16])('an IV of %i bytes: TypeError (RFC 7518 §5.3)', (length) => {
    const error = thrown(() => encryptCompact('x', KEY, undefined, { iv: new Uint8Array(length) }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/^options\.iv must be 12 bytes/)
  })

  test('an IV that is an array of 12 numbers, not bytes: TypeError', () => {
    const iv = Array.from({ length: 12 }, () => 0) as unknown as Uint8Array
    expect(thrown(() => encryptCompact('x', KEY, undefined, { iv }))).toBeInstanceOf(TypeError)
  })

  test('a 12-byte IV is used as given', () => {
    const token = encryptCompact('x', KEY, undefined, { iv: IV })
    expect(token.split('.')[2]).toBe(b64u(IV))
  })
})

describe('the contentEncryptionAlgorithms option: every entry must be supported', () => {
  const token = forgeJwe(HEADER, 'x', KEY)

  test.each([
    [[], /^contentEncryptionAlgorithms must be a non-empty array/],
    ['A256GCM', /^contentEncryptionAlgorithms must be a non-empty array/],
    [['A256GCM', 'A512GCM'], /^contentEncryptionAlgorithms: "A512GCM" is not supported/],
    [
      ['A256GCM', 'A256CBC-HS512'],
      /^contentEncryptionAlgorithms: "A256CBC-HS512" is not supported/,
    ],
    [['A256GCM', 256], /^contentEncryptionAlgorithms: 256 is not supported/],
  ])('%j: TypeError naming the problem', (list, message) => {
    const options = { contentEncryptionAlgorithms: list } as DecryptOptions
    const error = thrown(() => decryptCompact(token, KEY, options))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(message)
  })

  test('a key that fits none of the allowed encs: the message lists them', () => {
    const options = { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] }
    const error = thrown(() => decryptCompact(token, new Uint8Array(20), options))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/^key has 20 bytes, which fits none of A128GCM, A256GCM /)
  })
})

describe('decryptCompact: an unknown zip is refused before any decryption, as in jose', () => {
  test.each(['XYZ', 'def', ''])(
    'zip %j under a forged tag: ERR_JOSE_NOT_SUPPORTED from both',
    async (zip) => {
      const header = b64u(JSON.stringify({ alg: 'dir', enc: 'A256GCM', zip }))
      const parts = forgeJwe(header, 'x', KEY).split('.')
      parts[4] = b64u(new Uint8Array(16))
      const forged = parts.join('.')
      expect(await codeOf(() => src.decryptCompact(forged, KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
      expect(await codeOf(() => reference.decryptCompact(forged, KEY))).toBe(
        'ERR_JOSE_NOT_SUPPORTED',
      )
      expect(thrown(() => decryptCompact(forged, KEY)).message).toMatch(/"zip"/)
    },
  )

  test('zip "DEF" is refused only once the token authenticates: a forged one fails decryption', async () => {
    const header = b64u('{"alg":"dir","enc":"A256GCM","zip":"DEF"}')
    const parts = forgeJwe(header, 'x', KEY).split('.')
    parts[4] = b64u(new Uint8Array(16))
    const forged = parts.join('.')
    expect(await codeOf(() => decryptCompact(forged, KEY))).toBe('ERR_JWE_DECRYPTION_FAILED')
    const genuine = forgeJwe(header, 'x', KEY)
    expect(thrown(() => decryptCompact(genuine, KEY))).toMatchObject({
      code: 'ERR_JOSE_NOT_SUPPORTED',
      message: expect.stringMatching(/"zip"/),
    })
  })
})

describe('decryptCompact: each rejection names what failed', () => {
  const iv = b64u(IV)
  const tag = b64u(new Uint8Array(16))
  const ciphertext = b64u('ciphertext')

  test.each([
    [
      'no alg',
      `${b64u('{"enc":"A256GCM"}')}..${iv}.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /"alg"/,
    ],
    ['no enc', `${b64u('{"alg":"dir"}')}..${iv}.${ciphertext}.${tag}`, 'ERR_JWE_INVALID', /"enc"/],
    [
      'alg other than dir',
      `${b64u('{"alg":"A256KW","enc":"A256GCM"}')}..${iv}.${ciphertext}.${tag}`,
      'ERR_JOSE_ALG_NOT_ALLOWED',
      // jose's message, word for word.
      /^"alg" \(Algorithm\) Header Parameter value not allowed$/,
    ],
    [
      'enc not allowed',
      `${b64u('{"alg":"dir","enc":"A128GCM"}')}..${iv}.${ciphertext}.${tag}`,
      'ERR_JOSE_ALG_NOT_ALLOWED',
      /^"enc" \(Encryption Algorithm\) Header Parameter value not allowed$/,
    ],
    [
      'an encrypted key',
      `${HEADER}.${b64u('key')}.${iv}.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /Encrypted Key/,
    ],
    [
      'an 11-byte IV',
      `${HEADER}..${b64u(new Uint8Array(11))}.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /Initialization Vector/,
    ],
    [
      'a padded IV',
      `${HEADER}..${iv}=.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /Initialization Vector/,
    ],
    [
      'a 15-byte tag',
      `${HEADER}..${iv}.${ciphertext}.${b64u(new Uint8Array(15))}`,
      'ERR_JWE_INVALID',
      /Authentication Tag/,
    ],
    [
      'a padded tag',
      `${HEADER}..${iv}.${ciphertext}.${tag}==`,
      'ERR_JWE_INVALID',
      /Authentication Tag/,
    ],
    [
      'a padded ciphertext',
      `${HEADER}..${iv}.${b64u('ab')}=.${tag}`,
      'ERR_JWE_INVALID',
      /Ciphertext/,
    ],
  ])('%s: %s', async (_case, token, code, message) => {
    expect(await codeOf(() => decryptCompact(token, KEY))).toBe(code)
    expect(thrown(() => decryptCompact(token, KEY)).message).toMatch(message)
  })

  test('a key that fits A128GCM but not the A256GCM token: ERR_JWE_INVALID naming the enc', () => {
    const options = { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] }
    const error = thrown(() =>
      decryptCompact(forgeJwe(HEADER, 'x', KEY), new Uint8Array(16), options),
    )
    expect(error.code).toBe('ERR_JWE_INVALID')
    expect(error.message).toMatch(/does not fit A256GCM/)
  })
})
