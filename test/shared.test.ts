/**
 * The shared suite (issue 2 §5): one set of tests, run against both implementations
 * of the public API — `src` (by hand, on node:crypto) and `jose` (reference/index.ts,
 * jose configured safely) — wherever the two should agree: round trips, claim
 * semantics, sign-side helpers (byte for byte), programmer errors, tampering and
 * nested-token rules. Every rejection is compared by its `code` (and, for claims,
 * `.claim` and `.reason`).
 *
 * Deliberately NOT in this suite, because the two differ: mostly on purpose (src is
 * strict where jose is lenient).
 * docs/divergences.md explains each; test/strictness/ pins src's side:
 * - base64url spelling: padding, whitespace, `+` `/`, non-zero unused bits, a length
 *   of 1 mod 4, non-ASCII look-alikes (jose decodes with atob and accepts most);
 * - JSON: a byte-order mark, duplicate member names, escaped lone surrogates,
 *   nesting deeper than 64, invalid UTF-8 in headers and claims;
 * - registered claim types: `exp: 1e400` (Infinity), a numeric `sub`, an `aud` array
 *   holding a number, and so on (src: reason 'invalid'; jose accepts some of them);
 * - `zip`: src refuses it before decrypting; jose decrypts first, then refuses;
 * - `crit` and `b64`: src refuses every well-formed `crit` as not supported and a
 *   bare `b64` as invalid; jose's answers depend on the names listed;
 * - the order of some checks (decryptJwt on a nested token: src looks at `cty` first,
 *   jose fails to parse the claims first; both say ERR_JWT_INVALID), error messages,
 *   and sync versus async.
 */

import fc from 'fast-check'
import { CompactEncrypt } from 'jose'
import type {
  JWEHeader,
  JWSHeader,
  JWTClaimOptions,
  JWTClaimsHelpers,
  JWTPayload,
} from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { BASE64URL_ALPHABET } from './support/forge.ts'
import {
  codeOf,
  type Implementation,
  implementations,
  reference,
  src,
} from './support/implementations.ts'

const HMAC_KEY_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const
const GCM_KEY_BYTES = { A128GCM: 16, A192GCM: 24, A256GCM: 32 } as const
const HMAC_ALGS = Object.keys(HMAC_KEY_BYTES) as (keyof typeof HMAC_KEY_BYTES)[]
const GCM_ENCS = Object.keys(GCM_KEY_BYTES) as (keyof typeof GCM_KEY_BYTES)[]
const REGISTERED_CLAIMS = new Set(['iss', 'sub', 'aud', 'jti', 'nbf', 'iat', 'exp'])

/** The fixed clock: half a second past a whole second, so that flooring shows. */
const NOW = new Date('2030-01-01T00:00:00.500Z')
const now = 1_893_456_000

const encoder = new TextEncoder()
const signingKey = patternKey(32, 1)
const encryptionKey = patternKey(32, 101)
const keys = { signingKey, encryptionKey }

function patternKey(length: number, seed: number): Uint8Array {
  const key = new Uint8Array(length)
  for (let i = 0; i < key.length; i++) key[i] = (seed + i * 7) & 0xff
  return key
}

function decodeSegment(token: string, index: number): unknown {
  return JSON.parse(Buffer.from(token.split('.')[index] as string, 'base64url').toString('utf8'))
}

/** Bytes as hex: a fast comparison with a readable diff (toEqual walks typed arrays slowly). */
function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

function otherThan(impl: Implementation): Implementation {
  return impl.name === 'src' ? reference : src
}

/** 'ok', or the code (plus claim and reason, when present) of the rejection. */
async function outcome(action: () => unknown): Promise<'ok' | Record<string, unknown>> {
  try {
    await action()
  } catch (error) {
    const { code, claim, reason } = error as { code?: unknown; claim?: unknown; reason?: unknown }
    if (typeof code !== 'string') throw error
    return claim === undefined ? { code } : { code, claim, reason }
  }
  return 'ok'
}

