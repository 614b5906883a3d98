/**
 * The blog post's flows (docs/06-the-blog-post.md): what its flow
 * (reference/article-flow.ts) does today, the corrected flow
 * (reference/production-flow.ts), and the two claims its code never got as far as,
 * public-key JWE (reference/public-key-flow.ts) and key rotation
 * (reference/key-rotation.ts).
 */

import fc from 'fast-check'
import {
  base64url,
  CompactEncrypt,
  compactDecrypt,
  decodeJwt,
  decodeProtectedHeader,
  EncryptJWT,
  errors,
  type JWTPayload,
  jwtDecrypt,
  jwtVerify,
  SignJWT,
} from 'jose'
import * as src from 'jose-by-hand'
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
import {
  DEFAULT_OVERLAP_SECONDS,
  findKey,
  issueWithCurrentKeys,
  keySet,
  newKey,
  type RotatingKeys,
  readWithKeySets,
  rotate,
} from '../reference/key-rotation.ts'
import {
  ConfigError,
  type ConfigErrorCode,
  ENCRYPTION_KEY_VARIABLE,
  generateKeys,
  issueToken,
  KEY_COMMAND,
  loadKeys,
  MAX_TOKEN_LENGTH,
  type ProductionKeys,
  readToken,
  SIGNING_KEY_VARIABLE,
} from '../reference/production-flow.ts'
import {
  decryptForMe,
  decryptThenVerifyFrom,
  encryptFor,
  generateReceiverKeys,
  generateSenderKeys,
  signThenEncryptFor,
} from '../reference/public-key-flow.ts'
import { BASE64URL_ALPHABET } from './support/forge.ts'
import { codeOf, outcomeOf, rejectionOf } from './support/implementations.ts'

// What the post's flow (reference/article-flow.ts) does today: it does not run at all
// with the post's own keys, and with keys of a valid size it runs but checks neither
// issuer nor audience, replays freely, and is not a standard nested JWT.

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

function randomKey(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length))
}

