/**
 * Pitfall 5: the blog post's 17-byte encryption secret, and the naive "fixes".
 * Page: docs/pitfalls/short-encryption-secret.md (every value it quotes is asserted here).
 */

import { hkdfSync, randomBytes, scryptSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { compactDecrypt, EncryptJWT, jwtDecrypt, SignJWT } from 'jose'
import { decryptJwt, encryptCompact, encryptJwt, type JWTPayload } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf, reference } from '../support/implementations.ts'
import { fitPassphraseTo32Bytes, sha256Key } from './short-encryption-secret.ts'

const page = readFileSync(
  new URL('../../docs/pitfalls/short-encryption-secret.md', import.meta.url),
  'utf8',
)

const ENCRYPTION_SECRET = new TextEncoder().encode('encryption-secret')
/** Pinned only so that the page can quote the token; encryptJwt draws a random IV otherwise. */
const IV = Uint8Array.from({ length: 12 }, (_, i) => i)
const CLAIMS: JWTPayload = { sub: 'alice', email: 'alice@example.com', plan: 'premium' }

const PADDED_KEY_HEX = '656e6372797074696f6e2d736563726574000000000000000000000000000000'
const OLD_PASSPHRASE = 'acme-corp/prod/jwe-encryption-key/2025'
const NEW_PASSPHRASE = 'acme-corp/prod/jwe-encryption-key/2026'
const TRUNCATED_KEY_HEX = '61636d652d636f72702f70726f642f6a77652d656e6372797074696f6e2d6b65'
const SHA256_KEY_HEX = 'ef92b778bafe771e89245b89ecbc08a44a4e166c06659911881f383d4473e94f'
const SHA256_TOKEN =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAECAwQFBgcICQoL.yaHrom1MerXn9IBlkI4WTK5CVZr_Qr_6E0bgju9CHibUhLbJkML_iMfR1CLw58htAOBN9tquzrR6zD7x.RsBT8FAXVPfpRMLZZQgO4Q'
const GUESSES = 24

// #region password-list
/** 200 guesses: ten of the most common passwords, each with twenty common endings. */
function passwordList(): string[] {
  const bases = ['123456', 'password', 'qwerty', 'letmein', 'welcome', 'admin', 'dragon']
  bases.push('monkey', 'iloveyou', 'sunshine')
  const endings = ['', '1', '12', '123', '1234', '!', '1!', '01', '2024', '2025', '69', '7']
  endings.push('99', '00', '11', '13', '21', '22', '23', '77')
  const candidates: string[] = []
  for (const base of bases) for (const ending of endings) candidates.push(`${base}${ending}`)
  return candidates
}
// #endregion password-list

// #region dictionary-attack
/** Tries each password's SHA-256 as the key; the GCM tag says when a guess is right. */
function dictionaryAttack(token: string): {
  password?: string
  claims?: JWTPayload
  guesses: number
} {
  let guesses = 0
  for (const password of passwordList()) {
    guesses++
    try {
      const { payload } = decryptJwt(token, sha256Key(password))
      return { password, claims: payload, guesses }
    } catch {
      // ERR_JWE_DECRYPTION_FAILED: wrong guess, next one.
    }
  }
  return { guesses }
}
// #endregion dictionary-attack

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

describe("the blog post's 17-byte key is refused", () => {
  test('jose: ERR_JWE_INVALID, 136 bits where 256 are expected (its code throws as printed)', async () => {
    const inner = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32))
    const encrypt = () =>
      new EncryptJWT({ token: inner })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .encrypt(ENCRYPTION_SECRET)
    expect(await codeOf(encrypt)).toBe('ERR_JWE_INVALID')
    await expect(encrypt()).rejects.toThrow('Expected 256 bits, got 136 bits')
  })

  test('jose refuses it for decryption too, with the same code', async () => {
    const token = encryptJwt(CLAIMS, sha256Key('password123'), { iv: IV })
    const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
    expect(await codeOf(() => jwtDecrypt(token, ENCRYPTION_SECRET, options))).toBe(
      'ERR_JWE_INVALID',
    )
  })

  test('src and reference/: a TypeError, because a 17-byte key is a programmer error', async () => {
    expect(() => encryptJwt(CLAIMS, ENCRYPTION_SECRET)).toThrow(
      'A256GCM with "dir" needs a key of exactly 32 bytes (RFC 7518 §5.3); this one has 17',
    )
    expect(() => decryptJwt(SHA256_TOKEN, ENCRYPTION_SECRET)).toThrow(TypeError)
    await expect((async () => reference.encryptJwt(CLAIMS, ENCRYPTION_SECRET))()).rejects.toThrow(
      TypeError,
    )
  })
})

