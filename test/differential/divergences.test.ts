/**
 * The divergence ledger, pinned: one test per row of docs/divergences.md asserting that
 * the divergence STILL EXISTS. Raw jose (no adapter, default or stated options) does X,
 * src does Y with code Z. When a jose release changes its behaviour, the row's test fails
 * loudly: update the ledger (and test/support/ledger.ts) rather than the assertion alone.
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import {
  CompactEncrypt,
  CompactSign,
  compactDecrypt,
  compactVerify,
  type JWTPayload,
  jwtDecrypt,
  jwtVerify,
  SignJWT,
} from 'jose'
import * as src from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import { describe, expect, test } from 'vitest'
import { type HostileJsonKind, hostileJsonText, wronglyTypedClaim } from '../support/arbitraries.ts'
import {
  b64u,
  forgeJwe,
  forgeJws,
  isCanonicalSegment,
  padded,
  withSpareBits,
} from '../support/forge.ts'
import { codeOf } from '../support/implementations.ts'
import { LEDGER } from '../support/ledger.ts'

const KEY = new Uint8Array(32).fill(0x2a)
const IV = new Uint8Array(12).fill(0x07)
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
const JWS_HEADER = b64u('{"alg":"HS256"}')
const JWE_HEADER = b64u('{"alg":"dir","enc":"A256GCM"}')
const BOM = '\ufeff'

/** A JWS whose payload is `payload`, forged so the MAC covers exactly these segments. */
function jws(headerJson: string, payload: string): string {
  return forgeJws(b64u(headerJson), b64u(payload), KEY)
}

/** Replaces segment `index` of `token` with `replace(segment)`. */
function respell(token: string, index: number, replace: (segment: string) => string): string {
  const segments = token.split('.')
  segments[index] = replace(segments[index] as string)
  return segments.join('.')
}

function spare(segment: string): string {
  const respelled = withSpareBits(segment)
  if (respelled === undefined) throw new Error(`${segment} has no unused bits`)
  return respelled
}

function whitespace(segment: string): string {
  return `${segment.slice(0, 4)} \n${segment.slice(4)}`
}