/** Keys of the sizes RFC 7518 asks for, so that the flow gets past jose's key check. */
function validKeys(): ArticleKeys {
  return { signingKey: randomKey(32), encryptionKey: randomKey(32) }
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
    const error = await rejectionOf(() => generateJWE({ sub: 'user-1', role: 'user' }))
    expect(error).toBeInstanceOf(errors.JWEInvalid)
    expect(error.code).toBe('ERR_JWE_INVALID')
    expect(error.message).toMatch(/Content Encryption Key length/)
    expect(error.message).toMatch(/Expected 256 bits, got 136 bits/)
  })

  test('decodeJWE fails the same way, whatever dir + A256GCM token it gets', async () => {
    const someToken = await new EncryptJWT({ token: 'x' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(randomKey(32))
    const error = await rejectionOf(() => decodeJWE(someToken))
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
        const error = await rejectionOf(() => generateJWEWith({ sub: 'u' }, keys))
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
    expect(() => src.signJwt({ sub: 'user-1' }, SIGN_SECRET)).toThrow(TypeError)
    expect(() => src.signJwt({ sub: 'user-1' }, SIGN_SECRET)).toThrow(/at least 32 bytes.*has 14/)
  })

  test("src's signThenEncrypt refuses the post's keys, each key on its own too", () => {
    expect(() => src.signThenEncrypt({ sub: 'u' }, ARTICLE_KEYS)).toThrow(TypeError)
    const shortSigning = { signingKey: SIGN_SECRET, encryptionKey: randomKey(32) }
    expect(() => src.signThenEncrypt({ sub: 'u' }, shortSigning)).toThrow(/has 14/)
    const shortEncryption = { signingKey: randomKey(32), encryptionKey: ENC_SECRET }
    expect(() => src.signThenEncrypt({ sub: 'u' }, shortEncryption)).toThrow(/has 17/)
  })

  test("src's decryptThenVerify refuses the post's keys with a TypeError", () => {
    const keys = validKeys()
    const token = src.signThenEncrypt({ sub: 'u' }, keys)
    expect(() => src.decryptThenVerify(token, ARTICLE_KEYS)).toThrow(TypeError)
    expect(() => src.decryptThenVerify(token, ARTICLE_KEYS)).toThrow(/17 bytes/)
    // A valid encryption key gets past the JWE; the 14-byte signing key is still refused.
    const shortSigning = { signingKey: SIGN_SECRET, encryptionKey: keys.encryptionKey }
    expect(() => src.decryptThenVerify(token, shortSigning)).toThrow(TypeError)
    expect(() => src.decryptThenVerify(token, shortSigning)).toThrow(/14 bytes/)
  })

  test('the jose adapter refuses the same keys with the same TypeErrors', async () => {
    await expect(reference.signThenEncrypt({ sub: 'u' }, ARTICLE_KEYS)).rejects.toThrow(TypeError)
    const token = src.signThenEncrypt({ sub: 'u' }, validKeys())
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
    for (const impl of [src, reference]) {
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
    const error = await rejectionOf(() =>
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
    const error = await rejectionOf(() => decodeJWEWith(jwe, keys))
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
    expect(src.decryptThenVerify(nested, keys).payload.sub).toBe('user-1')
  })
})

// The corrected flow (reference/production-flow.ts): key loading refuses bad
// configuration with typed errors; tokens are nested sign-then-encrypt JWTs bound to
// an issuer, an audience and a short lifetime; every forgery or misuse is rejected
// with jose's error codes; and src's decryptThenVerify reads the same tokens.

const ISSUER = 'https://auth.example.com'
const AUDIENCE = 'https://api.example.com'
const NOW = new Date('2030-01-01T00:00:00.000Z')
const NOW_SECONDS = NOW.getTime() / 1000
const CHECKS = { issuer: ISSUER, audience: AUDIENCE, currentDate: NOW }

function encode(bytes: Uint8Array): string {
  return base64url.encode(bytes)
}

function secondsLater(seconds: number): Date {
  return new Date(NOW.getTime() + seconds * 1000)
}

/** The ConfigError `loadKeys` throws for `env`, or a failure if it accepts it. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadKeys(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected loadKeys to refuse this configuration')
}

function envWith(signing: string | undefined, encryption: string | undefined) {
  return { [SIGNING_KEY_VARIABLE]: signing, [ENCRYPTION_KEY_VARIABLE]: encryption }
}

const keys: ProductionKeys = loadKeys(generateKeys())

/** A token from `issueToken` at NOW for ISSUER → AUDIENCE. */
async function issue(claims: JWTPayload = { sub: 'user-1' }): Promise<string> {
  return issueToken(claims, keys, { issuer: ISSUER, audience: AUDIENCE, currentDate: NOW })
}

describe('loadKeys', () => {
  const good = generateKeys()

  test('loads two 32-byte keys from generateKeys() output', () => {
    const loaded = loadKeys(good)
    expect(loaded.signingKey).toHaveLength(32)
    expect(loaded.encryptionKey).toHaveLength(32)
    expect(encode(loaded.signingKey)).toBe(good.JOSE_SIGNING_KEY)
    expect(encode(loaded.encryptionKey)).toBe(good.JOSE_ENCRYPTION_KEY)
  })

  test('reads process.env by default', () => {
    const saved = { ...process.env }
    try {
      process.env[SIGNING_KEY_VARIABLE] = good.JOSE_SIGNING_KEY
      process.env[ENCRYPTION_KEY_VARIABLE] = good.JOSE_ENCRYPTION_KEY
      expect(encode(loadKeys().signingKey)).toBe(good.JOSE_SIGNING_KEY)
    } finally {
      process.env = saved
    }
  })

  const cases: [string, Record<string, string | undefined>, ConfigErrorCode, string][] = [
    ['nothing set', {}, 'ERR_CONFIG_MISSING_KEY', SIGNING_KEY_VARIABLE],
    [
      'an empty encryption key',
      envWith(good.JOSE_SIGNING_KEY, ''),
      'ERR_CONFIG_MISSING_KEY',
      ENCRYPTION_KEY_VARIABLE,
    ],
    [
      'padding',
      envWith(`${good.JOSE_SIGNING_KEY}=`, good.JOSE_ENCRYPTION_KEY),
      'ERR_CONFIG_BAD_KEY',
      SIGNING_KEY_VARIABLE,
    ],
    [
      'a trailing newline',
      envWith(`${good.JOSE_SIGNING_KEY}\n`, good.JOSE_ENCRYPTION_KEY),
      'ERR_CONFIG_BAD_KEY',
      SIGNING_KEY_VARIABLE,
    ],
    [
      'the base64 (not base64url) BASE64URL_ALPHABET',
      envWith(`+/${good.JOSE_SIGNING_KEY.slice(2)}`, good.JOSE_ENCRYPTION_KEY),
      'ERR_CONFIG_BAD_KEY',
      SIGNING_KEY_VARIABLE,
    ],
    [
      'a hex encryption key (64 characters decode to 48 bytes)',
      envWith(good.JOSE_SIGNING_KEY, Buffer.from(randomKey(32)).toString('hex')),
      'ERR_CONFIG_BAD_KEY',
      ENCRYPTION_KEY_VARIABLE,
    ],
    [
      'a passphrase',
      envWith('signing-secret', good.JOSE_ENCRYPTION_KEY),
      'ERR_CONFIG_BAD_KEY',
      SIGNING_KEY_VARIABLE,
    ],
    [
      '16 bytes',
      envWith(encode(randomKey(16)), good.JOSE_ENCRYPTION_KEY),
      'ERR_CONFIG_SHORT_KEY',
      SIGNING_KEY_VARIABLE,
    ],
    [
      '31 bytes for encryption',
      envWith(good.JOSE_SIGNING_KEY, encode(randomKey(31))),
      'ERR_CONFIG_SHORT_KEY',
      ENCRYPTION_KEY_VARIABLE,
    ],
    [
      '33 bytes for encryption (A256GCM needs exactly 32)',
      envWith(good.JOSE_SIGNING_KEY, encode(randomKey(33))),
      'ERR_CONFIG_BAD_KEY',
      ENCRYPTION_KEY_VARIABLE,
    ],
    [
      'the same key twice',
      envWith(good.JOSE_SIGNING_KEY, good.JOSE_SIGNING_KEY),
      'ERR_CONFIG_REUSED_KEY',
      ENCRYPTION_KEY_VARIABLE,
    ],
  ]
  test.each(cases)('refuses %s', (_name, env, code, variable) => {
    const error = configError(env)
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe(code)
    expect(error.variable).toBe(variable)
    expect(error.message).toContain(variable)
    // Every message says how to make a good key, and never repeats the bad one.
    expect(error.message).toContain(KEY_COMMAND)
    for (const value of Object.values(env)) {
      if (value !== undefined && value.length > 8) expect(error.message).not.toContain(value)
    }
  })

  test('a signing key longer than 32 bytes is fine (RFC 7518 §3.2 sets a minimum)', () => {
    const env = envWith(encode(randomKey(64)), good.JOSE_ENCRYPTION_KEY)
    expect(loadKeys(env).signingKey).toHaveLength(64)
  })

  test('every key length below 32 bytes is SHORT, 32 and up loads', () => {
    const length = fc.oneof(fc.constantFrom(1, 31, 32, 33, 64), fc.integer({ min: 1, max: 96 }))
    fc.assert(
      fc.property(length, (n) => {
        const env = envWith(encode(randomKey(n)), good.JOSE_ENCRYPTION_KEY)
        if (n < 32) expect(configError(env).code).toBe('ERR_CONFIG_SHORT_KEY')
        else expect(loadKeys(env).signingKey).toHaveLength(n)
      }),
    )
  })

  test('a key spelled with non-zero unused bits is BAD, not silently a different key', () => {
    // 32 bytes = 43 characters; the last one carries 2 unused bits (RFC 4648 §3.5).
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 3 }),
        (bytes, spare) => {
          const canonical = encode(bytes)
          const last = BASE64URL_ALPHABET.indexOf(canonical.at(-1) as string)
          const respelled = `${canonical.slice(0, -1)}${BASE64URL_ALPHABET[last | spare]}`
          const env = envWith(respelled, encode(randomKey(32)))
          expect(configError(env).code).toBe('ERR_CONFIG_BAD_KEY')
        },
      ),
    )
  })
})

