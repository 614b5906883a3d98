/**
 * Pins what the blog post's flow (reference/article-flow.ts) does today: it does not
 * run at all with the post's own keys, and with keys of a valid size it runs but
 * checks neither issuer nor audience, replays freely, and is not a standard nested JWT.
 */

import fc from 'fast-check'
import {
  CompactEncrypt,
  decodeJwt,
  decodeProtectedHeader,
  EncryptJWT,
  errors,
  type JWTPayload,
  jwtDecrypt,
  jwtVerify,
  SignJWT,
} from 'jose'
import * as manual from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import { afterEach, describe, expect, test, vi } from 'vitest'
import {
  ARTICLE_KEYS,
  type ArticleKeys,
  decodeJWE,
  decodeJWEWith,
  ENC_SECRET,
  generateJWE,
  generateJWEWith,
  SIGN_SECRET,
} from '../reference/article-flow.ts'
import { codeOf } from './support/implementations.ts'

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

function randomKey(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length))
}

/** Keys of the sizes RFC 7518 asks for, so that the flow gets past jose's key check. */
function validKeys(): ArticleKeys {
  return { signingKey: randomKey(32), encryptionKey: randomKey(32) }
}

/** The rejection itself, for assertions on more than its code. */
async function rejection(action: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await action()
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('expected a rejection, but the call succeeded')
}

afterEach(() => {
  vi.useRealTimers()
})

