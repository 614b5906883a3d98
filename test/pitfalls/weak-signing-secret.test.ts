/**
 * Pitfall 4: the blog post's weak signing secret.
 * Page: docs/pitfalls/weak-signing-secret.md (every value it quotes is asserted here).
 */

import { createHmac, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { jwtVerify, SignJWT } from 'jose'
import { signJwt, verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { reference } from '../support/implementations.ts'
import { ISSUED_AT, issueAccessToken, PASSPHRASE_KEY } from './weak-signing-secret.ts'

const page = readFileSync(
  new URL('../../docs/pitfalls/weak-signing-secret.md', import.meta.url),
  'utf8',
)

// #region word-list
/**
 * A small word list in the style of the rule-based lists that cracking tools use: a
 * few classics, then words, words with "123", and pairs of words joined by nothing,
 * "-" or "_". 199 candidates in a fixed order.
 */
function wordList(): string[] {
  const classics = ['changeme', 'letmein', 'password', 'qwerty', '123456', 'default', 's3cr3t']
  classics.push('shhhhh', 'supersecret', 'mysecretkey', 'your-256-bit-secret')
  const words = ['secret', 'jwt', 'token', 'signing', 'auth', 'key', 'app', 'api', 'admin', 'test']
  const candidates = [...classics, ...words]
  for (const word of words) candidates.push(`${word}123`)
  const paired = words.slice(0, 8)
  for (const separator of ['', '-', '_']) {
    for (const first of paired) {
      for (const second of paired) {
        if (first !== second) candidates.push(`${first}${separator}${second}`)
      }
    }
  }
  return candidates
}
// #endregion word-list

// #region brute-force
/** Tries each candidate as the HMAC key until one reproduces the token's signature. */
function crack(token: string, candidates: readonly string[]): { secret?: string; guesses: number } {
  const [header, payload, signature] = token.split('.')
  const signingInput = `${header}.${payload}`
  let guesses = 0
  for (const candidate of candidates) {
    guesses++
    const mac = createHmac('sha256', candidate).update(signingInput).digest('base64url')
    if (mac === signature) return { secret: candidate, guesses }
  }
  return { guesses }
}
// #endregion brute-force

const ALICE_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjkyMDB9.IeCeKIp0es2YE69bW1Xx2mVNtmuLX5Mi7DVmY0HQpTk'
const FORGED_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJhZG1pbiIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI5MjAwfQ.HM0boLKX3KHNBELX3YCM0cSwztS2sm0llZ8wNrqvUGE'
/** Where 'signing-secret' sits in the word list: the number of HMACs the attack costs. */
const GUESSES = 109
/** A minute after issue: both tokens are within their hour. */
const NOW = new Date((ISSUED_AT + 60) * 1000)

describe('the passphrase key falls to a word list', () => {
  test('the word list is small and does not start with the answer', () => {
    const list = wordList()
    expect(list).toHaveLength(199)
    expect(new Set(list).size).toBe(199)
    expect(list.indexOf('signing-secret')).toBe(GUESSES - 1)
  })

  test('the issued token is the one the page shows', async () => {
    expect(await issueAccessToken({ sub: 'alice', role: 'user' })).toBe(ALICE_TOKEN)
  })

  test('the attack: recover the key from one token, forge admin, jose accepts it', async () => {
    const { secret, guesses } = crack(ALICE_TOKEN, wordList())
    expect(secret).toBe('signing-secret')
    expect(guesses).toBe(GUESSES)

    const forged = await new SignJWT({ sub: 'alice', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(ISSUED_AT)
      .setExpirationTime(ISSUED_AT + 3600)
      .sign(new TextEncoder().encode(secret))
    expect(forged).toBe(FORGED_TOKEN)

    // The API's own check, raw jose with an explicit allowlist, is satisfied.
    const { payload } = await jwtVerify(forged, PASSPHRASE_KEY, {
      algorithms: ['HS256'],
      currentDate: NOW,
    })
    expect(payload.role).toBe('admin')
  })
})

describe('the key-strength check refuses the passphrase before any token exists', () => {
  test('src: signing and verifying with 14 bytes are programmer errors (TypeError)', () => {
    expect(() => signJwt({ sub: 'alice', role: 'user' }, PASSPHRASE_KEY)).toThrow(TypeError)
    expect(() => signJwt({ sub: 'alice' }, PASSPHRASE_KEY)).toThrow(
      'HS256 needs a key of at least 32 bytes (RFC 7518 §3.2); this one has 14',
    )
    expect(() => verifyJwt(FORGED_TOKEN, PASSPHRASE_KEY)).toThrow(TypeError)
    expect(() => verifyJwt(FORGED_TOKEN, PASSPHRASE_KEY)).toThrow(/RFC 7518 §3\.2/)
  })

  test('reference/ (jose configured safely) adds the same check in front of jose', async () => {
    await expect(
      (async () => reference.signJwt({ sub: 'alice' }, PASSPHRASE_KEY))(),
    ).rejects.toThrow(TypeError)
    await expect(
      (async () => reference.verifyJwt(FORGED_TOKEN, PASSPHRASE_KEY, { currentDate: NOW }))(),
    ).rejects.toThrow(TypeError)
  })

  test('raw jose has no such check: it signs and verifies with 14 bytes (docs/divergences.md)', async () => {
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(PASSPHRASE_KEY)
    const { payload } = await jwtVerify(token, PASSPHRASE_KEY, { algorithms: ['HS256'] })
    expect(payload.sub).toBe('alice')
  })

  test('src: the boundary is exactly 32 bytes, whatever the key length', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(fc.constantFrom(0, 1, 14, 31, 32, 33, 64), fc.integer({ min: 0, max: 80 }))
          .chain((length) => fc.uint8Array({ minLength: length, maxLength: length })),
        (key) => {
          let refused = false
          try {
            signJwt({ sub: 'alice' }, key)
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError)
            refused = true
          }
          expect(refused).toBe(key.length < 32)
        },
      ),
    )
  })

  test('32 random bytes: src signs and verifies, and the word list finds nothing', () => {
    const key = new Uint8Array(randomBytes(32))
    const token = signJwt({ sub: 'alice', role: 'user' }, key)
    expect(verifyJwt(token, key).payload.role).toBe('user')
    expect(crack(token, wordList())).toEqual({ guesses: 199 })
  })
})

test('the docs page quotes exactly these values', () => {
  expect(page).toContain(ALICE_TOKEN)
  expect(page).toContain(FORGED_TOKEN)
  expect(page).toContain(`guess number ${GUESSES}`)
})