describe('naive fix 1: pad or truncate the passphrase to 32 bytes', () => {
  test('padding: the key is the passphrase followed by 15 zero bytes', () => {
    const key = fitPassphraseTo32Bytes('encryption-secret')
    expect(hex(key)).toBe(PADDED_KEY_HEX)
    expect(key.subarray(17).every((byte) => byte === 0)).toBe(true)
    // The length check is satisfied: nothing in src or jose can tell this key is weak.
    expect(() => encryptCompact('hello', key)).not.toThrow()
  })

  test('truncation: "rotating" the passphrase leaves the key unchanged', async () => {
    const before = fitPassphraseTo32Bytes(OLD_PASSPHRASE)
    const after = fitPassphraseTo32Bytes(NEW_PASSPHRASE)
    expect(OLD_PASSPHRASE).not.toBe(NEW_PASSPHRASE)
    expect(hex(before)).toBe(TRUNCATED_KEY_HEX)
    expect(hex(after)).toBe(TRUNCATED_KEY_HEX)
    // A token made before the rotation still opens after it, with src and with jose.
    const token = encryptJwt(CLAIMS, before)
    expect(decryptJwt(token, after).payload).toEqual(CLAIMS)
    const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
    expect((await jwtDecrypt(token, after, options)).payload).toEqual(CLAIMS)
  })
})

describe('naive fix 2: SHA-256 of a password', () => {
  test('the page bytes: the key and the token', () => {
    expect(hex(sha256Key('password123'))).toBe(SHA256_KEY_HEX)
    expect(encryptJwt(CLAIMS, sha256Key('password123'), { iv: IV })).toBe(SHA256_TOKEN)
  })

  test('a dictionary attack recovers the password and the claims, using src as the oracle', () => {
    const result = dictionaryAttack(SHA256_TOKEN)
    expect(result).toEqual({ password: 'password123', claims: CLAIMS, guesses: GUESSES })
  })

  test('every wrong guess is told apart by the same refusal, from src and from jose', async () => {
    const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
    const wrong = passwordList().slice(0, GUESSES - 1)
    for (const password of wrong) {
      expect(await codeOf(() => decryptJwt(SHA256_TOKEN, sha256Key(password)))).toBe(
        'ERR_JWE_DECRYPTION_FAILED',
      )
      expect(await codeOf(() => compactDecrypt(SHA256_TOKEN, sha256Key(password), options))).toBe(
        'ERR_JWE_DECRYPTION_FAILED',
      )
    }
    // jose opens the token with the guessed key just as src does.
    const { plaintext } = await compactDecrypt(SHA256_TOKEN, sha256Key('password123'), options)
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(CLAIMS)
  })
})

describe('what to do instead', () => {
  test('32 random bytes: the dictionary finds nothing', () => {
    const key = new Uint8Array(randomBytes(32))
    const token = encryptJwt(CLAIMS, key)
    expect(decryptJwt(token, key).payload).toEqual(CLAIMS)
    expect(dictionaryAttack(token)).toEqual({ guesses: 200 })
  })

  test('a password that cannot be avoided goes through scrypt, with a salt', () => {
    // N = 2^14 keeps the test fast; the page explains the production parameters.
    const salt = new Uint8Array(16).fill(7)
    const params = { N: 2 ** 14, r: 8, p: 1 }
    const key = new Uint8Array(scryptSync('password123', salt, 32, params))
    expect(key).toHaveLength(32)
    expect(hex(key)).not.toBe(SHA256_KEY_HEX)
    const token = encryptJwt(CLAIMS, key)
    expect(decryptJwt(token, key).payload).toEqual(CLAIMS)
    // The salt makes a precomputed table of SHA-256 (or scrypt) keys useless.
    const otherSalt = new Uint8Array(16).fill(8)
    expect(hex(new Uint8Array(scryptSync('password123', otherSalt, 32, params)))).not.toBe(hex(key))
  })

  test('HKDF splits one random master secret into independent signing and encryption keys', () => {
    const master = randomBytes(32)
    const salt = new Uint8Array(32)
    const signing = new Uint8Array(hkdfSync('sha256', master, salt, 'jwt signing', 32))
    const encryption = new Uint8Array(hkdfSync('sha256', master, salt, 'jwe encryption', 32))
    expect(hex(signing)).not.toBe(hex(encryption))
    const token = encryptJwt(CLAIMS, encryption)
    expect(decryptJwt(token, encryption).payload).toEqual(CLAIMS)
    expect(() => decryptJwt(token, signing)).toThrow(
      expect.objectContaining({ code: 'ERR_JWE_DECRYPTION_FAILED' }),
    )
  })
})

test('the docs page quotes exactly these values', () => {
  for (const value of [
    PADDED_KEY_HEX,
    OLD_PASSPHRASE,
    NEW_PASSPHRASE,
    TRUNCATED_KEY_HEX,
    SHA256_KEY_HEX,
    SHA256_TOKEN,
  ])
    expect(page).toContain(value)
  expect(page).toContain(`guess number ${GUESSES}`)
})