describe('issueToken', () => {
  test('writes a nested JWT: outer dir + A256GCM with cty JWT, inner HS256 typ JWT', async () => {
    const token = await issue()
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
    const { protectedHeader, outerHeader } = src.decryptThenVerify(token, keys, CHECKS)
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(outerHeader.cty).toBe('JWT')
  })

  test('sets iss, aud, iat, a 15-minute exp, and a fresh random jti', async () => {
    const first = await readToken(await issue({ sub: 'user-1', role: 'user' }), keys, CHECKS)
    expect(first).toMatchObject({
      sub: 'user-1',
      role: 'user',
      iss: ISSUER,
      aud: AUDIENCE,
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 15 * 60,
    })
    expect(first.jti).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const second = await readToken(await issue(), keys, CHECKS)
    expect(second.jti).not.toBe(first.jti)
  })

  test("the caller's claims cannot override iss, aud, exp or jti", async () => {
    const sneaky = { iss: 'https://evil.example', aud: 'other', exp: 4e9, jti: 'fixed' }
    const claims = await readToken(await issue(sneaky), keys, CHECKS)
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, exp: NOW_SECONDS + 900 })
    expect(claims.jti).not.toBe('fixed')
  })

  test('lifetimes: seconds, s/m/h strings, at most one hour; anything else is a TypeError', async () => {
    const options = { issuer: ISSUER, audience: AUDIENCE, currentDate: NOW }
    for (const [lifetime, seconds] of [
      [60, 60],
      ['30s', 30],
      ['5m', 300],
      ['1h', 3600],
      ['3600s', 3600],
    ] as const) {
      const token = await issueToken({}, keys, { ...options, lifetime })
      const { payload } = src.decryptThenVerify(token, keys, CHECKS)
      expect((payload.exp as number) - (payload.iat as number)).toBe(seconds)
    }
    for (const lifetime of ['2h', '3601s', '1d', '15 minutes', '0s', -5, 0, 1.5, '']) {
      await expect(issueToken({}, keys, { ...options, lifetime })).rejects.toThrow(TypeError)
    }
  })
})