describe("the post's flow with the post's keys", () => {
  test('the keys are 14 and 17 bytes: 136 bits where AES-256 needs 256', () => {
    expect(SIGN_SECRET.length).toBe(14)
    expect(ENC_SECRET.length).toBe(17)
    expect(ENC_SECRET.length * 8).toBe(136)
  })

  test('generateJWE rejects with ERR_JWE_INVALID: the content key is 136 bits, not 256', async () => {
    const error = await rejection(() => generateJWE({ sub: 'user-1', role: 'user' }))
    expect(error).toBeInstanceOf(errors.JWEInvalid)
    expect(error.code).toBe('ERR_JWE_INVALID')
    expect(error.message).toMatch(/Content Encryption Key length/)
    expect(error.message).toMatch(/Expected 256 bits, got 136 bits/)
  })

  test('decodeJWE fails the same way, whatever dir + A256GCM token it gets', async () => {
    const someToken = await new EncryptJWT({ token: 'x' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(randomKey(32))
    const error = await rejection(() => decodeJWE(someToken))
    expect(error.code).toBe('ERR_JWE_INVALID')
    expect(error.message).toMatch(/Expected 256 bits, got 136 bits/)
  })

  test('jose reports the size of any wrong encryption key in bits', async () => {
    // Length first, with the boundaries around 32 and the post's 17 listed explicitly.
    const wrongLength = fc.oneof(
      fc.constantFrom(0, 1, 16, 17, 24, 31, 33, 64),
      fc.integer({ min: 0, max: 96 }).filter((n) => n !== 32),
    )
    await fc.assert(
      fc.asyncProperty(wrongLength, async (length) => {
        const keys = { signingKey: randomKey(32), encryptionKey: randomKey(length) }
        const error = await rejection(() => generateJWEWith({ sub: 'u' }, keys))
        expect(error.code).toBe('ERR_JWE_INVALID')
        expect(error.message).toContain(`Expected 256 bits, got ${length * 8} bits`)
      }),
    )
  })

  test('the signing step alone succeeds: jose accepts a 14-byte HMAC key', async () => {
    const signed = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(SIGN_SECRET)
    const { payload } = await jwtVerify(signed, SIGN_SECRET)
    expect(payload.sub).toBe('user-1')
  })

  test('src refuses the 14-byte HMAC key with a TypeError (RFC 7518 §3.2: at least 32)', () => {
    expect(() => manual.signJwt({ sub: 'user-1' }, SIGN_SECRET)).toThrow(TypeError)
    expect(() => manual.signJwt({ sub: 'user-1' }, SIGN_SECRET)).toThrow(
      /at least 32 bytes.*has 14/,
    )
  })

  test("src's signThenEncrypt refuses the post's keys, each key on its own too", () => {
    expect(() => manual.signThenEncrypt({ sub: 'u' }, ARTICLE_KEYS)).toThrow(TypeError)
    const shortSigning = { signingKey: SIGN_SECRET, encryptionKey: randomKey(32) }
    expect(() => manual.signThenEncrypt({ sub: 'u' }, shortSigning)).toThrow(/has 14/)
    const shortEncryption = { signingKey: randomKey(32), encryptionKey: ENC_SECRET }
    expect(() => manual.signThenEncrypt({ sub: 'u' }, shortEncryption)).toThrow(/has 17/)
  })

  test("src's decryptThenVerify refuses the post's keys with a TypeError", () => {
    const keys = validKeys()
    const token = manual.signThenEncrypt({ sub: 'u' }, keys)
    expect(() => manual.decryptThenVerify(token, ARTICLE_KEYS)).toThrow(TypeError)
    expect(() => manual.decryptThenVerify(token, ARTICLE_KEYS)).toThrow(/17 bytes/)
    // A valid encryption key gets past the JWE; the 14-byte signing key is still refused.
    const shortSigning = { signingKey: SIGN_SECRET, encryptionKey: keys.encryptionKey }
    expect(() => manual.decryptThenVerify(token, shortSigning)).toThrow(TypeError)
    expect(() => manual.decryptThenVerify(token, shortSigning)).toThrow(/14 bytes/)
  })

  test('the jose adapter refuses the same keys with the same TypeErrors', async () => {
    await expect(reference.signThenEncrypt({ sub: 'u' }, ARTICLE_KEYS)).rejects.toThrow(TypeError)
    const token = manual.signThenEncrypt({ sub: 'u' }, validKeys())
    await expect(reference.decryptThenVerify(token, ARTICLE_KEYS)).rejects.toThrow(TypeError)
  })
})

describe("the post's flow with 32-byte keys", () => {
  test('it round-trips: the caller sees its claims plus a one-hour iat/exp', async () => {
    const keys = validKeys()
    const claims = await decodeJWEWith(
      await generateJWEWith({ sub: 'user-1', role: 'user' }, keys),
      keys,
    )
    expect(claims).toMatchObject({ sub: 'user-1', role: 'user' })
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600)
  })

  test('the JWE header has no cty: nothing announces a nested JWT', async () => {
    const jwe = await generateJWEWith({ sub: 'user-1' }, validKeys())
    expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'dir', enc: 'A256GCM' })
  })

  test('jwtDecrypt sees one claim, "token", holding the signed JWT; no exp of its own', async () => {
    const keys = validKeys()
    const jwe = await generateJWEWith({ sub: 'user-1' }, keys)
    const { payload } = await jwtDecrypt(jwe, keys.encryptionKey)
    expect(Object.keys(payload)).toEqual(['token'])
    expect(payload.token).toMatch(COMPACT_JWS)
    // The inner token is an ordinary JWS, valid on its own wherever this key is trusted.
    const inner = await jwtVerify(payload.token as string, keys.signingKey)
    expect(inner.payload.sub).toBe('user-1')
  })

  test('so a standard nested-JWT reader refuses it (no cty), and src/jose read it as bare claims', async () => {
    const keys = validKeys()
    const jwe = await generateJWEWith({ sub: 'user-1' }, keys)
    for (const impl of [manual, reference]) {
      expect(await codeOf(() => impl.decryptThenVerify(jwe, keys))).toBe('ERR_JWT_INVALID')
      const { payload } = await impl.decryptJwt(jwe, keys.encryptionKey)
      expect(Object.keys(payload)).toEqual(['token'])
    }
  })

  test('no audience check: a token meant for "billing" is accepted by "reports"', async () => {
    // Both services share the keys, as the post's single pair of secrets implies.
    const keys = validKeys()
    const forBilling = await generateJWEWith({ sub: 'user-1', aud: 'billing' }, keys)
    const seenByReports = await decodeJWEWith(forBilling, keys)
    expect(seenByReports.aud).toBe('billing')

    // jose has the check; the flow just never asks for it.
    const { payload } = await jwtDecrypt(forBilling, keys.encryptionKey)
    const error = await rejection(() =>
      jwtVerify(payload.token as string, keys.signingKey, { audience: 'reports' }),
    )
    expect(error).toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
      reason: 'check_failed',
    })
  })

  test('no issuer check either: any iss, or none, is accepted', async () => {
    const keys = validKeys()
    const claimsWithIss = await decodeJWEWith(
      await generateJWEWith({ sub: 'u', iss: 'https://someone-else.example' }, keys),
      keys,
    )
    expect(claimsWithIss.iss).toBe('https://someone-else.example')
    const claimsWithoutIss = await decodeJWEWith(await generateJWEWith({ sub: 'u' }, keys), keys)
    expect(Object.hasOwn(claimsWithoutIss, 'iss')).toBe(false)
  })

  test('expiry IS enforced: jwtVerify checks the inner exp (one hour), to the second', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const issuedAt = new Date('2030-01-01T00:00:00Z')
    vi.setSystemTime(issuedAt)
    const keys = validKeys()
    const jwe = await generateJWEWith({ sub: 'user-1' }, keys)

    vi.setSystemTime(issuedAt.getTime() + 3599_000)
    expect((await decodeJWEWith(jwe, keys)).sub).toBe('user-1')

    // RFC 7519 §4.1.4: exp equal to now has expired.
    vi.setSystemTime(issuedAt.getTime() + 3600_000)
    const error = await rejection(() => decodeJWEWith(jwe, keys))
    expect(error).toMatchObject({ code: 'ERR_JWT_EXPIRED', claim: 'exp' })
  })

  test('but exp is not required: an inner JWT without exp never expires', async () => {
    // generateJWE always sets exp, but decodeJWE never demands it: any other code path
    // holding the keys (a script, an older release) can mint an eternal token.
    const keys = validKeys()
    const eternal = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(keys.signingKey)
    const jwe = await new EncryptJWT({ token: eternal })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(keys.encryptionKey)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2099-12-31T23:59:59Z'))
    const claims = await decodeJWEWith(jwe, keys)
    expect(claims).toEqual({ sub: 'user-1' })
  })

  test('a stolen JWE replays: decoding it again succeeds, and nothing tells the two apart', async () => {
    const keys = validKeys()
    const jwe = await generateJWEWith({ sub: 'user-1', role: 'admin' }, keys)
    const first = await decodeJWEWith(jwe, keys)
    const replayed = await decodeJWEWith(jwe, keys)
    expect(replayed).toEqual(first)
    // No jti: there is no identifier a service could remember to refuse the replay.
    expect(Object.hasOwn(replayed, 'jti')).toBe(false)
  })

  test('dir is one symmetric key: whoever decrypts can re-wrap any inner token in a new JWE', async () => {
    const keys = validKeys()
    const original = await generateJWEWith({ sub: 'user-1', role: 'user' }, keys)

    // The holder of the encryption key opens the JWE and can read the inner claims
    // without the signing key: a JWS payload is only base64url.
    const { payload } = await jwtDecrypt(original, keys.encryptionKey)
    const inner = payload.token as string
    expect(decodeJwt(inner)).toMatchObject({ sub: 'user-1', role: 'user' })

    // ...and mints a brand-new JWE around it, which the flow accepts as genuine.
    const reminted = await new EncryptJWT({ token: inner })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(keys.encryptionKey)
    expect(reminted).not.toBe(original)
    expect(await decodeJWEWith(reminted, keys)).toEqual(await decodeJWEWith(original, keys))
  })

  test('no allowlists: the token picks A256KW, A128CBC-HS256 and HS512, and is accepted', async () => {
    const keys = validKeys()
    // jose signs HS512 with a 32-byte key (RFC 7518 §3.2 would want 64).
    const inner = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS512' })
      .setExpirationTime('1h')
      .sign(keys.signingKey)
    const jwe = await new EncryptJWT({ token: inner })
      .setProtectedHeader({ alg: 'A256KW', enc: 'A128CBC-HS256' })
      .encrypt(keys.encryptionKey)
    expect((await decodeJWEWith(jwe, keys)).sub).toBe('user-1')

    // A reader that pins its algorithms refuses the same token.
    expect(await codeOf(() => reference.decryptJwt(jwe, keys.encryptionKey))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  })

  test('a non-string "token" claim is refused by jose, not by the flow', async () => {
    const keys = validKeys()
    const jwe = await new EncryptJWT({ token: { not: 'a string' } } as JWTPayload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(keys.encryptionKey)
    expect(await codeOf(() => decodeJWEWith(jwe, keys))).toBe('ERR_JWS_INVALID')
  })

  test('the nested form it should have used: cty JWT and the JWS as plaintext', async () => {
    // For contrast: the same two keys, the standard shape, read by src.
    const keys = validKeys()
    const inner = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime('1h')
      .sign(keys.signingKey)
    const nested = await new CompactEncrypt(new TextEncoder().encode(inner))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
      .encrypt(keys.encryptionKey)
    expect(manual.decryptThenVerify(nested, keys).payload.sub).toBe('user-1')
  })
})