describe('the ledger and docs/divergences.md list the same rows', () => {
  const doc = readFileSync(new URL('../../docs/divergences.md', import.meta.url), 'utf8')
  const documented = [...doc.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((match) => match[1])
  test('every ledger row has a section, and every section a ledger row', () => {
    expect(documented.sort()).toEqual(LEDGER.map((row) => row.id).sort())
  })
})

describe('lenient-base64url: padding, whitespace, spare bits in signature, IV, ciphertext, tag', () => {
  const token = jws('{"alg":"HS256"}', 'hello')
  // 32 MAC bytes are 43 characters: one '=' is due, and two bits are unused.
  test.each([
    ['padding', padded],
    ['whitespace', whitespace],
    ['non-zero spare bits', spare],
  ])('JWS signature with %s: jose verifies it, src says ERR_JWS_INVALID', async (_, how) => {
    const respelled = respell(token, 2, how)
    expect(respelled).not.toBe(token)
    const verified = await compactVerify(respelled, KEY, { algorithms: ['HS256'] })
    expect(text(verified.payload)).toBe('hello')
    expect(await codeOf(() => src.verifyCompact(respelled, KEY))).toBe('ERR_JWS_INVALID')
  })

  // One plaintext byte: a 2-character ciphertext segment (padding due, 4 unused bits);
  // the 16-byte tag is 22 characters (padding due, 4 unused bits); the 12-byte IV is
  // 16 characters and can only take whitespace.
  const jwe = forgeJwe(JWE_HEADER, 'x', KEY, IV)
  test.each([
    ['IV', 2, 'whitespace', whitespace],
    ['ciphertext', 3, 'padding', padded],
    ['ciphertext', 3, 'whitespace', whitespace],
    ['ciphertext', 3, 'non-zero spare bits', spare],
    ['tag', 4, 'padding', padded],
    ['tag', 4, 'whitespace', whitespace],
    ['tag', 4, 'non-zero spare bits', spare],
  ] as const)(
    'JWE %s with %s: jose decrypts it, src says ERR_JWE_INVALID',
    async (_, index, __, how) => {
      const respelled = respell(jwe, index, how)
      expect(respelled).not.toBe(jwe)
      const decrypted = await compactDecrypt(respelled, KEY, {
        contentEncryptionAlgorithms: ['A256GCM'],
      })
      expect(text(decrypted.plaintext)).toBe('x')
      expect(await codeOf(() => src.decryptCompact(respelled, KEY))).toBe('ERR_JWE_INVALID')
    },
  )
})

describe('respelled-header: a re-spelled protected header', () => {
  test('JWS: jose fails the MAC (ERR_JWS_SIGNATURE_VERIFICATION_FAILED), src says ERR_JWS_INVALID', async () => {
    const header = b64u('{"alg":"HS256","kid":"a"}')
    expect(padded(header)).not.toBe(header)
    const token = respell(forgeJws(header, b64u('hello'), KEY), 0, padded)
    await expect(compactVerify(token, KEY, { algorithms: ['HS256'] })).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    expect(await codeOf(() => src.verifyCompact(token, KEY))).toBe('ERR_JWS_INVALID')
  })
  test('JWE: jose fails the tag (ERR_JWE_DECRYPTION_FAILED), src says ERR_JWE_INVALID', async () => {
    // This header's segment is 54 characters: its last character has 4 unused bits.
    const token = respell(
      forgeJwe(b64u('{"alg":"dir","enc":"A256GCM","kid":"ab"}'), 'x', KEY),
      0,
      spare,
    )
    await expect(
      compactDecrypt(token, KEY, { contentEncryptionAlgorithms: ['A256GCM'] }),
    ).rejects.toMatchObject({
      code: 'ERR_JWE_DECRYPTION_FAILED',
    })
    expect(await codeOf(() => src.decryptCompact(token, KEY))).toBe('ERR_JWE_INVALID')
  })
})

describe('non-canonical-payload: a re-spelled JWS payload under a valid MAC', () => {
  test.each([
    ['padding', padded],
    ['non-zero spare bits', spare],
  ])(
    'payload with %s: jose verifies it, src says ERR_JWS_INVALID after the MAC',
    async (_, how) => {
      const payload = how(b64u('hello'))
      expect(isCanonicalSegment(payload)).toBe(false)
      const token = forgeJws(JWS_HEADER, payload, KEY)
      const verified = await compactVerify(token, KEY, { algorithms: ['HS256'] })
      expect(text(verified.payload)).toBe('hello')
      expect(await codeOf(() => src.verifyCompact(token, KEY))).toBe('ERR_JWS_INVALID')
    },
  )
})

describe('bom, duplicate-names, lone-surrogates, json-depth: hostile JSON that JSON.parse reads', () => {
  const cases: [HostileJsonKind, string][] = [
    ['bom', 'bom'],
    ['duplicate-names', 'duplicate-names'],
    ['lone-surrogate', 'lone-surrogates'],
    ['depth', 'json-depth'],
  ]
  for (const [kind, row] of cases) {
    test(`${row}: JWS header — jose verifies, src says ERR_JWS_INVALID (generated)`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileJsonText(kind, { alg: 'HS256' }), async (headerJson) => {
          const token = forgeJws(b64u(headerJson), b64u('hello'), KEY)
          const verified = await compactVerify(token, KEY, { algorithms: ['HS256'] })
          expect(text(verified.payload)).toBe('hello')
          expect(await codeOf(() => src.verifyCompact(token, KEY))).toBe('ERR_JWS_INVALID')
        }),
      )
    })
    test(`${row}: JWE header — jose decrypts, src says ERR_JWE_INVALID (generated)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileJsonText(kind, { alg: 'dir', enc: 'A256GCM' }),
          async (headerJson) => {
            const token = forgeJwe(b64u(headerJson), 'x', KEY)
            const decrypted = await compactDecrypt(token, KEY, {
              contentEncryptionAlgorithms: ['A256GCM'],
            })
            expect(text(decrypted.plaintext)).toBe('x')
            expect(await codeOf(() => src.decryptCompact(token, KEY))).toBe('ERR_JWE_INVALID')
          },
        ),
      )
    })
    test(`${row}: JWT claims — jose jwtVerify accepts, src says ERR_JWT_INVALID (generated)`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileJsonText(kind, { sub: 'alice' }), async (claimsJson) => {
          const token = forgeJws(JWS_HEADER, b64u(claimsJson), KEY)
          const verified = await jwtVerify(token, KEY, { algorithms: ['HS256'] })
          expect(typeof verified.payload).toBe('object')
          expect(await codeOf(() => src.verifyJwt(token, KEY))).toBe('ERR_JWT_INVALID')
        }),
      )
    })
  }

  test('bom: the claims jose returns are those after the BOM', async () => {
    const token = jws('{"alg":"HS256"}', `${BOM}{"sub":"alice"}`)
    expect((await jwtVerify(token, KEY)).payload).toEqual({ sub: 'alice' })
  })
  test('duplicate-names: jose keeps the last "alg" and the last "sub"', async () => {
    const token = jws('{"alg":"none","alg":"HS256"}', '{"sub":"alice","sub":"admin"}')
    const verified = await jwtVerify(token, KEY, { algorithms: ['HS256'] })
    expect(verified.protectedHeader.alg).toBe('HS256')
    expect(verified.payload.sub).toBe('admin')
    expect(await codeOf(() => src.verifyJwt(token, KEY))).toBe('ERR_JWS_INVALID')
  })
  test('lone-surrogates: jose hands back a "sub" that is not well-formed Unicode', async () => {
    const token = jws('{"alg":"HS256"}', '{"sub":"\\udc00admin"}')
    const { payload } = await jwtVerify(token, KEY, { algorithms: ['HS256'] })
    expect((payload.sub as string).isWellFormed()).toBe(false)
    expect(await codeOf(() => src.verifyJwt(token, KEY))).toBe('ERR_JWT_INVALID')
  })
})

describe('non-finite-numeric-date: exp 1e400', () => {
  test('jose reads Infinity and accepts the token at any date: src: claim exp, reason invalid', async () => {
    const token = jws('{"alg":"HS256"}', '{"sub":"alice","exp":1e400}')
    const farFuture = new Date(8.64e15)
    const { payload } = await jwtVerify(token, KEY, {
      algorithms: ['HS256'],
      currentDate: farFuture,
    })
    expect(payload.exp).toBe(Number.POSITIVE_INFINITY)
    await expect((async () => src.verifyJwt(token, KEY))()).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'exp',
      reason: 'invalid',
    })
  })
})

describe('registered-claim-types: registered claims of the wrong type', () => {
  test('jose accepts a numeric "sub" and a non-string audience; src: reason invalid', async () => {
    for (const [claims, claim] of [
      ['{"sub":5}', 'sub'],
      ['{"iss":{"x":1}}', 'iss'],
      ['{"jti":true}', 'jti'],
      ['{"aud":[1,"api"]}', 'aud'],
    ] as const) {
      const token = jws('{"alg":"HS256"}', claims)
      expect((await jwtVerify(token, KEY, { algorithms: ['HS256'] })).payload).toEqual(
        JSON.parse(claims),
      )
      await expect((async () => src.verifyJwt(token, KEY))()).rejects.toMatchObject({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim,
        reason: 'invalid',
      })
    }
  })
  test('ordering: jose reports the failed issuer check first; src reports the wrongly typed exp', async () => {
    const token = jws('{"alg":"HS256"}', '{"iss":"x","exp":"1"}')
    await expect(
      jwtVerify(token, KEY, { algorithms: ['HS256'], issuer: 'y' }),
    ).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'iss',
      reason: 'check_failed',
    })
    await expect((async () => src.verifyJwt(token, KEY, { issuer: 'y' }))()).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'exp',
      reason: 'invalid',
    })
  })
  test('generated: src always says reason invalid, naming one of the wrongly typed claims', async () => {
    await fc.assert(
      fc.asyncProperty(wronglyTypedClaim(), async ({ name, json }) => {
        const token = forgeJws(
          JWS_HEADER,
          b64u(`{"scope":"read",${JSON.stringify(name)}:${json}}`),
          KEY,
        )
        await expect((async () => src.verifyJwt(token, KEY))()).rejects.toMatchObject({
          code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
          claim: name,
          reason: 'invalid',
        })
      }),
    )
  })
})

describe('short-hmac-key: a 1-byte HMAC key', () => {
  test('raw jose signs and verifies with it; src throws a TypeError on both sides', async () => {
    const key = new Uint8Array([1])
    const token = await new CompactSign(new TextEncoder().encode('hello'))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key)
    expect(text((await compactVerify(token, key)).payload)).toBe('hello')
    expect(() => src.signCompact('hello', key)).toThrow(TypeError)
    expect(() => src.verifyCompact(token, key)).toThrow(TypeError)
  })
})

describe('key-short-for-token-alg: a token naming HS512, MAC’d with a 32-byte key', () => {
  test('jose verifies it under algorithms [HS256, HS512]; src says ERR_JWS_INVALID', async () => {
    const token = forgeJws(b64u('{"alg":"HS512"}'), b64u('hello'), KEY, 'HS512')
    const algorithms = ['HS256', 'HS512']
    expect(text((await compactVerify(token, KEY, { algorithms })).payload)).toBe('hello')
    expect(await codeOf(() => src.verifyCompact(token, KEY, { algorithms }))).toBe(
      'ERR_JWS_INVALID',
    )
  })
})

describe('default-algorithms: no algorithms option', () => {
  test('raw jose accepts an HS384 token by default; src allows only HS256 by default', async () => {
    const key = new Uint8Array(48).fill(3)
    const token = forgeJws(b64u('{"alg":"HS384"}'), b64u('hello'), key, 'HS384')
    expect(text((await compactVerify(token, key)).payload)).toBe('hello')
    expect(await codeOf(() => src.verifyCompact(token, key))).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
  })
})

describe('wrong-size-content-key: a 16-byte key for an A256GCM token', () => {
  test('jose rejects each token (ERR_JWE_INVALID); src refuses the key itself with a TypeError', async () => {
    const token = forgeJwe(JWE_HEADER, 'x', KEY)
    const short = new Uint8Array(16)
    await expect(compactDecrypt(token, short)).rejects.toMatchObject({ code: 'ERR_JWE_INVALID' })
    expect(() => src.decryptCompact(token, short)).toThrow(TypeError)
  })
})

describe('zip-def: a compressed JWE', () => {
  test('raw jose inflates it; src says ERR_JOSE_NOT_SUPPORTED', async () => {
    const token = await new CompactEncrypt(new TextEncoder().encode('a'.repeat(10_000)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' })
      .encrypt(KEY)
    // 10,000 bytes of plaintext travel in a token of a few dozen characters.
    expect(token.length).toBeLessThan(200)
    expect((await compactDecrypt(token, KEY)).plaintext.length).toBe(10_000)
    expect(await codeOf(() => src.decryptCompact(token, KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
  })
})

describe('token-length: tokens longer than 65,536 characters', () => {
  test('raw jose verifies a 100,000-character JWS; src says ERR_JWS_INVALID', async () => {
    const token = jws('{"alg":"HS256"}', 'a'.repeat(75_000))
    expect(token.length).toBeGreaterThan(100_000)
    expect((await compactVerify(token, KEY)).payload.length).toBe(75_000)
    expect(await codeOf(() => src.verifyCompact(token, KEY))).toBe('ERR_JWS_INVALID')
  })
  test('raw jose decrypts a 100,000-character JWE; src says ERR_JWE_INVALID', async () => {
    const token = forgeJwe(JWE_HEADER, 'a'.repeat(75_000), KEY)
    expect((await compactDecrypt(token, KEY)).plaintext.length).toBe(75_000)
    expect(await codeOf(() => src.decryptCompact(token, KEY))).toBe('ERR_JWE_INVALID')
  })
})

describe('bare-claims-under-cty-jwt: claims directly inside a JWE that says cty "JWT"', () => {
  test('jose jwtDecrypt reads them as claims; src says ERR_JWT_INVALID', async () => {
    const token = forgeJwe(
      b64u('{"alg":"dir","enc":"A256GCM","cty":"JWT"}'),
      '{"sub":"admin"}',
      KEY,
    )
    expect((await jwtDecrypt(token, KEY)).payload).toEqual({ sub: 'admin' })
    expect(await codeOf(() => src.decryptJwt(token, KEY))).toBe('ERR_JWT_INVALID')
  })
})

describe('crit-b64: b64 listed in crit (RFC 7797)', () => {
  test('jose compactVerify accepts it; src says ERR_JOSE_NOT_SUPPORTED', async () => {
    const header = b64u('{"alg":"HS256","b64":false,"crit":["b64"]}')
    const token = forgeJws(header, 'hello', KEY)
    expect(text((await compactVerify(token, KEY, { algorithms: ['HS256'] })).payload)).toBe('hello')
    expect(await codeOf(() => src.verifyCompact(token, KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
    // As a JWT both refuse it, with different codes.
    expect(await codeOf(() => jwtVerify(token, KEY, { algorithms: ['HS256'] }))).toBe(
      'ERR_JWT_INVALID',
    )
    expect(await codeOf(() => src.verifyJwt(token, KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
  })

  test('b64 true: jose compactVerify reads an ordinary payload; src still says ERR_JOSE_NOT_SUPPORTED', async () => {
    const token = jws('{"alg":"HS256","b64":true,"crit":["b64"]}', 'hello')
    expect(text((await compactVerify(token, KEY, { algorithms: ['HS256'] })).payload)).toBe('hello')
    expect(await codeOf(() => src.verifyCompact(token, KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
  })
})

describe('b64-without-crit: "b64" not listed in "crit" (JWS)', () => {
  test('JWS: jose ignores "b64" and verifies; src says ERR_JWS_INVALID', async () => {
    const token = jws('{"alg":"HS256","b64":false}', 'hello')
    expect(text((await compactVerify(token, KEY, { algorithms: ['HS256'] })).payload)).toBe('hello')
    expect(await codeOf(() => src.verifyCompact(token, KEY))).toBe('ERR_JWS_INVALID')
  })
})

describe('cty-jwt-in-jws: claims directly inside a JWS that says cty "JWT"', () => {
  test('cty-jwt-in-jws: jose jwtVerify reads the claims; src says ERR_JWT_INVALID', async () => {
    const token = jws('{"alg":"HS256","cty":"JWT"}', '{"sub":"admin"}')
    expect((await jwtVerify(token, KEY, { algorithms: ['HS256'] })).payload).toEqual({
      sub: 'admin',
    })
    expect(await codeOf(() => src.verifyJwt(token, KEY))).toBe('ERR_JWT_INVALID')
  })
})

describe('default-content-encryption: only A256GCM unless contentEncryptionAlgorithms says more', () => {
  const KEY_16 = new Uint8Array(16).fill(0x2a)
  const a128 = (key: Uint8Array): Promise<string> =>
    new CompactEncrypt(new TextEncoder().encode('hello'))
      .setProtectedHeader({ alg: 'dir', enc: 'A128GCM' })
      .encrypt(key)

  test('jose decrypts A128GCM by default; src refuses the 16-byte key with a TypeError naming the option', async () => {
    const token = await a128(KEY_16)
    expect(text((await compactDecrypt(token, KEY_16)).plaintext)).toBe('hello')
    expect(() => src.decryptCompact(token, KEY_16)).toThrow(TypeError)
    expect(() => src.decryptCompact(token, KEY_16)).toThrow(/contentEncryptionAlgorithms/)
  })

  test('a 32-byte key and an A128GCM header: jose says ERR_JWE_INVALID for the key size; src says ERR_JOSE_ALG_NOT_ALLOWED', async () => {
    const token = await a128(KEY_16)
    expect(await codeOf(() => compactDecrypt(token, KEY))).toBe('ERR_JWE_INVALID')
    expect(await codeOf(() => src.decryptCompact(token, KEY))).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
  })

  test('src decrypts its own A128GCM output once the option allows it', async () => {
    const token = await src.encryptCompact('hello', KEY_16, { alg: 'dir', enc: 'A128GCM' })
    expect(() => src.decryptCompact(token, KEY_16)).toThrow(TypeError)
    const options = { contentEncryptionAlgorithms: ['A128GCM' as const] }
    expect(text((await src.decryptCompact(token, KEY_16, options)).plaintext)).toBe('hello')
  })
})

describe('nested-inner-bom: U+FEFF before the inner JWS', () => {
  test('the adapter accepts it (TextDecoder strips the BOM); src says ERR_JWT_INVALID', async () => {
    const signingKey = new Uint8Array(32).fill(0x11)
    const inner = await src.signJwt({ sub: 'alice' }, signingKey)
    const token = forgeJwe(b64u('{"alg":"dir","enc":"A256GCM","cty":"JWT"}'), `${BOM}${inner}`, KEY)
    const keys = { encryptionKey: KEY, signingKey }
    expect((await reference.decryptThenVerify(token, keys)).payload).toEqual({ sub: 'alice' })
    expect(await codeOf(() => src.decryptThenVerify(token, keys))).toBe('ERR_JWT_INVALID')
    // Without the BOM both accept: the mark alone makes the difference.
    const clean = forgeJwe(b64u('{"alg":"dir","enc":"A256GCM","cty":"JWT"}'), inner, KEY)
    expect((await src.decryptThenVerify(clean, keys)).payload).toEqual({ sub: 'alice' })
  })
})

describe('token-as-bytes: a compact token given as a Uint8Array', () => {
  test('jose verifies and decrypts a token as bytes; src says ERR_JWS_INVALID / ERR_JWE_INVALID', async () => {
    const jwsToken = jws('{"alg":"HS256"}', 'hello')
    const jweToken = forgeJwe(JWE_HEADER, 'hello', KEY)
    const bytes = (token: string): Uint8Array => new TextEncoder().encode(token)
    expect(text((await compactVerify(bytes(jwsToken), KEY)).payload)).toBe('hello')
    expect(text((await compactDecrypt(bytes(jweToken), KEY)).plaintext)).toBe('hello')
    const asString = (value: Uint8Array): string => value as unknown as string
    expect(await codeOf(() => src.verifyCompact(asString(bytes(jwsToken)), KEY))).toBe(
      'ERR_JWS_INVALID',
    )
    expect(await codeOf(() => src.decryptCompact(asString(bytes(jweToken)), KEY))).toBe(
      'ERR_JWE_INVALID',
    )
  })
})

describe('producer-refusals: the signing side refuses what its verifier would', () => {
  let deep: unknown = 1
  for (let level = 0; level < 70; level++) deep = [deep]

  test.each([
    ['a numeric sub', { sub: 5 }],
    ['a lone surrogate', { name: '\ud800' }],
    ['nesting deeper than 64', { deep }],
  ])(
    'claims with %s: jose signs them; src throws a TypeError on both producers',
    async (_name, claims) => {
      const joseToken = await new SignJWT(claims as JWTPayload)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(KEY)
      expect(joseToken.split('.')).toHaveLength(3)
      const payload = claims as JWTPayload
      expect(() => src.signJwt(payload, KEY)).toThrow(TypeError)
      expect(() => src.encryptJwt(payload, KEY)).toThrow(TypeError)
    },
  )

  test.each([
    ['a lone surrogate', { kid: '\ud800' }],
    ['nesting deeper than 64', { ext: deep }],
  ])(
    'a header with %s: jose signs and encrypts; src says ERR_JWS_INVALID / ERR_JWE_INVALID',
    async (_name, extra) => {
      const jwsHeader = { alg: 'HS256', ...extra }
      const jweHeader = { alg: 'dir', enc: 'A256GCM', ...extra } as const
      const joseJws = await new CompactSign(new TextEncoder().encode('x'))
        .setProtectedHeader(jwsHeader)
        .sign(KEY)
      const joseJwe = await new CompactEncrypt(new TextEncoder().encode('x'))
        .setProtectedHeader(jweHeader)
        .encrypt(KEY)
      expect(joseJws.split('.')).toHaveLength(3)
      expect(joseJwe.split('.')).toHaveLength(5)
      expect(await codeOf(() => src.signCompact('x', KEY, jwsHeader))).toBe('ERR_JWS_INVALID')
      expect(await codeOf(() => src.encryptCompact('x', KEY, jweHeader))).toBe('ERR_JWE_INVALID')
    },
  )
})