/** Thrown error of `action`, which must throw. */
async function thrown(action: () => unknown): Promise<unknown> {
  try {
    await action()
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, but the call succeeded')
}

/** Bytes of every length from 0 to `max`, the boundaries listed explicitly. */
function bytesUpTo(max: number): fc.Arbitrary<Uint8Array> {
  return fc
    .oneof(fc.constantFrom(0, 1, 2, 3, max), fc.integer({ min: 0, max }))
    .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
}

/** Replaces character `position` of segment `index` with a different base64url character. */
function tamper(token: string, index: number, position: number, shift: number): string {
  const segments = token.split('.')
  const segment = segments[index] as string
  const old = BASE64URL_ALPHABET.indexOf(segment[position] as string)
  const changed = BASE64URL_ALPHABET[(old + shift) % 64] as string
  segments[index] = segment.slice(0, position) + changed + segment.slice(position + 1)
  return segments.join('.')
}

// Claim names and values both implementations serialise the same way: no registered
// names (their types are checked separately), well-formed Unicode, shallow nesting.
const claimName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  .filter((name) => !REGISTERED_CLAIMS.has(name) && name !== '__proto__')
const customClaims = fc.dictionary(
  claimName,
  fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' }),
  { maxKeys: 6 },
)
const identityClaims = fc.record(
  {
    iss: fc.string({ unit: 'grapheme' }),
    sub: fc.string({ unit: 'grapheme' }),
    aud: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
    jti: fc.string(),
  },
  { requiredKeys: [] },
)
/** Claims that verify at any time: no exp, nbf or iat. */
const timelessClaims = fc
  .tuple(identityClaims, customClaims)
  .map(([identity, custom]): JWTPayload => ({ ...identity, ...custom }))

/** Which JWT form a run exercises: a JWS, a JWE of bare claims, or a nested token. */
const jwtKind = fc.constantFrom('jws', 'jwe', 'nested')

/** What a verifier hands back for `claims`: their JSON round trip (-0 becomes 0). */
function asReceived(claims: JWTPayload): JWTPayload {
  return JSON.parse(JSON.stringify(claims)) as JWTPayload
}

/** An HMAC algorithm with a key of its minimum length, one more, or anything up to twice. */
const hmacCase = fc.constantFrom(...HMAC_ALGS).chain((alg) => {
  const minimum = HMAC_KEY_BYTES[alg]
  return fc
    .oneof(fc.constantFrom(minimum, minimum + 1), fc.integer({ min: minimum, max: 2 * minimum }))
    .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
    .map((key) => ({ alg, key }))
})

/** An AES-GCM enc with a key of exactly its size (RFC 7518 §5.3). */
const gcmCase = fc.constantFrom(...GCM_ENCS).chain((enc) => {
  const size = GCM_KEY_BYTES[enc]
  return fc.uint8Array({ minLength: size, maxLength: size }).map((key) => ({ enc, key }))
})

describe.each(implementations)('shared suite on $name', (impl) => {
  const other = otherThan(impl)

  describe('JWS compact', () => {
    test('HS256, HS384, HS512 (allowlisted): sign/verify round trip', async () => {
      await fc.assert(
        fc.asyncProperty(hmacCase, bytesUpTo(512), async ({ alg, key }, payload) => {
          const header = { alg }
          const token = await impl.signCompact(payload, key, header)
          const result = await impl.verifyCompact(token, key, { algorithms: [alg] })
          expect(result.payload).toBeInstanceOf(Uint8Array)
          expect(hex(result.payload)).toBe(hex(payload))
          expect(result.protectedHeader).toEqual(header)
        }),
      )
    })

    test('an algorithm not allowlisted: ERR_JOSE_ALG_NOT_ALLOWED', async () => {
      const key = patternKey(64, 3)
      const hs384 = await impl.signCompact('x', key, { alg: 'HS384' })
      expect(await codeOf(() => impl.verifyCompact(hs384, key))).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
      const hs256 = await impl.signCompact('x', key)
      expect(await codeOf(() => impl.verifyCompact(hs256, key, { algorithms: ['HS512'] }))).toBe(
        'ERR_JOSE_ALG_NOT_ALLOWED',
      )
    })

    test('the wrong key: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
      const token = await impl.signCompact('x', signingKey)
      expect(await codeOf(() => impl.verifyCompact(token, encryptionKey))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
    })

    test('any changed payload or signature character: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
      const token = await impl.signCompact('{"sub":"user-1","role":"user"}', signingKey)
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(1, 2),
          fc.nat(),
          fc.integer({ min: 1, max: 63 }),
          async (index, at, shift) => {
            // The signature's last character carries unused bits, which jose ignores:
            // changing only those changes no byte, so it is left out here.
            const segment = token.split('.')[index] as string
            const position = at % (index === 2 ? segment.length - 1 : segment.length)
            const forged = tamper(token, index, position, shift)
            expect(await codeOf(() => impl.verifyCompact(forged, signingKey))).toBe(
              'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
            )
          },
        ),
      )
    })

    test('a non-ASCII payload segment: ERR_JWS_INVALID', async () => {
      const [header, payload, signature] = (await impl.signCompact('hi', signingKey)).split('.')
      const token = [header, `${payload}\u00e9`, signature].join('.')
      expect(await codeOf(() => impl.verifyCompact(token, signingKey))).toBe('ERR_JWS_INVALID')
    })

    test('framing and maxTokenLength: ERR_JWS_INVALID', async () => {
      const token = await impl.signCompact('x', signingKey)
      for (const broken of [token.split('.').slice(0, 2).join('.'), `${token}.x`, '']) {
        expect(await codeOf(() => impl.verifyCompact(broken, signingKey))).toBe('ERR_JWS_INVALID')
      }
      const capped = { maxTokenLength: token.length - 1 }
      expect(await codeOf(() => impl.verifyCompact(token, signingKey, capped))).toBe(
        'ERR_JWS_INVALID',
      )
      const exact = { maxTokenLength: token.length }
      expect((await impl.verifyCompact(token, signingKey, exact)).payload).toEqual(
        encoder.encode('x'),
      )
    })
  })

  describe('JWE compact', () => {
    test('A128GCM, A192GCM, A256GCM (allowlisted): encrypt/decrypt round trip', async () => {
      await fc.assert(
        fc.asyncProperty(gcmCase, bytesUpTo(512), async ({ enc, key }, plaintext) => {
          const header = { alg: 'dir', enc }
          const token = await impl.encryptCompact(plaintext, key, header)
          const options = { contentEncryptionAlgorithms: [enc] }
          const result = await impl.decryptCompact(token, key, options)
          expect(result.plaintext).toBeInstanceOf(Uint8Array)
          expect(hex(result.plaintext)).toBe(hex(plaintext))
          expect(result.protectedHeader).toEqual(header)
        }),
      )
    })

    test('two encryptions of the same plaintext differ (fresh random IV)', async () => {
      const first = await impl.encryptCompact('same', encryptionKey)
      expect(await impl.encryptCompact('same', encryptionKey)).not.toBe(first)
    })

    test('an enc not allowlisted, or an alg other than dir: ERR_JOSE_ALG_NOT_ALLOWED', async () => {
      const a128 = await impl.encryptCompact('x', patternKey(16, 5), { alg: 'dir', enc: 'A128GCM' })
      expect(await codeOf(() => impl.decryptCompact(a128, encryptionKey))).toBe(
        'ERR_JOSE_ALG_NOT_ALLOWED',
      )
      const wrapped = await new CompactEncrypt(encoder.encode('x'))
        .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
        .encrypt(encryptionKey)
      expect(await codeOf(() => impl.decryptCompact(wrapped, encryptionKey))).toBe(
        'ERR_JOSE_ALG_NOT_ALLOWED',
      )
    })

    test("a key that fits another allowed enc but not the token's: ERR_JWE_INVALID", async () => {
      const a128 = await impl.encryptCompact('x', patternKey(16, 5), { alg: 'dir', enc: 'A128GCM' })
      const options = { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] }
      expect(await codeOf(() => impl.decryptCompact(a128, encryptionKey, options))).toBe(
        'ERR_JWE_INVALID',
      )
    })

    test('the wrong key: ERR_JWE_DECRYPTION_FAILED', async () => {
      const token = await impl.encryptCompact('x', encryptionKey)
      expect(await codeOf(() => impl.decryptCompact(token, patternKey(32, 9)))).toBe(
        'ERR_JWE_DECRYPTION_FAILED',
      )
    })

    test('any changed IV, ciphertext or tag character: ERR_JWE_DECRYPTION_FAILED', async () => {
      const token = await impl.encryptCompact('{"sub":"user-1","role":"user"}', encryptionKey)
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(2, 3, 4),
          fc.nat(),
          fc.integer({ min: 1, max: 63 }),
          async (index, at, shift) => {
            // Not the last character of a segment: it may carry only unused bits.
            const segment = token.split('.')[index] as string
            const forged = tamper(token, index, at % (segment.length - 1), shift)
            expect(await codeOf(() => impl.decryptCompact(forged, encryptionKey))).toBe(
              'ERR_JWE_DECRYPTION_FAILED',
            )
          },
        ),
      )
    })

    test('another valid header (the AAD changes): ERR_JWE_DECRYPTION_FAILED', async () => {
      const token = await impl.encryptCompact('x', encryptionKey)
      const header = Buffer.from('{"alg":"dir","enc":"A256GCM","kid":"1"}').toString('base64url')
      const swapped = [header, ...token.split('.').slice(1)].join('.')
      expect(await codeOf(() => impl.decryptCompact(swapped, encryptionKey))).toBe(
        'ERR_JWE_DECRYPTION_FAILED',
      )
    })

    test('an Encrypted Key with dir, an IV or a tag of the wrong size: ERR_JWE_INVALID', async () => {
      const [header, , iv, ciphertext, tag] = (await impl.encryptCompact('x', encryptionKey)).split(
        '.',
      )
      const filler = (n: number): string => Buffer.alloc(n, 1).toString('base64url')
      for (const segments of [
        [header, filler(32), iv, ciphertext, tag],
        [header, '', filler(8), ciphertext, tag],
        [header, '', filler(16), ciphertext, tag],
        [header, '', iv, ciphertext, filler(12)],
        [header, '', iv, ciphertext, ''],
      ]) {
        const token = segments.join('.')
        expect(await codeOf(() => impl.decryptCompact(token, encryptionKey))).toBe(
          'ERR_JWE_INVALID',
        )
      }
    })

    test('framing and maxTokenLength: ERR_JWE_INVALID', async () => {
      const token = await impl.encryptCompact('x', encryptionKey)
      for (const broken of [token.split('.').slice(0, 4).join('.'), `${token}.x`, '']) {
        expect(await codeOf(() => impl.decryptCompact(broken, encryptionKey))).toBe(
          'ERR_JWE_INVALID',
        )
      }
      const capped = { maxTokenLength: token.length - 1 }
      expect(await codeOf(() => impl.decryptCompact(token, encryptionKey, capped))).toBe(
        'ERR_JWE_INVALID',
      )
    })
  })

  // Each run picks one of the three pairs: all three are covered, at a third of the cost.
  test('JWT round trips: signJwt/verifyJwt, encryptJwt/decryptJwt, signThenEncrypt/decryptThenVerify', async () => {
    await fc.assert(
      fc.asyncProperty(jwtKind, timelessClaims, async (kind, claims) => {
        const expected = asReceived(claims)
        if (kind === 'jws') {
          const signed = await impl.verifyJwt(await impl.signJwt(claims, signingKey), signingKey)
          expect(signed.payload).toEqual(expected)
          expect(signed.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
        } else if (kind === 'jwe') {
          const encrypted = await impl.encryptJwt(claims, encryptionKey)
          const decrypted = await impl.decryptJwt(encrypted, encryptionKey)
          expect(decrypted.payload).toEqual(expected)
          expect(decrypted.protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM' })
        } else {
          const token = await impl.signThenEncrypt(claims, keys)
          const nested = await impl.decryptThenVerify(token, keys)
          expect(nested.payload).toEqual(expected)
          expect(nested.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
          expect(nested.outerHeader).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
        }
      }),
    )
  })

  /** The three ways to read a JWT, each with its own way to make one. */
  const readers: {
    name: string
    make(claims: JWTPayload, typ: string | undefined): Promise<string>
    read(token: string, options: JWTClaimOptions): Promise<unknown>
  }[] = [
    {
      name: 'verifyJwt',
      make: async (claims, typ) =>
        impl.signJwt(claims, signingKey, { header: { alg: 'HS256', ...(typ && { typ }) } }),
      read: async (token, options) => impl.verifyJwt(token, signingKey, options),
    },
    {
      name: 'decryptJwt',
      make: async (claims, typ) =>
        impl.encryptJwt(claims, encryptionKey, {
          header: { alg: 'dir', enc: 'A256GCM', ...(typ && { typ }) },
        }),
      read: async (token, options) => impl.decryptJwt(token, encryptionKey, options),
    },
    {
      name: 'decryptThenVerify',
      make: async (claims, typ) =>
        impl.signThenEncrypt(claims, keys, { header: { alg: 'HS256', ...(typ && { typ }) } }),
      read: async (token, options) => impl.decryptThenVerify(token, keys, options),
    },
  ]

  type Verdict = 'ok' | { code: string; claim: string; reason: string }
  const failed = (claim: string, reason = 'check_failed'): Verdict => ({
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    claim,
    reason,
  })
  const expired = (claim: string): Verdict => ({
    code: 'ERR_JWT_EXPIRED',
    claim,
    reason: 'check_failed',
  })
  const at = { currentDate: NOW }
  const iss = 'https://issuer.example'

  // [name, claims, options, header typ, verdict] — every option has the clock fixed.
  const claimCases: [string, JWTPayload, JWTClaimOptions, string | undefined, Verdict][] = [
    ['exp equal to now has expired', { exp: now }, at, undefined, expired('exp')],
    ['exp one second after now is valid', { exp: now + 1 }, at, undefined, 'ok'],
    ['nbf equal to now is valid', { nbf: now }, at, undefined, 'ok'],
    ['nbf one second after now is not yet valid', { nbf: now + 1 }, at, undefined, failed('nbf')],
    ['a future iat passes without maxTokenAge', { iat: now + 3600 }, at, undefined, 'ok'],
    [
      'a future iat fails under maxTokenAge',
      { iat: now + 1 },
      { ...at, maxTokenAge: '1h' },
      undefined,
      failed('iat'),
    ],
    [
      'iat exactly maxTokenAge old passes',
      { iat: now - 3600 },
      { ...at, maxTokenAge: '1h' },
      undefined,
      'ok',
    ],
    [
      'iat one second older than maxTokenAge has expired',
      { iat: now - 3601 },
      { ...at, maxTokenAge: '1h' },
      undefined,
      expired('iat'),
    ],
    [
      'maxTokenAge requires iat',
      {},
      { ...at, maxTokenAge: 3600 },
      undefined,
      failed('iat', 'missing'),
    ],
    ['aud string matches audience string', { aud: 'a' }, { ...at, audience: 'a' }, undefined, 'ok'],
    [
      'aud list overlaps audience string',
      { aud: ['x', 'a'] },
      { ...at, audience: 'a' },
      undefined,
      'ok',
    ],
    [
      'aud string is in audience list',
      { aud: 'a' },
      { ...at, audience: ['b', 'a'] },
      undefined,
      'ok',
    ],
    [
      'aud list and audience list disjoint',
      { aud: ['x'] },
      { ...at, audience: ['y'] },
      undefined,
      failed('aud'),
    ],
    [
      'an empty aud list overlaps nothing',
      { aud: [] },
      { ...at, audience: 'a' },
      undefined,
      failed('aud'),
    ],
    ['audience requires aud', {}, { ...at, audience: 'a' }, undefined, failed('aud', 'missing')],
    ['iss exact match', { iss }, { ...at, issuer: iss }, undefined, 'ok'],
    [
      'iss with a trailing slash differs',
      { iss },
      { ...at, issuer: `${iss}/` },
      undefined,
      failed('iss'),
    ],
    [
      'iss is case-sensitive',
      { iss },
      { ...at, issuer: iss.toUpperCase() },
      undefined,
      failed('iss'),
    ],
    ['iss in an issuer list', { iss }, { ...at, issuer: ['x', iss] }, undefined, 'ok'],
    ['issuer requires iss', {}, { ...at, issuer: iss }, undefined, failed('iss', 'missing')],
    ['sub match', { sub: 'user-1' }, { ...at, subject: 'user-1' }, undefined, 'ok'],
    ['sub mismatch', { sub: 'user-1' }, { ...at, subject: 'user-2' }, undefined, failed('sub')],
    ['subject requires sub', {}, { ...at, subject: 'user-1' }, undefined, failed('sub', 'missing')],
    ['typ JWT equals application/jwt', {}, { ...at, typ: 'application/jwt' }, 'JWT', 'ok'],
    ['typ compares case-insensitively', {}, { ...at, typ: 'JWT' }, 'jwt', 'ok'],
    ['typ application/JWT equals jwt', {}, { ...at, typ: 'jwt' }, 'application/JWT', 'ok'],
    ['another typ is refused', {}, { ...at, typ: 'JWT' }, 'at+jwt', failed('typ')],
    [
      'a missing typ is refused when one is expected',
      {},
      { ...at, typ: 'JWT' },
      undefined,
      failed('typ'),
    ],
    [
      'clockTolerance 30 keeps exp == now valid',
      { exp: now },
      { ...at, clockTolerance: 30 },
      undefined,
      'ok',
    ],
    [
      "clockTolerance '30s': exp 29 s ago valid",
      { exp: now - 29 },
      { ...at, clockTolerance: '30s' },
      undefined,
      'ok',
    ],
    [
      "clockTolerance '30s': exp 30 s ago expired",
      { exp: now - 30 },
      { ...at, clockTolerance: '30s' },
      undefined,
      expired('exp'),
    ],
    [
      "clockTolerance '30s': nbf 30 s ahead valid",
      { nbf: now + 30 },
      { ...at, clockTolerance: '30s' },
      undefined,
      'ok',
    ],
    [
      'clockTolerance 30: nbf 31 s ahead not yet valid',
      { nbf: now + 31 },
      { ...at, clockTolerance: 30 },
      undefined,
      failed('nbf'),
    ],
    [
      'clockTolerance stretches maxTokenAge',
      { iat: now - 3630 },
      { ...at, maxTokenAge: '1h', clockTolerance: '30s' },
      undefined,
      'ok',
    ],
    [
      'clockTolerance stretches maxTokenAge, to the second',
      { iat: now - 3631 },
      { ...at, maxTokenAge: '1h', clockTolerance: '30s' },
      undefined,
      expired('iat'),
    ],
    [
      'requiredClaims: a missing jti',
      { sub: 'x' },
      { ...at, requiredClaims: ['jti'] },
      undefined,
      failed('jti', 'missing'),
    ],
    [
      'requiredClaims: the last listed missing claim is reported first',
      {},
      { ...at, requiredClaims: ['jti', 'nbf'] },
      undefined,
      failed('nbf', 'missing'),
    ],
    [
      'order: a wrong iss is reported before the expiry',
      { iss: 'other', exp: now - 10 },
      { ...at, issuer: iss },
      undefined,
      failed('iss'),
    ],
    [
      'order: typ is reported before a missing claim',
      {},
      { ...at, typ: 'JWT', issuer: iss },
      'at+jwt',
      failed('typ'),
    ],
    ['order: nbf before exp', { nbf: now + 5, exp: now - 5 }, at, undefined, failed('nbf')],
  ]

  describe.each(readers)('claim checks through $name', (reader) => {
    test.each(claimCases)('%s', async (_name, claims, options, typ, verdict) => {
      const token = await reader.make(claims, typ)
      expect(await outcome(() => reader.read(token, options))).toEqual(verdict)
    })
  })

  describe('claim checks, generated', () => {
    const audienceValue = fc.constantFrom('a', 'b', 'c', 'd')
    test('aud passes exactly when it overlaps the expected audience', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(audienceValue, fc.uniqueArray(audienceValue, { maxLength: 4 })),
          fc.oneof(audienceValue, fc.uniqueArray(audienceValue, { maxLength: 4 })),
          async (aud, audience) => {
            const token = await impl.signJwt({ aud }, signingKey)
            const have = typeof aud === 'string' ? [aud] : aud
            const want = typeof audience === 'string' ? [audience] : audience
            const overlaps = have.some((value) => want.includes(value))
            expect(await outcome(() => impl.verifyJwt(token, signingKey, { audience }))).toEqual(
              overlaps ? 'ok' : failed('aud'),
            )
          },
        ),
      )
    })

    test('iss passes exactly when it equals the issuer (or one of the list)', async () => {
      const issuerValue = fc.constantFrom('a', 'A', 'a/', ' a', 'b')
      await fc.assert(
        fc.asyncProperty(
          issuerValue,
          fc.oneof(issuerValue, fc.uniqueArray(issuerValue, { maxLength: 3 })),
          async (tokenIss, issuer) => {
            const token = await impl.signJwt({ iss: tokenIss }, signingKey)
            const accepted = typeof issuer === 'string' ? [issuer] : issuer
            expect(await outcome(() => impl.verifyJwt(token, signingKey, { issuer }))).toEqual(
              accepted.includes(tokenIss) ? 'ok' : failed('iss'),
            )
          },
        ),
      )
    })

    test('exp and nbf against the clock and a tolerance, to the second', async () => {
      await fc.assert(
        fc.asyncProperty(
          // Offsets land on the edges (±tolerance, one past) often, not by luck.
          fc.integer({ min: 0, max: 50 }).chain((tolerance) => {
            const offset = fc.oneof(
              fc.constantFrom(-tolerance - 1, -tolerance, -tolerance + 1),
              fc.constantFrom(tolerance - 1, tolerance, tolerance + 1),
              fc.integer({ min: -100, max: 100 }),
            )
            return fc.tuple(offset, offset, fc.constant(tolerance))
          }),
          async ([expOffset, nbfOffset, tolerance]) => {
            const token = await impl.signJwt(
              { exp: now + expOffset, nbf: now + nbfOffset },
              signingKey,
            )
            const options = { currentDate: NOW, clockTolerance: tolerance }
            // RFC 7519 §4.1.5 and §4.1.4, nbf checked first (as in jose).
            let verdict: Verdict = 'ok'
            if (nbfOffset > tolerance) verdict = failed('nbf')
            else if (expOffset <= -tolerance) verdict = expired('exp')
            expect(await outcome(() => impl.verifyJwt(token, signingKey, options))).toEqual(verdict)
          },
        ),
      )
    })
  })

  describe('sign-side helpers', () => {
    const helpers: JWTClaimsHelpers = {
      issuer: iss,
      subject: 'user-1',
      audience: ['api', 'admin'],
      jwtId: 'id-1',
      notBefore: '0s',
      issuedAt: '0s',
      expirationTime: '1h',
      currentDate: NOW,
    }

    test('write the caller claims, then iss, sub, aud, jti, nbf, iat, exp, relative to currentDate', async () => {
      const token = await impl.signJwt({ role: 'user' }, signingKey, helpers)
      expect(Object.entries(decodeSegment(token, 1) as object)).toEqual([
        ['role', 'user'],
        ['iss', iss],
        ['sub', 'user-1'],
        ['aud', ['api', 'admin']],
        ['jti', 'id-1'],
        ['nbf', now],
        ['iat', now],
        ['exp', now + 3600],
      ])
      expect(token).toBe(await other.signJwt({ role: 'user' }, signingKey, helpers))
    })

    test('instants as numbers, Dates and signed durations', async () => {
      const options = {
        currentDate: NOW,
        notBefore: '-5m',
        issuedAt: new Date('2030-01-01T00:00:00.999Z'),
        expirationTime: now + 0.5,
      }
      const token = await impl.signJwt({}, signingKey, options)
      expect(decodeSegment(token, 1)).toEqual({ nbf: now - 300, iat: now, exp: now + 0.5 })
      expect(token).toBe(await other.signJwt({}, signingKey, options))
      const later = await impl.signJwt({}, signingKey, {
        ...options,
        notBefore: '2 hours from now',
      })
      expect((decodeSegment(later, 1) as JWTPayload).nbf).toBe(now + 7200)
    })

    test('helpers override the same claims given by the caller, in place', async () => {
      const claims = { exp: 1, iss: 'caller', x: 1 }
      const token = await impl.signJwt(claims, signingKey, {
        issuer: iss,
        expirationTime: '1h',
        currentDate: NOW,
      })
      expect(Object.entries(decodeSegment(token, 1) as object)).toEqual([
        ['exp', now + 3600],
        ['iss', iss],
        ['x', 1],
      ])
    })

    test('the same helpers through encryptJwt and signThenEncrypt, with a fixed IV', async () => {
      const iv = patternKey(12, 77)
      const encrypted = await impl.encryptJwt({ role: 'user' }, encryptionKey, { ...helpers, iv })
      expect(encrypted).toBe(
        await other.encryptJwt({ role: 'user' }, encryptionKey, { ...helpers, iv }),
      )
      const { payload } = await impl.decryptJwt(encrypted, encryptionKey, { currentDate: NOW })
      expect(payload.exp).toBe(now + 3600)
      const nested = await impl.signThenEncrypt({ role: 'user' }, keys, { ...helpers, iv })
      expect(nested).toBe(await other.signThenEncrypt({ role: 'user' }, keys, { ...helpers, iv }))
    })
  })

  describe('programmer errors are TypeErrors', () => {
    test.each(HMAC_ALGS)('%s: signing with a key shorter than the hash', async (alg) => {
      const minimum = HMAC_KEY_BYTES[alg]
      const short = fc.oneof(
        fc.constantFrom(0, 1, minimum - 1),
        fc.integer({ min: 0, max: minimum - 1 }),
      )
      await fc.assert(
        fc.asyncProperty(short, async (length) => {
          const key = patternKey(length, 4)
          expect(await thrown(() => impl.signCompact('x', key, { alg }))).toBeInstanceOf(TypeError)
          expect(await thrown(() => impl.signJwt({}, key, { header: { alg } }))).toBeInstanceOf(
            TypeError,
          )
        }),
      )
    })

    test('verifying with a key too short for every allowed algorithm', async () => {
      const token = await impl.signCompact('x', signingKey)
      for (const [length, algorithms] of [
        [31, ['HS256']],
        [47, ['HS384', 'HS512']],
      ] as const) {
        const key = patternKey(length, 4)
        const options = { algorithms: [...algorithms] }
        expect(await thrown(() => impl.verifyCompact(token, key, options))).toBeInstanceOf(
          TypeError,
        )
        expect(await thrown(() => impl.verifyJwt(token, key, options))).toBeInstanceOf(TypeError)
      }
    })

    test.each(GCM_ENCS)('%s: an AES key of the wrong size, to encrypt or decrypt', async (enc) => {
      const size = GCM_KEY_BYTES[enc]
      const wrong = fc.oneof(
        fc.constantFrom(0, size - 1, size + 1, 64),
        fc.integer({ min: 0, max: 80 }).filter((n) => n !== size),
      )
      const token = await impl.encryptCompact('x', patternKey(size, 2), { alg: 'dir', enc })
      const options = { contentEncryptionAlgorithms: [enc] }
      await fc.assert(
        fc.asyncProperty(wrong, async (length) => {
          const key = patternKey(length, 2)
          const header = { alg: 'dir', enc }
          expect(await thrown(() => impl.encryptCompact('x', key, header))).toBeInstanceOf(
            TypeError,
          )
          expect(await thrown(() => impl.encryptJwt({}, key, { header }))).toBeInstanceOf(TypeError)
          expect(await thrown(() => impl.decryptCompact(token, key, options))).toBeInstanceOf(
            TypeError,
          )
          expect(await thrown(() => impl.decryptJwt(token, key, options))).toBeInstanceOf(TypeError)
        }),
      )
    })

    test('encryptJwt with a header announcing a nested JWT (cty JWT)', async () => {
      for (const cty of ['JWT', 'jwt', 'application/jwt', 'Application/JWT']) {
        const header: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty }
        expect(await thrown(() => impl.encryptJwt({}, encryptionKey, { header }))).toBeInstanceOf(
          TypeError,
        )
      }
    })

    test('signThenEncrypt with an outer header that does not say cty JWT', async () => {
      for (const encryptionHeader of [
        { alg: 'dir', enc: 'A256GCM' },
        { alg: 'dir', enc: 'A256GCM', cty: 'json' },
      ]) {
        expect(
          await thrown(() => impl.signThenEncrypt({}, keys, { encryptionHeader })),
        ).toBeInstanceOf(TypeError)
      }
    })

    test('malformed durations and clock options', async () => {
      for (const expirationTime of ['soon', '1  h', '1h  ago', '', '-1h ago', '1.h', 'h', '1h ']) {
        for (const currentDate of [NOW, undefined]) {
          expect(
            await thrown(() => impl.signJwt({}, signingKey, { expirationTime, currentDate })),
          ).toBeInstanceOf(TypeError)
        }
      }
      const token = await impl.signJwt({ iat: now }, signingKey)
      for (const options of [
        { clockTolerance: -1 },
        { clockTolerance: '5m ago' },
        { clockTolerance: 'soon' },
        { maxTokenAge: '-1h' },
        { currentDate: new Date(Number.NaN) },
      ]) {
        expect(await thrown(() => impl.verifyJwt(token, signingKey, options))).toBeInstanceOf(
          TypeError,
        )
      }
    })
  })

  describe('nested tokens', () => {
    test('decryptJwt refuses a nested token: ERR_JWT_INVALID', async () => {
      const nested = await impl.signThenEncrypt({ sub: 'user-1' }, keys)
      expect(await codeOf(() => impl.decryptJwt(nested, encryptionKey))).toBe('ERR_JWT_INVALID')
    })

    test('decryptJwt refuses bare claims under cty JWT (a downgrade): ERR_JWT_INVALID', async () => {
      for (const cty of ['JWT', 'application/jwt']) {
        const header: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty }
        const bare = await impl.encryptCompact('{"sub":"user-1"}', encryptionKey, header)
        expect(await codeOf(() => impl.decryptJwt(bare, encryptionKey))).toBe('ERR_JWT_INVALID')
      }
    })

    test('decryptThenVerify refuses a JWE without cty JWT: ERR_JWT_INVALID', async () => {
      const signed = await impl.signJwt({ sub: 'user-1' }, signingKey)
      const plain = await impl.encryptCompact(signed, encryptionKey)
      expect(await codeOf(() => impl.decryptThenVerify(plain, keys))).toBe('ERR_JWT_INVALID')
    })

    test('decryptThenVerify reads cty case-insensitively, and application/jwt', async () => {
      for (const cty of ['jwt', 'application/JWT']) {
        const encryptionHeader: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty }
        const token = await impl.signThenEncrypt({ sub: 'user-1' }, keys, { encryptionHeader })
        expect((await impl.decryptThenVerify(token, keys)).payload.sub).toBe('user-1')
      }
    })

    test('the inner signature still counts: wrong signing key is ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
      const token = await impl.signThenEncrypt(
        {},
        { signingKey: patternKey(32, 50), encryptionKey },
      )
      expect(await codeOf(() => impl.decryptThenVerify(token, keys))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
    })

    test('algorithms applies to the inner JWS, contentEncryptionAlgorithms to the outer', async () => {
      const token = await impl.signThenEncrypt(
        {},
        { signingKey: patternKey(64, 1), encryptionKey },
        {
          header: { alg: 'HS512' },
        },
      )
      expect(
        await codeOf(() =>
          impl.decryptThenVerify(token, { signingKey: patternKey(64, 1), encryptionKey }),
        ),
      ).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
      const options = { algorithms: ['HS512'], contentEncryptionAlgorithms: ['A256GCM'] }
      const result = await impl.decryptThenVerify(
        token,
        { signingKey: patternKey(64, 1), encryptionKey },
        options,
      )
      expect(result.protectedHeader).toEqual({ alg: 'HS512' })
    })

    test('claims replicated in the outer header must match: reason mismatch', async () => {
      const encryptionHeader: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty: 'JWT', iss: 'header' }
      const token = await impl.signThenEncrypt({ iss: 'claims' }, keys, { encryptionHeader })
      expect(await outcome(() => impl.decryptThenVerify(token, keys))).toEqual(
        failed('iss', 'mismatch'),
      )
      const consistent: JWEHeader = { ...encryptionHeader, iss: 'claims' }
      const good = await impl.signThenEncrypt({ iss: 'claims' }, keys, {
        encryptionHeader: consistent,
      })
      expect((await impl.decryptThenVerify(good, keys)).payload.iss).toBe('claims')
    })
  })
})