describe('readToken', () => {
  test('round trip', async () => {
    const claims = await readToken(await issue({ sub: 'user-1', role: 'admin' }), keys, CHECKS)
    expect(claims.sub).toBe('user-1')
    expect(claims.role).toBe('admin')
  })

  test('accepts an audience list containing this service', async () => {
    const token = await issueToken({}, keys, {
      issuer: ISSUER,
      audience: ['https://other.example.com', AUDIENCE],
      currentDate: NOW,
    })
    const claims = await readToken(token, keys, CHECKS)
    expect(claims.aud).toEqual(['https://other.example.com', AUDIENCE])
  })

  test('wrong issuer: ERR_JWT_CLAIM_VALIDATION_FAILED on iss', async () => {
    const token = await issue()
    expect(
      await outcomeOf(() => readToken(token, keys, { ...CHECKS, issuer: `${ISSUER}/` })),
    ).toEqual({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss', reason: 'check_failed' })
  })

  test('wrong audience: a token for another service is refused on aud', async () => {
    const token = await issueToken({}, keys, {
      issuer: ISSUER,
      audience: 'https://billing.example.com',
      currentDate: NOW,
    })
    expect(await outcomeOf(() => readToken(token, keys, CHECKS))).toEqual({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
      reason: 'check_failed',
    })
  })

  test('expiry: valid until exp plus 5 s of clock tolerance, then ERR_JWT_EXPIRED', async () => {
    const token = await issue()
    const at = (seconds: number) => ({ ...CHECKS, currentDate: secondsLater(seconds) })
    expect((await readToken(token, keys, at(904))).sub).toBe('user-1')
    expect(await outcomeOf(() => readToken(token, keys, at(905)))).toEqual({
      code: 'ERR_JWT_EXPIRED',
      claim: 'exp',
      reason: 'check_failed',
    })
  })

  test('a token from the future is refused (iat beyond the tolerance)', async () => {
    const token = await issue()
    expect(
      await outcomeOf(() => readToken(token, keys, { ...CHECKS, currentDate: secondsLater(-6) })),
    ).toEqual({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iat', reason: 'check_failed' })
  })

  test('maxTokenAge caps the age even when exp is far away', async () => {
    // Signed with the right keys by some other code with a one-day exp.
    const inner = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, jti: 'x' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(NOW_SECONDS)
      .setExpirationTime(NOW_SECONDS + 86_400)
      .sign(keys.signingKey)
    const token = await nest(inner)
    expect(
      await outcomeOf(() => readToken(token, keys, { ...CHECKS, currentDate: secondsLater(3606) })),
    ).toEqual({ code: 'ERR_JWT_EXPIRED', claim: 'iat', reason: 'check_failed' })
    expect(
      await outcomeOf(() =>
        readToken(token, keys, { ...CHECKS, currentDate: secondsLater(700), maxTokenAge: '10m' }),
      ),
    ).toEqual({ code: 'ERR_JWT_EXPIRED', claim: 'iat', reason: 'check_failed' })
  })

  test('every registered claim is required: a token without jti is refused', async () => {
    const withoutJti = src.signThenEncrypt({}, keys, {
      issuer: ISSUER,
      audience: AUDIENCE,
      issuedAt: '0s',
      expirationTime: '15m',
      currentDate: NOW,
    })
    expect(await outcomeOf(() => readToken(withoutJti, keys, CHECKS))).toEqual({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'jti',
      reason: 'missing',
    })
  })

  test('tampering with the IV, ciphertext or tag: ERR_JWE_DECRYPTION_FAILED', async () => {
    const token = await issue()
    const segments = token.split('.')
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(2, 3, 4),
        fc.nat(),
        fc.integer({ min: 1, max: 63 }),
        async (index, at, shift) => {
          const segment = segments[index] as string
          // Not the last character: it may carry unused bits, which jose's lenient
          // decoder ignores, so changing only those would change no byte.
          const position = at % (segment.length - 1)
          const old = BASE64URL_ALPHABET.indexOf(segment[position] as string)
          const changed = BASE64URL_ALPHABET[(old + shift) % 64] as string
          const copy = [...segments]
          copy[index] = segment.slice(0, position) + changed + segment.slice(position + 1)
          expect(await codeOf(() => readToken(copy.join('.'), keys, CHECKS))).toBe(
            'ERR_JWE_DECRYPTION_FAILED',
          )
        },
      ),
    )
  })

  test('swapped keys are refused', async () => {
    const swapped = { signingKey: keys.encryptionKey, encryptionKey: keys.signingKey }
    const token = await issue()
    expect(await codeOf(() => readToken(token, swapped, CHECKS))).toBe('ERR_JWE_DECRYPTION_FAILED')
    const issuedSwapped = await issueToken({}, swapped, {
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: NOW,
    })
    expect(await codeOf(() => readToken(issuedSwapped, keys, CHECKS))).toBe(
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })

  test('the right encryption key cannot forge a signature: wrong signing key is refused', async () => {
    // Whoever holds only the encryption key can wrap claims, but cannot sign them.
    const otherSigner = { signingKey: randomKey(32), encryptionKey: keys.encryptionKey }
    const forged = await issueToken({ role: 'admin' }, otherSigner, {
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: NOW,
    })
    expect(await codeOf(() => readToken(forged, keys, CHECKS))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
  })

  test("a token from the post's flow (even with these 32-byte keys) is refused: no cty", async () => {
    const articleToken = await generateJWEWith({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE }, keys)
    expect(
      await codeOf(() => readToken(articleToken, keys, { issuer: ISSUER, audience: AUDIENCE })),
    ).toBe('ERR_JWT_INVALID')
  })

  test('the algorithms are pinned: HS512 inside or A128GCM outside are refused', async () => {
    const hs512 = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, jti: 'x' })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .setIssuedAt(NOW_SECONDS)
      .setExpirationTime(NOW_SECONDS + 60)
      .sign(keys.signingKey)
    expect(await codeOf(async () => readToken(await nest(hs512), keys, CHECKS))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
    const a128 = await new CompactEncrypt(new TextEncoder().encode('x'))
      .setProtectedHeader({ alg: 'dir', enc: 'A128GCM', cty: 'JWT' })
      .encrypt(randomKey(16))
    expect(await codeOf(() => readToken(a128, keys, CHECKS))).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
  })

  test('an inner token without typ JWT is refused', async () => {
    const untyped = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, jti: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(NOW_SECONDS)
      .setExpirationTime(NOW_SECONDS + 60)
      .sign(keys.signingKey)
    expect(await outcomeOf(async () => readToken(await nest(untyped), keys, CHECKS))).toEqual({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'typ',
      reason: 'check_failed',
    })
  })

  test('tokens longer than MAX_TOKEN_LENGTH are refused before decoding', async () => {
    const token = await issue({ padding: 'x'.repeat(MAX_TOKEN_LENGTH) })
    expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH)
    expect(await codeOf(() => readToken(token, keys, CHECKS))).toBe('ERR_JWE_INVALID')
    expect(await codeOf(() => readToken('x'.repeat(MAX_TOKEN_LENGTH + 1), keys, CHECKS))).toBe(
      'ERR_JWE_INVALID',
    )
  })

  test('a compressed JWE (zip), even authentic, is refused', async () => {
    // jose decrypts first and looks at zip afterwards, so the token must be genuine
    // to reach the check: maxDecompressedLength 0 then refuses to inflate it.
    const zipped = await new CompactEncrypt(new TextEncoder().encode('x'.repeat(1000)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT', zip: 'DEF' })
      .encrypt(keys.encryptionKey)
    expect(await codeOf(() => readToken(zipped, keys, CHECKS))).toBe('ERR_JOSE_NOT_SUPPORTED')
  })
})

describe('interop with src', () => {
  test("src's decryptThenVerify accepts production tokens with the same checks", async () => {
    const token = await issue({ sub: 'user-1', role: 'admin' })
    const options = {
      ...CHECKS,
      typ: 'JWT',
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
      maxTokenAge: '1h',
      clockTolerance: 5,
    }
    const { payload } = src.decryptThenVerify(token, keys, options)
    expect(payload).toEqual(await readToken(token, keys, CHECKS))
    // And refuses them for the wrong audience, with the same code and claim.
    const error = (() => {
      try {
        src.decryptThenVerify(token, keys, { ...options, audience: 'someone-else' })
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' })
  })

  test("readToken accepts src's signThenEncrypt tokens that carry every required claim", async () => {
    const token = src.signThenEncrypt({ sub: 'user-1' }, keys, {
      issuer: ISSUER,
      audience: AUDIENCE,
      jwtId: 'id-1',
      issuedAt: '0s',
      expirationTime: '15m',
      currentDate: NOW,
    })
    expect(await readToken(token, keys, CHECKS)).toMatchObject({ sub: 'user-1', jti: 'id-1' })
  })
})

/** Wraps an inner JWS the way issueToken does, for tokens built by hand above. */
async function nest(inner: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(inner))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
    .encrypt(keys.encryptionKey)
}

// The blog post, finished: two claims that its code never got as far as.
//
// - "Encrypted with your private key; only the receiver can decrypt": with public-key
// JWE (reference/public-key-flow.ts) only the receiver decrypts, but anyone can
// encrypt, so a decrypted token says nothing about its sender until it is signed.
// - "One strong key for the whole lifetime": keys rotate (reference/key-rotation.ts),
// old tokens verify during an overlap, and fail with jose's codes after it.

const SERVICE = { issuer: 'https://auth.example', audience: 'https://api.example' }

describe('public-key JWE: only the receiver decrypts, anyone encrypts', () => {
  test('whoever holds the public key can encrypt; only the private key decrypts', async () => {
    const receiver = await generateReceiverKeys()
    const eavesdropper = await generateReceiverKeys()
    const token = await encryptFor({ sub: 'alice' }, receiver.publicKey, SERVICE)

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' })
    expect((await decryptForMe(token, receiver.privateKey, SERVICE)).sub).toBe('alice')
    // Any other private key, the encrypting party's own included, derives another key
    // encryption key (RFC 7518 §4.6.2), and the content key does not unwrap.
    await expect(decryptForMe(token, eavesdropper.privateKey, SERVICE)).rejects.toMatchObject({
      code: 'ERR_JWE_DECRYPTION_FAILED',
    })
  })

  test("an outsider's forged but well-encrypted token decrypts fine", async () => {
    const receiver = await generateReceiverKeys()
    // The outsider has what every sender has: the receiver's public key. They write the
    // claims they like, the issuer's name included, and encrypt them properly.
    const forged = await encryptFor({ sub: 'mallory', role: 'admin' }, receiver.publicKey, SERVICE)

    const claims = await decryptForMe(forged, receiver.privateKey, SERVICE)
    expect(claims).toMatchObject({ sub: 'mallory', role: 'admin', iss: 'https://auth.example' })
  })

  test('sign, then encrypt: the same outsider is refused, the real sender is not', async () => {
    const receiver = await generateReceiverKeys()
    const sender = await generateSenderKeys()
    const outsider = await generateSenderKeys()
    const read = (token: string) =>
      decryptThenVerifyFrom(token, receiver.privateKey, sender.publicKey, SERVICE)

    const genuine = await signThenEncryptFor(
      { sub: 'alice' },
      sender.privateKey,
      receiver.publicKey,
      SERVICE,
    )
    expect(decodeProtectedHeader(genuine)).toEqual({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      cty: 'JWT',
      epk: expect.objectContaining({ kty: 'EC', crv: 'P-256' }),
    })
    expect((await read(genuine)).sub).toBe('alice')

    // Signed with the outsider's own key, encrypted properly: the signature gives it away.
    const signedByOutsider = await signThenEncryptFor(
      { sub: 'mallory', role: 'admin' },
      outsider.privateKey,
      receiver.publicKey,
      SERVICE,
    )
    await expect(read(signedByOutsider)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    // Not signed at all: no cty "JWT", so there is no signature to check.
    const unsigned = await encryptFor({ sub: 'mallory' }, receiver.publicKey, SERVICE)
    await expect(read(unsigned)).rejects.toMatchObject({ code: 'ERR_JWT_INVALID' })
  })

  test('the reader picks the algorithms: ECDH-ES without key wrapping is refused', async () => {
    const receiver = await generateReceiverKeys()
    const direct = await new EncryptJWT({
      sub: 'alice',
      ...{ iss: SERVICE.issuer, aud: SERVICE.audience },
    })
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime('15m')
      .encrypt(receiver.publicKey)
    await expect(decryptForMe(direct, receiver.privateKey, SERVICE)).rejects.toMatchObject({
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
    })
  })
})

describe('key rotation with kid on both layers', () => {
  const T0 = new Date('2026-03-01T09:00:00Z')
  const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000)
  const keys = (): RotatingKeys => ({
    signing: keySet(newKey('sig-2026-03')),
    encryption: keySet(newKey('enc-2026-03')),
  })
  const rotateBoth = (old: RotatingKeys, when: Date): RotatingKeys => ({
    signing: rotate(old.signing, newKey('sig-2026-04'), when),
    encryption: rotate(old.encryption, newKey('enc-2026-04'), when),
  })

  test('each header names its key: the JWE the encryption key, the JWS inside the signing key', async () => {
    const ring = keys()
    const token = await issueWithCurrentKeys({ sub: 'alice' }, ring, {
      ...SERVICE,
      currentDate: T0,
    })
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
      cty: 'JWT',
      kid: 'enc-2026-03',
    })
    const { plaintext } = await compactDecrypt(token, ring.encryption.current.key)
    expect(decodeProtectedHeader(new TextDecoder().decode(plaintext))).toEqual({
      alg: 'HS256',
      typ: 'JWT',
      kid: 'sig-2026-03',
    })
  })

  test('during the overlap old tokens verify; new tokens use the new keys', async () => {
    const before = keys()
    const old = await issueWithCurrentKeys({ sub: 'alice' }, before, {
      ...SERVICE,
      lifetimeSeconds: 3600,
      currentDate: T0,
    })
    const after = rotateBoth(before, at(5))
    const fresh = await issueWithCurrentKeys({ sub: 'bob' }, after, {
      ...SERVICE,
      currentDate: at(6),
    })

    expect(decodeProtectedHeader(fresh).kid).toBe('enc-2026-04')
    for (const minutes of [6, 30, 59]) {
      const read = { ...SERVICE, currentDate: at(minutes) }
      expect((await readWithKeySets(old, after, read)).sub).toBe('alice')
    }
    expect((await readWithKeySets(fresh, after, { ...SERVICE, currentDate: at(6) })).sub).toBe(
      'bob',
    )
    // The old set knows nothing of the new keys.
    await expect(
      readWithKeySets(fresh, before, { ...SERVICE, currentDate: at(6) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  test('after the overlap an old token fails, whatever its exp says', async () => {
    const before = keys()
    const old = await issueWithCurrentKeys({ sub: 'alice' }, before, {
      ...SERVICE,
      lifetimeSeconds: 3600,
      currentDate: T0,
    })
    const after = rotateBoth(before, at(5))
    // A ten-minute overlap, shorter than the token's hour: the token dies with its key,
    // 45 minutes before its exp. (Which is why the default overlap is the longest lifetime.)
    const short = { ...SERVICE, overlapSeconds: 600 }
    const lastMoment = new Date(at(15).getTime() - 1)
    expect((await readWithKeySets(old, after, { ...short, currentDate: lastMoment })).sub).toBe(
      'alice',
    )
    await expect(
      readWithKeySets(old, after, { ...short, currentDate: at(15) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    // With the default overlap the key outlives the token: its exp refuses it first.
    expect(DEFAULT_OVERLAP_SECONDS).toBe(3600)
    await expect(
      readWithKeySets(old, after, { ...SERVICE, currentDate: at(60) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    })
    await expect(
      readWithKeySets(old, after, { ...SERVICE, currentDate: at(65) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  test('the layers rotate on their own: a retired signing key inside a current encryption key', async () => {
    const before = keys()
    const old = await issueWithCurrentKeys({ sub: 'alice' }, before, {
      ...SERVICE,
      currentDate: T0,
    })
    const after: RotatingKeys = {
      signing: rotate(before.signing, newKey('sig-2026-04'), at(1)),
      encryption: before.encryption,
    }
    const short = { ...SERVICE, overlapSeconds: 300 }
    expect((await readWithKeySets(old, after, { ...short, currentDate: at(5) })).sub).toBe('alice')
    // The JWE still decrypts (its key is current); the JWS inside names a key that is gone.
    const rejection = readWithKeySets(old, after, { ...short, currentDate: at(6) })
    await expect(rejection).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
    await expect(rejection).rejects.toThrow('no key named "sig-2026-03" is accepted now')
  })

  test('a kid is a name to look up, nothing more', async () => {
    const ring = keys()
    for (const kid of [
      undefined,
      '',
      'sig-2026-02',
      '__proto__',
      'constructor',
      '../../etc/passwd',
      7,
    ]) {
      expect(() => findKey(ring.signing, kid, T0, 3600), String(kid)).toThrow(
        expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
      )
    }
    // A current name on a token made with another key: the name finds the key, the tag says no.
    const stranger = newKey('enc-2026-03')
    const signed = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'sig-2026-03' })
      .sign(ring.signing.current.key)
    const forged = await new CompactEncrypt(new TextEncoder().encode(signed))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT', kid: stranger.kid })
      .encrypt(stranger.key)
    await expect(
      readWithKeySets(forged, ring, { ...SERVICE, currentDate: T0 }),
    ).rejects.toMatchObject({
      code: 'ERR_JWE_DECRYPTION_FAILED',
    })
  })

  test('a key name is never reused', () => {
    const ring = keys()
    const next = rotate(ring.signing, newKey('sig-2026-04'), T0)
    expect(() => rotate(next, newKey('sig-2026-03'), at(1))).toThrow(
      new TypeError('kid "sig-2026-03" is already in the set; names are never reused'),
    )
  })
})
