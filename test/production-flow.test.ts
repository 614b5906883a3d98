/**
 * The corrected flow (reference/production-flow.ts): key loading refuses bad
 * configuration with typed errors; tokens are nested sign-then-encrypt JWTs bound to
 * an issuer, an audience and a short lifetime; every forgery or misuse is rejected
 * with jose's error codes; and src's decryptThenVerify reads the same tokens.
 */

import fc from 'fast-check'
import { base64url, CompactEncrypt, decodeProtectedHeader, type JWTPayload, SignJWT } from 'jose'
import * as manual from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { generateJWEWith } from '../reference/article-flow.ts'
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
import { BASE64URL_ALPHABET } from './support/forge.ts'
import { codeOf } from './support/implementations.ts'

const ISSUER = 'https://auth.example.com'
const AUDIENCE = 'https://api.example.com'
const NOW = new Date('2030-01-01T00:00:00.000Z')
const NOW_SECONDS = NOW.getTime() / 1000
const CHECKS = { issuer: ISSUER, audience: AUDIENCE, currentDate: NOW }

function encode(bytes: Uint8Array): string {
  return base64url.encode(bytes)
}

function randomKey(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length))
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

/** Rejection `code`, `claim` and `reason`, to compare in one assertion. */
async function rejection(action: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await action()
  } catch (error) {
    const { code, claim, reason } = error as Record<string, unknown>
    return claim === undefined ? { code } : { code, claim, reason }
  }
  throw new Error('expected a rejection, but the call succeeded')
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
    const { protectedHeader, outerHeader } = manual.decryptThenVerify(token, keys, CHECKS)
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
      const { payload } = manual.decryptThenVerify(token, keys, CHECKS)
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
      await rejection(() => readToken(token, keys, { ...CHECKS, issuer: `${ISSUER}/` })),
    ).toEqual({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss', reason: 'check_failed' })
  })

  test('wrong audience: a token for another service is refused on aud', async () => {
    const token = await issueToken({}, keys, {
      issuer: ISSUER,
      audience: 'https://billing.example.com',
      currentDate: NOW,
    })
    expect(await rejection(() => readToken(token, keys, CHECKS))).toEqual({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
      reason: 'check_failed',
    })
  })

  test('expiry: valid until exp plus 5 s of clock tolerance, then ERR_JWT_EXPIRED', async () => {
    const token = await issue()
    const at = (seconds: number) => ({ ...CHECKS, currentDate: secondsLater(seconds) })
    expect((await readToken(token, keys, at(904))).sub).toBe('user-1')
    expect(await rejection(() => readToken(token, keys, at(905)))).toEqual({
      code: 'ERR_JWT_EXPIRED',
      claim: 'exp',
      reason: 'check_failed',
    })
  })

  test('a token from the future is refused (iat beyond the tolerance)', async () => {
    const token = await issue()
    expect(
      await rejection(() => readToken(token, keys, { ...CHECKS, currentDate: secondsLater(-6) })),
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
      await rejection(() => readToken(token, keys, { ...CHECKS, currentDate: secondsLater(3606) })),
    ).toEqual({ code: 'ERR_JWT_EXPIRED', claim: 'iat', reason: 'check_failed' })
    expect(
      await rejection(() =>
        readToken(token, keys, { ...CHECKS, currentDate: secondsLater(700), maxTokenAge: '10m' }),
      ),
    ).toEqual({ code: 'ERR_JWT_EXPIRED', claim: 'iat', reason: 'check_failed' })
  })

  test('every registered claim is required: a token without jti is refused', async () => {
    const withoutJti = manual.signThenEncrypt({}, keys, {
      issuer: ISSUER,
      audience: AUDIENCE,
      issuedAt: '0s',
      expirationTime: '15m',
      currentDate: NOW,
    })
    expect(await rejection(() => readToken(withoutJti, keys, CHECKS))).toEqual({
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
    expect(await rejection(async () => readToken(await nest(untyped), keys, CHECKS))).toEqual({
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
    const { payload } = manual.decryptThenVerify(token, keys, options)
    expect(payload).toEqual(await readToken(token, keys, CHECKS))
    // And refuses them for the wrong audience, with the same code and claim.
    const error = (() => {
      try {
        manual.decryptThenVerify(token, keys, { ...options, audience: 'someone-else' })
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' })
  })

  test("readToken accepts src's signThenEncrypt tokens that carry every required claim", async () => {
    const token = manual.signThenEncrypt({ sub: 'user-1' }, keys, {
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