describe('across the two implementations', () => {
  // Same bytes plus each one's own round trip (above) means each reads the other's
  // tokens; the random-IV tokens below check that directly too.
  test('signCompact and encryptCompact (fixed IV) write the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        hmacCase,
        gcmCase,
        bytesUpTo(512),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        async ({ alg, key }, { enc, key: contentKey }, payload, iv) => {
          expect(await reference.signCompact(payload, key, { alg })).toBe(
            await src.signCompact(payload, key, { alg }),
          )
          const header = { alg: 'dir', enc }
          expect(await reference.encryptCompact(payload, contentKey, header, { iv })).toBe(
            await src.encryptCompact(payload, contentKey, header, { iv }),
          )
        },
      ),
    )
  })

  test.each(GCM_ENCS)(
    '%s with a random IV: each decrypts what the other encrypted',
    async (enc) => {
      const key = patternKey(GCM_KEY_BYTES[enc], 33)
      const header = { alg: 'dir', enc }
      const options = { contentEncryptionAlgorithms: [enc] }
      const fromJose = await reference.encryptCompact('from jose', key, header)
      expect((await src.decryptCompact(fromJose, key, options)).plaintext).toEqual(
        encoder.encode('from jose'),
      )
      const fromSrc = await src.encryptCompact('from src', key, header)
      expect((await reference.decryptCompact(fromSrc, key, options)).plaintext).toEqual(
        encoder.encode('from src'),
      )
    },
  )

  test('a nested token with a random IV made by each is read by the other', async () => {
    const claims = { sub: 'user-1', aud: ['a', 'b'] }
    const fromJose = await reference.signThenEncrypt(claims, keys)
    expect((await src.decryptThenVerify(fromJose, keys)).payload).toEqual(claims)
    const fromSrc = await src.signThenEncrypt(claims, keys)
    expect((await reference.decryptThenVerify(fromSrc, keys)).payload).toEqual(claims)
  })

  const instant = fc.oneof(
    fc.integer({ min: -1e10, max: 1e10 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
    fc.date({ noInvalidDate: true }),
    // Durations stay within a Date's range: see the list of differences at the top.
    fc.constantFrom('0s', '1h', '15m', '-5m', '2 days ago', '1.5h', '30 seconds from now', '1y'),
  )
  const helpers = fc.record(
    {
      issuer: fc.string({ unit: 'grapheme' }),
      subject: fc.string({ unit: 'grapheme' }),
      audience: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
      jwtId: fc.string(),
      notBefore: instant,
      issuedAt: instant,
      expirationTime: instant,
    },
    { requiredKeys: [] },
  )
  const header = fc.record(
    { kid: fc.string(), typ: fc.constantFrom('JWT', 'at+jwt') },
    { requiredKeys: [] },
  )
  const numericDate = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
  const claims = fc
    .tuple(
      identityClaims,
      fc.record({ exp: numericDate, nbf: numericDate, iat: numericDate }, { requiredKeys: [] }),
      customClaims,
    )
    .map(([identity, times, custom]): JWTPayload => ({ ...identity, ...times, ...custom }))

  test('signJwt, encryptJwt and signThenEncrypt write the same bytes (fixed clock and IV)', async () => {
    await fc.assert(
      fc.asyncProperty(
        jwtKind,
        claims,
        helpers,
        header,
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        async (kind, payload, options, extra, iv) => {
          const jwsHeader: JWSHeader = { alg: 'HS256', ...extra }
          const jweHeader: JWEHeader = { alg: 'dir', enc: 'A256GCM', ...extra }
          const sign = { ...options, currentDate: NOW, header: jwsHeader }
          if (kind === 'jws') {
            expect(await reference.signJwt(payload, signingKey, sign)).toBe(
              await src.signJwt(payload, signingKey, sign),
            )
          } else if (kind === 'jwe') {
            const encrypt = { ...options, currentDate: NOW, header: jweHeader, iv }
            expect(await reference.encryptJwt(payload, encryptionKey, encrypt)).toBe(
              await src.encryptJwt(payload, encryptionKey, encrypt),
            )
          } else {
            const nested = { ...sign, iv, encryptionHeader: { ...jweHeader, cty: 'JWT' } }
            expect(await reference.signThenEncrypt(payload, keys, nested)).toBe(
              await src.signThenEncrypt(payload, keys, nested),
            )
          }
        },
      ),
    )
  })
})

describe.each(implementations)(
  'adapter parity on $name (once quirks of the jose adapter)',
  (impl) => {
    test("a key that fits HS256 but not the HS512 token it is offered is the token's fault", async () => {
      const hs512Key = patternKey(64, 7)
      const token = await impl.signCompact('payload', hs512Key, { alg: 'HS512' })
      const code = await codeOf(() =>
        impl.verifyCompact(token, patternKey(40, 7), { algorithms: ['HS256', 'HS512'] }),
      )
      expect(code).toBe('ERR_JWS_INVALID')
    })

    test('signing with an algorithm outside HS256/384/512 is not supported', async () => {
      const code = await codeOf(() => impl.signCompact('payload', signingKey, { alg: 'RS256' }))
      expect(code).toBe('ERR_JOSE_NOT_SUPPORTED')
    })

    test('a far-future duration relative to currentDate is written as a number, not a Date', async () => {
      const token = await impl.signJwt({}, signingKey, {
        expirationTime: '99999999y',
        currentDate: NOW,
      })
      const { payload } = await src.verifyJwt(token, signingKey, { currentDate: NOW })
      expect(payload.exp).toBe(now + 99_999_999 * 31_557_600)
    })
  },
)
