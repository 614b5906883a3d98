/**
 * The requirements matrix (docs/requirements.md): the page held true, and the tests its
 * rows cite. Each proof test is named after the rows it proves, runs against src/, and
 * against raw jose (or the reference adapter, for functions jose does not have) wherever
 * the row says what jose does. Every rejection is asserted by its code.
 */

import { createDecipheriv, createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import * as jose from 'jose'
import * as src from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { loadKeys } from '../reference/production-flow.ts'
import { readRegion } from './docs/markdown.ts'
import {
  KEYWORD_LEVELS,
  OTHER_LEVELS,
  PAGE_URL,
  parseRows,
  ROW_ID,
  renderSummary,
  summarySection,
  testTitles,
  titleIds,
} from './requirements-matrix.ts'
import * as arb from './support/arbitraries.ts'
import { b64u, forgeJwe, forgeJws, padded, withSpareBits } from './support/forge.ts'
import { ACCEPTED } from './support/implementations.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i)
const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x90 + i)
const KEYS = { signingKey: KEY, encryptionKey: OTHER_KEY }
const IV = Uint8Array.from({ length: 12 }, (_, i) => i + 1)
const HS256 = { algorithms: ['HS256'] }
const DIR_A256GCM = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const text = (data: Uint8Array): string => new TextDecoder().decode(data)

/** A JWS over exactly these header and payload texts, MAC'd with `key` (node:crypto). */
function jws(headerJson: string, payload: string, key = KEY): string {
  return forgeJws(b64u(headerJson), b64u(payload), key)
}

/** A `dir` JWE over exactly this header text (node:crypto), sealed for `key`. */
function jwe(headerJson: string, plaintext: string, key = OTHER_KEY): string {
  return forgeJwe(b64u(headerJson), plaintext, key, IV)
}

/** The token with segment `index` replaced by `change(segment)`. */
function withSegment(token: string, index: number, change: (segment: string) => string): string {
  const segments = token.split('.')
  segments[index] = change(segments[index] as string)
  return segments.join('.')
}

function spareBits(segment: string): string {
  const changed = withSpareBits(segment)
  if (changed === undefined) throw new Error(`${segment} has no unused bits`)
  return changed
}

const whitespace = (segment: string): string => `${segment.slice(0, 4)} \n${segment.slice(4)}`

/**
 * What a call comes to: `accepted`, the error's code (followed by its claim and reason
 * when it has them), or the name of an error without a code (`TypeError`).
 */
async function outcome(action: () => unknown): Promise<string> {
  try {
    await action()
  } catch (error) {
    const { code, claim, reason } = error as { code?: unknown; claim?: unknown; reason?: unknown }
    if (typeof code === 'string') return [code, claim, reason].filter((part) => part).join(' ')
    if (error instanceof Error) return error.name
    throw error
  }
  return ACCEPTED
}

/** The error a call throws, to look at its message; fails the test if it does not throw. */
async function thrown(action: () => unknown): Promise<Error & { code?: string }> {
  try {
    await action()
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('expected a rejection, but the call succeeded')
}

function joseSign(payload: string, header: jose.CompactJWSHeaderParameters): Promise<string> {
  return new jose.CompactSign(bytes(payload)).setProtectedHeader(header).sign(KEY)
}

function joseEncrypt(
  plaintext: Uint8Array | string,
  header: jose.CompactJWEHeaderParameters,
  key = OTHER_KEY,
): Promise<string> {
  const data = typeof plaintext === 'string' ? bytes(plaintext) : plaintext
  return new jose.CompactEncrypt(data).setProtectedHeader(header).encrypt(key)
}

const decodedHeader = (token: string): unknown =>
  JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8'))

// ---------------------------------------------------------------------------------------
// RFC 7515: JWS
// ---------------------------------------------------------------------------------------

describe('RFC 7515: JWS', () => {
  test('7515-2-1: an alg containing a colon names no algorithm here', async () => {
    const alg = 'urn:example:HS256'
    const token = jws(JSON.stringify({ alg }), 'x')
    expect(
      await Promise.all([
        outcome(() => src.verifyCompact(token, KEY)),
        outcome(() => src.verifyCompact(token, KEY, { algorithms: [alg] })),
        outcome(() => src.signCompact('x', KEY, { alg })),
        outcome(() => jose.compactVerify(token, KEY)),
        outcome(() => joseSign('x', { alg })),
      ]),
    ).toEqual([
      'ERR_JOSE_ALG_NOT_ALLOWED',
      'TypeError',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
    ])
  })

  test('7515-2-2, 7515-5.1-1, 7515-5.1-5, 7515-7.1-1: a signed token is header.payload.MAC, rebuilt here with node:crypto', async () => {
    await fc.assert(
      fc.asyncProperty(arb.payloadBytes(200), arb.hmacKey(32), async (payload, key) => {
        const header = b64u('{"alg":"HS256"}')
        const body = b64u(payload)
        const mac = b64u(createHmac('sha256', key).update(`${header}.${body}`, 'ascii').digest())
        const expected = `${header}.${body}.${mac}`
        expect(expected).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{43}$/)
        expect(src.signCompact(payload, key)).toBe(expected)
        expect(
          await new jose.CompactSign(payload).setProtectedHeader({ alg: 'HS256' }).sign(key),
        ).toBe(expected)
      }),
    )
  })

  test('7515-4-1, 7516-4-1, 7519-4-1: a duplicate member name is refused by src and kept last by jose', async () => {
    const header = jws('{"alg":"none","alg":"HS256"}', 'x')
    expect(await outcome(() => src.verifyCompact(header, KEY))).toBe('ERR_JWS_INVALID')
    expect((await jose.compactVerify(header, KEY, HS256)).protectedHeader.alg).toBe('HS256')

    const encrypted = jwe('{"alg":"dir","enc":"A128GCM","enc":"A256GCM"}', 'x')
    expect(await outcome(() => src.decryptCompact(encrypted, OTHER_KEY))).toBe('ERR_JWE_INVALID')
    const decrypted = await jose.compactDecrypt(encrypted, OTHER_KEY, DIR_A256GCM)
    expect(decrypted.protectedHeader.enc).toBe('A256GCM')

    const claims = jws('{"alg":"HS256"}', '{"sub":"alice","sub":"admin"}')
    expect(await outcome(() => src.verifyJwt(claims, KEY))).toBe('ERR_JWT_INVALID')
    expect((await jose.jwtVerify(claims, KEY, HS256)).payload.sub).toBe('admin')
  })

  test('7515-4-2, 7515-4-3: header parameters that are not used, or not defined, change nothing', async () => {
    const header = {
      alg: 'HS256',
      jku: 'https://attacker.example/keys.json',
      jwk: { kty: 'oct', k: b64u(OTHER_KEY) },
      kid: 'k-2026',
      x5u: 'https://attacker.example/cert.pem',
      x5c: ['MIIB'],
      x5t: 'AAAA',
      typ: 'example+jwt',
      cty: 'text/plain',
      'x-extension': [1, { nested: null }],
    }
    const token = jws(JSON.stringify(header), 'hello')
    const fromSrc = src.verifyCompact(token, KEY)
    const fromJose = await jose.compactVerify(token, KEY, HS256)
    expect([text(fromSrc.payload), fromSrc.protectedHeader]).toEqual(['hello', header])
    expect([text(fromJose.payload), fromJose.protectedHeader]).toEqual(['hello', header])
  })

  test('7515-4.1.1-1, 7516-4.1.1-1, 7516-4.1.2-1: a missing alg or enc is malformed', async () => {
    const noAlg = jws('{"typ":"JWT"}', 'x')
    const jweNoAlg = jwe('{"enc":"A256GCM"}', 'x')
    const jweNoEnc = jwe('{"alg":"dir"}', 'x')
    expect(
      await Promise.all([
        outcome(() => src.verifyCompact(noAlg, KEY)),
        outcome(() => jose.compactVerify(noAlg, KEY, HS256)),
        outcome(() => src.signCompact('x', KEY, { typ: 'JWT' } as unknown as src.JWSHeader)),
        outcome(() => joseSign('x', { typ: 'JWT' } as jose.CompactJWSHeaderParameters)),
        outcome(() => src.decryptCompact(jweNoAlg, OTHER_KEY)),
        outcome(() => jose.compactDecrypt(jweNoAlg, OTHER_KEY, DIR_A256GCM)),
        outcome(() => src.decryptCompact(jweNoEnc, OTHER_KEY)),
        outcome(() => jose.compactDecrypt(jweNoEnc, OTHER_KEY, DIR_A256GCM)),
      ]),
    ).toEqual([
      'ERR_JWS_INVALID',
      'ERR_JWS_INVALID',
      'ERR_JWS_INVALID',
      'ERR_JWS_INVALID',
      'ERR_JWE_INVALID',
      'ERR_JWE_INVALID',
      'ERR_JWE_INVALID',
      'ERR_JWE_INVALID',
    ])
  })

  test.each(['hs256', 'Hs256', 'HS256 ', ' HS256', 'HS-256', 'HS256\u0000', 'ＨＳ256'])(
    '7515-4.1.1-2: alg is matched exactly against the supported names (%j)',
    async (alg) => {
      const token = jws(JSON.stringify({ alg }), 'x')
      expect(
        await Promise.all([
          outcome(() => src.verifyCompact(token, KEY)),
          outcome(() => src.verifyCompact(token, KEY, { algorithms: [alg] })),
          outcome(() => jose.compactVerify(token, KEY)),
          outcome(() => jose.compactVerify(token, KEY, HS256)),
        ]),
      ).toEqual([
        'ERR_JOSE_ALG_NOT_ALLOWED',
        'TypeError',
        'ERR_JOSE_NOT_SUPPORTED',
        'ERR_JOSE_ALG_NOT_ALLOWED',
      ])
    },
  )

  test('7515-4.1.4-1, 7516-4.1.6-1: a kid that is not a string is carried, unchecked, by both', async () => {
    for (const kid of [5, { $ne: '' }, ['k1'], null, true]) {
      const token = jws(JSON.stringify({ alg: 'HS256', kid }), 'x')
      expect(src.verifyCompact(token, KEY).protectedHeader.kid).toEqual(kid)
      expect((await jose.compactVerify(token, KEY, HS256)).protectedHeader.kid).toEqual(kid)
      const sealed = jwe(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid }), 'x')
      expect(src.decryptCompact(sealed, OTHER_KEY).protectedHeader.kid).toEqual(kid)
      expect(
        (await jose.compactDecrypt(sealed, OTHER_KEY, DIR_A256GCM)).protectedHeader.kid,
      ).toEqual(kid)
    }
    // And a producer writes one, when the caller's types do not stop it.
    const header = { alg: 'HS256', kid: 5 } as unknown as src.JWSHeader
    expect(decodedHeader(src.signCompact('x', KEY, header))).toEqual({ alg: 'HS256', kid: 5 })
  })

  test('7515-4.1.11-1, 7515-5.2-5, 7516-4.1.13-1, 7516-5.2-5, 7519-7.2-5: an extension listed in crit is refused', async () => {
    const signed = jws('{"alg":"HS256","crit":["x-ext"],"x-ext":1}', '{}')
    const sealed = jwe('{"alg":"dir","enc":"A256GCM","crit":["x-ext"],"x-ext":1}', '{}')
    const malformed = jws('{"alg":"HS256","crit":"x-ext","x-ext":1}', '{}')
    expect(
      await Promise.all([
        outcome(() => src.verifyCompact(signed, KEY)),
        outcome(() => src.verifyJwt(signed, KEY)),
        outcome(() => jose.compactVerify(signed, KEY, HS256)),
        outcome(() => jose.jwtVerify(signed, KEY, HS256)),
        outcome(() => src.decryptCompact(sealed, OTHER_KEY)),
        outcome(() => src.decryptJwt(sealed, OTHER_KEY)),
        outcome(() => jose.compactDecrypt(sealed, OTHER_KEY, DIR_A256GCM)),
        outcome(() => src.verifyCompact(malformed, KEY)),
        outcome(() => jose.compactVerify(malformed, KEY, HS256)),
      ]),
    ).toEqual([
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JWS_INVALID',
      'ERR_JWS_INVALID',
    ])
  })

  test('7515-4.1.11-2, 7515-4.1.11-3, 7516-4.1.13-2: a producer writes no crit naming a registered parameter and no empty crit', async () => {
    const dir = { alg: 'dir', enc: 'A256GCM' }
    expect(
      await Promise.all([
        outcome(() => src.signCompact('x', KEY, { alg: 'HS256', crit: ['alg'] })),
        outcome(() => joseSign('x', { alg: 'HS256', crit: ['alg'] })),
        outcome(() => src.signCompact('x', KEY, { alg: 'HS256', crit: [] })),
        outcome(() => joseSign('x', { alg: 'HS256', crit: [] })),
        outcome(() => src.encryptCompact('x', OTHER_KEY, { ...dir, crit: ['enc'] })),
        outcome(() => joseEncrypt('x', { ...dir, crit: ['enc'] })),
        outcome(() => src.encryptCompact('x', OTHER_KEY, { ...dir, crit: [] })),
        outcome(() => joseEncrypt('x', { ...dir, crit: [] })),
      ]),
    ).toEqual([
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JWS_INVALID',
      'ERR_JWS_INVALID',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JWE_INVALID',
      'ERR_JWE_INVALID',
    ])
  })

  test('7515-5.2-1, 7516-5.2-1, 7519-7.2-1: a compact token has exactly 3 or 5 segments', async () => {
    for (const count of [1, 2, 4, 6]) {
      const token = Array.from({ length: count }, () => 'e30').join('.')
      expect(await outcome(() => src.verifyJwt(token, KEY))).toBe('ERR_JWS_INVALID')
      expect(await outcome(() => jose.jwtVerify(token, KEY, HS256))).toBe('ERR_JWS_INVALID')
    }
    for (const count of [1, 2, 4, 6]) {
      const token = Array.from({ length: count }, () => 'e30').join('.')
      expect(await outcome(() => src.decryptJwt(token, OTHER_KEY))).toBe('ERR_JWE_INVALID')
      expect(await outcome(() => jose.jwtDecrypt(token, OTHER_KEY, DIR_A256GCM))).toBe(
        'ERR_JWE_INVALID',
      )
    }
  })

  test('7515-5.2-2: a re-spelled header part is refused by both, with different codes', async () => {
    // 22 bytes of header: 30 characters, so padding is due and 4 bits are unused.
    const token = jws('{"alg":"HS256","ab":1}', 'hello')
    for (const respell of [padded, whitespace, spareBits]) {
      const respelled = withSegment(token, 0, respell)
      expect(await outcome(() => src.verifyCompact(respelled, KEY))).toBe('ERR_JWS_INVALID')
      expect(await outcome(() => jose.compactVerify(respelled, KEY, HS256))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
    }
  })

  test('7515-5.2-3, 7516-5.2-3, 7519-7.2-3: the header is UTF-8 of a JSON object', async () => {
    const notUtf8 = (json: string): Uint8Array =>
      Buffer.concat([Buffer.from(json.slice(0, -2)), Buffer.from([0xff]), Buffer.from('"}')])
    const jwsHeaders = [
      notUtf8('{"alg":"HS256","x":"?"}'),
      bytes('[{"alg":"HS256"}]'),
      bytes('"HS256"'),
      bytes('{"alg":"HS256"} x'),
      bytes('{"alg":"HS256",}'),
    ]
    for (const header of jwsHeaders) {
      const token = forgeJws(b64u(header), b64u('x'), KEY)
      expect(await outcome(() => src.verifyJwt(token, KEY))).toBe('ERR_JWS_INVALID')
      expect(await outcome(() => jose.jwtVerify(token, KEY, HS256))).toBe('ERR_JWS_INVALID')
    }
    const jweHeaders = [notUtf8('{"alg":"dir","enc":"A256GCM","x":"?"}'), bytes('[1]')]
    for (const header of jweHeaders) {
      const token = forgeJwe(b64u(header), 'x', OTHER_KEY, IV)
      expect(await outcome(() => src.decryptJwt(token, OTHER_KEY))).toBe('ERR_JWE_INVALID')
      expect(await outcome(() => jose.jwtDecrypt(token, OTHER_KEY, DIR_A256GCM))).toBe(
        'ERR_JWE_INVALID',
      )
    }
  })

  test('7515-5.2-6: a padded payload part under a valid MAC', async () => {
    const token = forgeJws(b64u('{"alg":"HS256"}'), padded(b64u('hello')), KEY)
    expect(token.split('.')[1]).toBe('aGVsbG8=')
    expect(await outcome(() => src.verifyCompact(token, KEY))).toBe('ERR_JWS_INVALID')
    expect(text((await jose.compactVerify(token, KEY, HS256)).payload)).toBe('hello')
  })

  test('7515-5.2-7, 8725bis-3.14-1: only base64url characters and dots', async () => {
    const header = b64u('{"alg":"HS256"}')
    const token = forgeJws(header, b64u('{"sub":"alice"}'), KEY)
    // Spellings jose accepts: padding and whitespace inside the signature part.
    for (const respell of [padded, whitespace, (s: string) => `${s}\n`]) {
      const respelled = withSegment(token, 2, respell)
      expect(await outcome(() => src.verifyJwt(respelled, KEY))).toBe('ERR_JWS_INVALID')
      expect((await jose.jwtVerify(respelled, KEY, HS256)).payload).toEqual({ sub: 'alice' })
    }
    // Braces, quotes and other non-base64url characters are refused by both.
    const braces = forgeJws(header, '{"sub":"admin"}', KEY)
    const accented = forgeJws(header, 'é', KEY)
    const jsonSerialization = JSON.stringify({
      protected: header,
      payload: b64u('{"sub":"admin"}'),
      signature: token.split('.')[2],
    })
    for (const malformed of [braces, accented, jsonSerialization]) {
      expect(await outcome(() => src.verifyJwt(malformed, KEY))).toBe('ERR_JWS_INVALID')
      expect(await outcome(() => jose.jwtVerify(malformed, KEY, HS256))).toBe('ERR_JWS_INVALID')
    }
  })

  test('7515-5.2-8: the MAC is computed over the received header and payload segments', async () => {
    const vectors = JSON.parse(
      readFileSync(new URL('./vectors/published.json', import.meta.url), 'utf8'),
    ) as { jws: { source: string; k: string; compact: string; payloadUtf8: string }[] }
    const a1 = vectors.jws.find((vector) => vector.source === 'RFC 7515 Appendix A.1')
    if (a1 === undefined) throw new Error('RFC 7515 A.1 is missing from the vectors')
    const key = Buffer.from(a1.k, 'base64url')
    // Its header JSON holds CRLF and a space: only the received bytes give the published MAC.
    expect(text(src.verifyCompact(a1.compact, key).payload)).toBe(a1.payloadUtf8)
    expect(text((await jose.compactVerify(a1.compact, key, HS256)).payload)).toBe(a1.payloadUtf8)

    const spaced = jws('{ "alg" : "HS256" }', 'x')
    expect(text(src.verifyCompact(spaced, KEY).payload)).toBe('x')
    expect(text((await jose.compactVerify(spaced, KEY, HS256)).payload)).toBe('x')
    // The MAC of the re-serialised header, sent under the spaced one: refused by both.
    const reserialised = withSegment(
      spaced,
      2,
      () => jws('{"alg":"HS256"}', 'x').split('.')[2] as string,
    )
    expect(await outcome(() => src.verifyCompact(reserialised, KEY))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
    expect(await outcome(() => jose.compactVerify(reserialised, KEY, HS256))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
  })

  test("7515-5.2-10, 7516-5.2-19, 7519-7.2-11, 8725-3.1-1: the caller's allowlist, not the token, picks the algorithm", async () => {
    const key48 = new Uint8Array(48).fill(0x48)
    const hs384 = forgeJws(b64u('{"alg":"HS384"}'), b64u('{}'), key48, 'HS384')
    const key24 = new Uint8Array(24).fill(0x24)
    const a192 = forgeJwe(b64u('{"alg":"dir","enc":"A192GCM"}'), '{}', key24, IV)
    expect(
      await Promise.all([
        outcome(() => src.verifyJwt(hs384, key48)),
        outcome(() => src.verifyJwt(hs384, key48, { algorithms: ['HS384'] })),
        outcome(() => jose.jwtVerify(hs384, key48)),
        outcome(() => jose.jwtVerify(hs384, key48, HS256)),
        outcome(() => src.decryptJwt(a192, key24)),
        outcome(() => src.decryptJwt(a192, key24, { contentEncryptionAlgorithms: ['A192GCM'] })),
        outcome(() => jose.jwtDecrypt(a192, key24)),
        outcome(() => jose.jwtDecrypt(a192, key24, DIR_A256GCM)),
      ]),
    ).toEqual([
      'ERR_JOSE_ALG_NOT_ALLOWED',
      ACCEPTED,
      ACCEPTED,
      'ERR_JOSE_ALG_NOT_ALLOWED',
      // The default allows A256GCM only, and a 24-byte key can never serve it.
      'TypeError',
      ACCEPTED,
      ACCEPTED,
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ])
  })

  test('7515-5.3-1, 7515-5.3-2, 7519-7.3-1: strings compare unescaped, unnormalised and case-sensitively', async () => {
    const issuer = 'https://auth.example'
    const cases: [
      header: string,
      claims: string,
      options: src.JWTVerifyOptions,
      expected: string,
    ][] = [
      ['{"alg":"HS\\u0032\\u0035\\u0036"}', '{}', {}, ACCEPTED],
      ['{"alg":"HS256"}', '{"iss":"\\u0068ttps://auth.example"}', { issuer }, ACCEPTED],
      // é written as e + combining acute (NFD) is not é (NFC).
      [
        '{"alg":"HS256"}',
        '{"sub":"e\\u0301"}',
        { subject: 'é' },
        'ERR_JWT_CLAIM_VALIDATION_FAILED sub check_failed',
      ],
      [
        '{"alg":"HS256"}',
        '{"iss":"https://Auth.example"}',
        { issuer },
        'ERR_JWT_CLAIM_VALIDATION_FAILED iss check_failed',
      ],
      [
        '{"alg":"HS256"}',
        '{"aud":"API"}',
        { audience: 'api' },
        'ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed',
      ],
    ]
    for (const [header, claims, options, expected] of cases) {
      const token = jws(header, claims)
      expect(await outcome(() => src.verifyJwt(token, KEY, options))).toBe(expected)
      expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, ...options }))).toBe(
        expected,
      )
    }
  })

  test('7515-4.1.9-2, 7515-5.3-3, 7516-4.1.11-1: typ and cty compare as media types', async () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+JWT']) {
      const token = jws(JSON.stringify({ alg: 'HS256', typ }), '{}')
      for (const expected of ['at+jwt', 'application/AT+JWT']) {
        expect(await outcome(() => src.verifyJwt(token, KEY, { typ: expected }))).toBe(ACCEPTED)
        expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, typ: expected }))).toBe(
          ACCEPTED,
        )
      }
    }
    for (const [typ, expected] of [
      ['at+jwt', 'x/at+jwt'],
      ['at+jwt', 'at+jwt2'],
    ] as const) {
      const token = jws(JSON.stringify({ alg: 'HS256', typ }), '{}')
      const refused = 'ERR_JWT_CLAIM_VALIDATION_FAILED typ check_failed'
      expect(await outcome(() => src.verifyJwt(token, KEY, { typ: expected }))).toBe(refused)
      expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, typ: expected }))).toBe(
        refused,
      )
    }
    // The JWE header's typ, read by decryptJwt and jwtDecrypt.
    const sealed = jwe('{"alg":"dir","enc":"A256GCM","typ":"AT+JWT"}', '{}')
    expect(
      await outcome(() => src.decryptJwt(sealed, OTHER_KEY, { typ: 'application/at+jwt' })),
    ).toBe(ACCEPTED)
    expect(
      await outcome(() =>
        jose.jwtDecrypt(sealed, OTHER_KEY, { ...DIR_A256GCM, typ: 'application/at+jwt' }),
      ),
    ).toBe(ACCEPTED)
    // cty: read by the nested-JWT functions, src's and the adapter's.
    const inner = src.signJwt({ sub: 'alice' }, KEY)
    for (const [cty, expected] of [
      ['jwt', ACCEPTED],
      ['application/JWT', ACCEPTED],
      ['text/jwt', 'ERR_JWT_INVALID'],
    ] as const) {
      const token = jwe(JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty }), inner)
      expect(await outcome(() => src.decryptThenVerify(token, KEYS))).toBe(expected)
      expect(await outcome(() => reference.decryptThenVerify(token, KEYS))).toBe(expected)
    }
  })
})

// ---------------------------------------------------------------------------------------
// RFC 7516: JWE
// ---------------------------------------------------------------------------------------

describe('RFC 7516: JWE', () => {
  test('7516-4-2, 7516-4-3: JWE header parameters that are not used, or not defined, change nothing', async () => {
    const header = {
      alg: 'dir',
      enc: 'A256GCM',
      jku: 'https://attacker.example/keys.json',
      jwk: { kty: 'oct', k: b64u(KEY) },
      kid: 'k-2026',
      x5u: 'https://attacker.example/cert.pem',
      x5c: ['MIIB'],
      x5t: 'AAAA',
      typ: 'example+jwt',
      b64: false,
      'x-extension': [1],
    }
    const token = jwe(JSON.stringify(header), 'hello')
    const fromSrc = src.decryptCompact(token, OTHER_KEY)
    const fromJose = await jose.compactDecrypt(token, OTHER_KEY, DIR_A256GCM)
    expect([text(fromSrc.plaintext), fromSrc.protectedHeader]).toEqual(['hello', header])
    expect([text(fromJose.plaintext), fromJose.protectedHeader]).toEqual(['hello', header])
  })

  test('7516-4.1.1-2: dir is the only key management algorithm', async () => {
    const wrapped = await joseEncrypt('{}', { alg: 'A256KW', enc: 'A256GCM' })
    expect(
      await Promise.all([
        outcome(() => src.decryptCompact(wrapped, OTHER_KEY)),
        outcome(() => src.encryptCompact('{}', OTHER_KEY, { alg: 'A256KW', enc: 'A256GCM' })),
        outcome(() => jose.compactDecrypt(wrapped, OTHER_KEY)),
        outcome(() => jose.compactDecrypt(wrapped, OTHER_KEY, DIR_A256GCM)),
      ]),
    ).toEqual([
      'ERR_JOSE_ALG_NOT_ALLOWED',
      'ERR_JOSE_NOT_SUPPORTED',
      ACCEPTED,
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ])
  })

  test('7516-4.1.2-2: enc outside the allowlist is refused', async () => {
    const cbc = await joseEncrypt('{}', { alg: 'dir', enc: 'A128CBC-HS256' })
    const options = { contentEncryptionAlgorithms: ['A128CBC-HS256'] }
    expect(
      await Promise.all([
        outcome(() => src.decryptCompact(cbc, OTHER_KEY)),
        outcome(() => src.decryptCompact(cbc, OTHER_KEY, options)),
        outcome(() => jose.compactDecrypt(cbc, OTHER_KEY)),
        outcome(() => jose.compactDecrypt(cbc, OTHER_KEY, DIR_A256GCM)),
      ]),
    ).toEqual(['ERR_JOSE_ALG_NOT_ALLOWED', 'TypeError', ACCEPTED, 'ERR_JOSE_ALG_NOT_ALLOWED'])
  })

  test('7516-4.1.3-1, 7516-5.2-17, 8725-3.6-1, 8725bis-3.15-1: zip is never inflated by src; jose inflates up to a limit', async () => {
    const zip = { alg: 'dir', enc: 'A256GCM', zip: 'DEF' } as jose.CompactJWEHeaderParameters
    expect(await outcome(() => src.encryptCompact('x', OTHER_KEY, zip as src.JWEHeader))).toBe(
      'ERR_JOSE_NOT_SUPPORTED',
    )
    const small = await joseEncrypt(new Uint8Array(10_000), zip)
    expect(small.length).toBeLessThan(200)
    expect((await jose.compactDecrypt(small, OTHER_KEY)).plaintext.length).toBe(10_000)
    expect(await outcome(() => src.decryptCompact(small, OTHER_KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
    expect(
      await outcome(() => jose.compactDecrypt(small, OTHER_KEY, { maxDecompressedLength: 0 })),
    ).toBe('ERR_JOSE_NOT_SUPPORTED')
    // A forged "DEF" token is a forgery first, as in jose: the tag is checked before zip.
    const forged = withSegment(small, 4, (tag) =>
      tag.startsWith('A') ? `B${tag.slice(1)}` : `A${tag.slice(1)}`,
    )
    expect(await outcome(() => src.decryptCompact(forged, OTHER_KEY))).toBe(
      'ERR_JWE_DECRYPTION_FAILED',
    )
    // jose's default limit is 250,000 bytes of output.
    const atLimit = await joseEncrypt(new Uint8Array(250_000), zip)
    const overLimit = await joseEncrypt(new Uint8Array(250_001), zip)
    expect((await jose.compactDecrypt(atLimit, OTHER_KEY)).plaintext.length).toBe(250_000)
    expect(await outcome(() => jose.compactDecrypt(overLimit, OTHER_KEY))).toBe('ERR_JWE_INVALID')
  })

  test('7516-5.1-5, 7516-5.1-6, 7516-5.1-14, 7516-7.1-1: a dir token, rebuilt here with node:crypto', async () => {
    await fc.assert(
      fc.asyncProperty(
        arb.payloadBytes(200),
        arb.gcmEncAndKey(),
        async (plaintext, { enc, key }) => {
          const header = { alg: 'dir', enc }
          const tokens = [
            src.encryptCompact(plaintext, key, header),
            await new jose.CompactEncrypt(plaintext).setProtectedHeader(header).encrypt(key),
          ]
          for (const token of tokens) {
            const [protectedPart, encryptedKey, iv, ciphertext, tag, ...rest] = token.split('.')
            expect([protectedPart, encryptedKey, rest]).toEqual([
              b64u(JSON.stringify(header)),
              '',
              [],
            ])
            // The shared key is the CEK, and the AAD is the ASCII of the header part.
            const decipher = createDecipheriv(
              `aes-${key.length * 8}-gcm` as 'aes-256-gcm',
              key,
              Buffer.from(iv as string, 'base64url'),
              { authTagLength: 16 },
            )
            decipher.setAAD(Buffer.from(protectedPart as string, 'ascii'))
            decipher.setAuthTag(Buffer.from(tag as string, 'base64url'))
            const opened = Buffer.concat([
              decipher.update(Buffer.from(ciphertext as string, 'base64url')),
              decipher.final(),
            ])
            expect(new Uint8Array(opened)).toEqual(plaintext)
          }
        },
      ),
    )
  })

  test('7516-5.1-9: every token gets a fresh 96-bit IV', async () => {
    const ivs = new Set<string>()
    for (let i = 0; i < 200; i++) {
      ivs.add(src.encryptCompact('same', OTHER_KEY).split('.')[2] as string)
      ivs.add((await joseEncrypt('same', { alg: 'dir', enc: 'A256GCM' })).split('.')[2] as string)
    }
    expect(ivs.size).toBe(400)
    for (const iv of ivs) expect(Buffer.from(iv, 'base64url').length).toBe(12)
    // A pinned IV is honoured: that option is for published test vectors only.
    expect(src.encryptCompact('same', OTHER_KEY, undefined, { iv: IV }).split('.')[2]).toBe(
      b64u(IV),
    )
  })

  test('7516-5.2-2: re-spelled JWE parts', async () => {
    // A 5-byte plaintext and the 16-byte tag leave unused bits; the 12-byte IV does not.
    const token = jwe('{"alg":"dir","enc":"A256GCM"}', 'hello')
    const respellings: [index: number, respell: (segment: string) => string][] = [
      [2, whitespace],
      [3, padded],
      [3, whitespace],
      [3, spareBits],
      [4, padded],
      [4, whitespace],
      [4, spareBits],
    ]
    for (const [index, respell] of respellings) {
      const respelled = withSegment(token, index, respell)
      expect(await outcome(() => src.decryptCompact(respelled, OTHER_KEY))).toBe('ERR_JWE_INVALID')
      const fromJose = await jose.compactDecrypt(respelled, OTHER_KEY, DIR_A256GCM)
      expect(text(fromJose.plaintext)).toBe('hello')
    }
    const header = withSegment(token, 0, padded)
    expect(await outcome(() => src.decryptCompact(header, OTHER_KEY))).toBe('ERR_JWE_INVALID')
    expect(await outcome(() => jose.compactDecrypt(header, OTHER_KEY, DIR_A256GCM))).toBe(
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })

  test('7516-5.2-7, 7518-4.5-1, 7518-5.3-3: the dir key is the CEK, exactly the size enc needs', async () => {
    const token = jwe('{"alg":"dir","enc":"A256GCM"}', 'x')
    for (const length of [16, 31, 33]) {
      const key = new Uint8Array(length).fill(7)
      expect(await outcome(() => src.decryptCompact(token, key))).toBe('TypeError')
      expect(await outcome(() => src.encryptCompact('x', key))).toBe('TypeError')
      expect(await outcome(() => jose.compactDecrypt(token, key, DIR_A256GCM))).toBe(
        'ERR_JWE_INVALID',
      )
      expect(await outcome(() => joseEncrypt('x', { alg: 'dir', enc: 'A256GCM' }, key))).toBe(
        'ERR_JWE_INVALID',
      )
    }
    for (const [enc, length] of Object.entries(arb.GCM_KEY_BYTES)) {
      const key = new Uint8Array(length).fill(length)
      const sealed = src.encryptCompact('x', key, { alg: 'dir', enc })
      const options = { contentEncryptionAlgorithms: [enc] }
      expect(text(src.decryptCompact(sealed, key, options).plaintext)).toBe('x')
      expect(text((await jose.compactDecrypt(sealed, key, options)).plaintext)).toBe('x')
    }
  })

  test('7516-5.2-10, 7518-4.5-2: with dir the encrypted key part is empty', async () => {
    const token = withSegment(jwe('{"alg":"dir","enc":"A256GCM"}', 'x'), 1, () => 'AAAA')
    expect(await outcome(() => src.decryptCompact(token, OTHER_KEY))).toBe('ERR_JWE_INVALID')
    expect(await outcome(() => jose.compactDecrypt(token, OTHER_KEY, DIR_A256GCM))).toBe(
      'ERR_JWE_INVALID',
    )
  })

  test('7516-5.2-15: the AAD is the received header part', async () => {
    const spaced = jwe('{ "alg": "dir", "enc": "A256GCM" }', 'hello')
    expect(text(src.decryptCompact(spaced, OTHER_KEY).plaintext)).toBe('hello')
    expect(text((await jose.compactDecrypt(spaced, OTHER_KEY, DIR_A256GCM)).plaintext)).toBe(
      'hello',
    )
    const edited = withSegment(jwe('{"alg":"dir","enc":"A256GCM"}', 'hello'), 0, () =>
      b64u('{"alg":"dir","enc":"A256GCM","sub":"admin"}'),
    )
    expect(await outcome(() => src.decryptCompact(edited, OTHER_KEY))).toBe(
      'ERR_JWE_DECRYPTION_FAILED',
    )
    expect(await outcome(() => jose.compactDecrypt(edited, OTHER_KEY, DIR_A256GCM))).toBe(
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })

  test('7516-5.2-16, 7516-5.2-18: a changed bit releases no plaintext', async () => {
    const token = src.encryptCompact('{"role":"user"}', OTHER_KEY)
    const [h, k, iv, ciphertext, tag] = token.split('.') as [string, string, string, string, string]
    const sealed = Buffer.concat([
      Buffer.from(ciphertext, 'base64url'),
      Buffer.from(tag, 'base64url'),
    ])
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sealed.length * 8 - 1 }), async (bit) => {
        const changed = Buffer.from(sealed)
        changed[bit >> 3] = (changed[bit >> 3] as number) ^ (1 << (bit & 7))
        const cut = sealed.length - 16
        const forged = [h, k, iv, b64u(changed.subarray(0, cut)), b64u(changed.subarray(cut))].join(
          '.',
        )
        expect(await outcome(() => src.decryptJwt(forged, OTHER_KEY))).toBe(
          'ERR_JWE_DECRYPTION_FAILED',
        )
        expect(await outcome(() => jose.jwtDecrypt(forged, OTHER_KEY, DIR_A256GCM))).toBe(
          'ERR_JWE_DECRYPTION_FAILED',
        )
      }),
    )
  })
})

// ---------------------------------------------------------------------------------------
// RFC 7518: JWA
// ---------------------------------------------------------------------------------------

describe('RFC 7518: JWA', () => {
  test('7518-3.2-1: the HMAC key is at least as long as the hash', async () => {
    for (const [alg, length] of Object.entries(arb.HMAC_MIN_KEY_BYTES)) {
      const short = new Uint8Array(length - 1).fill(1)
      const enough = new Uint8Array(length).fill(1)
      const options = { algorithms: [alg] }
      expect(await outcome(() => src.signCompact('x', short, { alg }))).toBe('TypeError')
      expect(await outcome(() => src.verifyCompact('a.b.c', short, options))).toBe('TypeError')
      expect(await outcome(() => reference.signCompact('x', short, { alg }))).toBe('TypeError')
      const token = src.signCompact('x', enough, { alg })
      expect(text(src.verifyCompact(token, enough, options).payload)).toBe('x')
    }
    // Raw jose signs and verifies with one byte of key.
    const oneByte = new Uint8Array([1])
    const weak = await new jose.CompactSign(bytes('x'))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(oneByte)
    expect(text((await jose.compactVerify(weak, oneByte, HS256)).payload)).toBe('x')
    // A key that fits HS256 but not the HS512 the token names.
    const hs512 = forgeJws(b64u('{"alg":"HS512"}'), b64u('x'), KEY, 'HS512')
    const both = { algorithms: ['HS256', 'HS512'] }
    expect(await outcome(() => src.verifyCompact(hs512, KEY, both))).toBe('ERR_JWS_INVALID')
    expect(await outcome(() => jose.compactVerify(hs512, KEY, both))).toBe(ACCEPTED)
  })

  test('7518-3.2-2: a truncated MAC is refused', async () => {
    const token = src.signCompact('x', KEY)
    const mac = Buffer.from(token.split('.')[2] as string, 'base64url')
    for (const length of [0, 1, 16, 31]) {
      const truncated = withSegment(token, 2, () => b64u(mac.subarray(0, length)))
      expect(await outcome(() => src.verifyCompact(truncated, KEY))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
      expect(await outcome(() => jose.compactVerify(truncated, KEY, HS256))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
    }
  })

  test('7518-3.2-3: the MAC comparison is timingSafeEqual in src and WebCrypto verify in jose', async () => {
    // No timing is measured in unit tests: what is shown is which comparison runs.
    const hmacSource = readFileSync(new URL('../src/hmac.ts', import.meta.url), 'utf8')
    const region = readRegion(hmacSource, 'mac-compare')
    if (!('body' in region)) throw new Error(region.problem)
    const code = region.body
      .split('\n')
      .filter((line) => !line.trim().startsWith('*') && !line.trim().startsWith('/'))
    expect(code.join('\n')).toMatch(/return timingSafeEqual\(expected, received\)/)
    const jwsSource = readFileSync(new URL('../src/jws.ts', import.meta.url), 'utf8')
    expect(jwsSource).toMatch(/!macEquals\(hmac\(algorithm, key, signingInput\), signature\)/)

    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify')
    try {
      await jose.compactVerify(src.signCompact('x', KEY), KEY, HS256)
      expect(verify).toHaveBeenCalledTimes(1)
      expect(verify.mock.calls[0]?.[0]).toMatchObject({ name: 'HMAC' })
    } finally {
      verify.mockRestore()
    }
  })

  test('7518-5.3-1: a 96-bit IV, exactly', async () => {
    for (const length of [1, 8, 11, 13, 16]) {
      const iv = new Uint8Array(length).fill(3)
      const token = forgeJwe(b64u('{"alg":"dir","enc":"A256GCM"}'), 'x', OTHER_KEY, iv)
      expect(await outcome(() => src.decryptCompact(token, OTHER_KEY))).toBe('ERR_JWE_INVALID')
      expect(await outcome(() => jose.compactDecrypt(token, OTHER_KEY, DIR_A256GCM))).toBe(
        'ERR_JWE_INVALID',
      )
      expect(await outcome(() => src.encryptCompact('x', OTHER_KEY, undefined, { iv }))).toBe(
        'TypeError',
      )
    }
  })

  test('7518-5.3-2: a 128-bit tag, exactly', async () => {
    const token = jwe('{"alg":"dir","enc":"A256GCM"}', 'x')
    const tag = Buffer.from(token.split('.')[4] as string, 'base64url')
    for (const changed of [
      tag.subarray(0, 4),
      tag.subarray(0, 12),
      tag.subarray(0, 15),
      Buffer.concat([tag, Buffer.from([0])]),
    ]) {
      const forged = withSegment(token, 4, () => b64u(changed))
      expect(await outcome(() => src.decryptCompact(forged, OTHER_KEY))).toBe('ERR_JWE_INVALID')
      expect(await outcome(() => jose.compactDecrypt(forged, OTHER_KEY, DIR_A256GCM))).toBe(
        'ERR_JWE_INVALID',
      )
    }
  })
})

// ---------------------------------------------------------------------------------------
// RFC 7519: JWT
// ---------------------------------------------------------------------------------------

describe('RFC 7519: JWT', () => {
  const NOW = 1_800_000_000
  const at = (seconds: number): Date => new Date(seconds * 1000)

  test('7519-4.1-1: registered claims of the wrong type', async () => {
    const cases: [claims: string, claim: string][] = [
      ['{"sub":5}', 'sub'],
      ['{"iss":{"x":1}}', 'iss'],
      ['{"jti":true}', 'jti'],
      ['{"aud":[1,"api"]}', 'aud'],
      ['{"aud":{"a":1}}', 'aud'],
    ]
    for (const [claims, claim] of cases) {
      const token = jws('{"alg":"HS256"}', claims)
      expect(await outcome(() => src.verifyJwt(token, KEY))).toBe(
        `ERR_JWT_CLAIM_VALIDATION_FAILED ${claim} invalid`,
      )
      expect(await outcome(() => jose.jwtVerify(token, KEY, HS256))).toBe(ACCEPTED)
    }
  })

  test('7519-4.1-2: a colon in iss does not make it a URI, for either', async () => {
    const issuer = 'not a uri: at all'
    const token = jws('{"alg":"HS256"}', JSON.stringify({ iss: issuer }))
    expect(await outcome(() => src.verifyJwt(token, KEY, { issuer }))).toBe(ACCEPTED)
    expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, issuer }))).toBe(ACCEPTED)
  })

  test("7519-4.1.2-1: subject is compared exactly: uniqueness is the issuer's", async () => {
    const fromA = jws('{"alg":"HS256"}', '{"iss":"https://a.example","sub":"user-1"}')
    const fromB = jws('{"alg":"HS256"}', '{"iss":"https://b.example","sub":"user-1"}')
    const subject = { subject: 'user-1' }
    const pair = { subject: 'user-1', issuer: 'https://a.example' }
    for (const [token, options, expected] of [
      [fromA, subject, ACCEPTED],
      [fromB, subject, ACCEPTED],
      [fromA, pair, ACCEPTED],
      [fromB, pair, 'ERR_JWT_CLAIM_VALIDATION_FAILED iss check_failed'],
    ] as const) {
      expect(await outcome(() => src.verifyJwt(token, KEY, options))).toBe(expected)
      expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, ...options }))).toBe(
        expected,
      )
    }
  })

  test('7519-4.1.3-1: aud must name the recipient', async () => {
    const cases: [aud: unknown, audience: string | string[], expected: string][] = [
      ['api', 'api', ACCEPTED],
      [['billing', 'api'], 'api', ACCEPTED],
      ['api', ['admin', 'api'], ACCEPTED],
      ['billing', 'api', 'ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed'],
      [['billing'], ['api', 'admin'], 'ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed'],
      [[], 'api', 'ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed'],
    ]
    for (const [aud, audience, expected] of cases) {
      const token = jws('{"alg":"HS256"}', JSON.stringify({ aud }))
      expect(await outcome(() => src.verifyJwt(token, KEY, { audience }))).toBe(expected)
      expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, audience }))).toBe(expected)
    }
  })

  test('7519-4.1.3-2: without audience, a token for another service passes', async () => {
    const token = jws('{"alg":"HS256"}', '{"aud":"https://billing.example"}')
    expect(await outcome(() => src.verifyJwt(token, KEY))).toBe(ACCEPTED)
    expect(await outcome(() => jose.jwtVerify(token, KEY, HS256))).toBe(ACCEPTED)
  })

  test('7519-4.1.4-1, 7519-4.1.5-1: valid from nbf inclusive to exp exclusive', async () => {
    const token = jws('{"alg":"HS256"}', JSON.stringify({ nbf: NOW, exp: NOW + 60 }))
    const cases: [now: number, tolerance: number, expected: string][] = [
      [NOW - 1, 0, 'ERR_JWT_CLAIM_VALIDATION_FAILED nbf check_failed'],
      [NOW - 1, 1, ACCEPTED],
      [NOW, 0, ACCEPTED],
      [NOW + 59, 0, ACCEPTED],
      [NOW + 60, 0, 'ERR_JWT_EXPIRED exp check_failed'],
      [NOW + 60, 1, ACCEPTED],
    ]
    for (const [now, clockTolerance, expected] of cases) {
      const options = { currentDate: at(now), clockTolerance }
      expect(await outcome(() => src.verifyJwt(token, KEY, options))).toBe(expected)
      expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, ...options }))).toBe(
        expected,
      )
    }
  })

  test('7519-4.1.4-2, 7519-4.1.5-2, 7519-4.1.6-1: exp, nbf and iat are finite numbers', async () => {
    for (const claim of ['exp', 'nbf', 'iat']) {
      const string = jws('{"alg":"HS256"}', `{"${claim}":"1"}`)
      const invalid = `ERR_JWT_CLAIM_VALIDATION_FAILED ${claim} invalid`
      expect(await outcome(() => src.verifyJwt(string, KEY))).toBe(invalid)
      expect(await outcome(() => jose.jwtVerify(string, KEY, HS256))).toBe(invalid)
      // 1e400 parses to Infinity: a number to jose, never a NumericDate to src.
      const infinite = jws(
        '{"alg":"HS256"}',
        `{"${claim}":${claim === 'exp' ? '1e400' : '-1e400'}}`,
      )
      expect(await outcome(() => src.verifyJwt(infinite, KEY))).toBe(invalid)
      expect(await outcome(() => jose.jwtVerify(infinite, KEY, HS256))).toBe(ACCEPTED)
    }
  })

  test('7519-4.1.7-1: jwtId is written as given: the caller draws it', async () => {
    const fromSrc = src.signJwt({}, KEY, { jwtId: 'same' })
    const fromJose = await new jose.SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setJti('same')
      .sign(KEY)
    expect(src.verifyJwt(fromSrc, KEY).payload.jti).toBe('same')
    expect((await jose.jwtVerify(fromJose, KEY, HS256)).payload.jti).toBe('same')
    expect(src.signJwt({}, KEY, { jwtId: 'same' })).toBe(fromSrc)
  })

  test('7519-5.2-1: a plain JWT carries no cty', async () => {
    expect(decodedHeader(src.signJwt({}, KEY))).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(decodedHeader(src.encryptJwt({}, OTHER_KEY))).toEqual({ alg: 'dir', enc: 'A256GCM' })
    const fromJose = await new jose.SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(KEY)
    expect(decodedHeader(fromJose)).toEqual({ alg: 'HS256' })
    for (const impl of [src, reference]) {
      const jwsHeader = { header: { alg: 'HS256', cty: 'JWT' } }
      const jweHeader = { header: { alg: 'dir', enc: 'A256GCM', cty: 'JWT' } }
      expect(await outcome(() => impl.signJwt({}, KEY, jwsHeader))).toBe('TypeError')
      expect(await outcome(() => impl.encryptJwt({}, OTHER_KEY, jweHeader))).toBe('TypeError')
    }
  })

  test('7519-5.2-2, 7519-5.2-3, 7519-7.1-5: a nested JWT says cty JWT on the outer header', async () => {
    const token = src.signThenEncrypt({ sub: 'alice' }, KEYS)
    expect(decodedHeader(token)).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
    const inner = text((await jose.compactDecrypt(token, OTHER_KEY, DIR_A256GCM)).plaintext)
    expect((await jose.jwtVerify(inner, KEY, HS256)).payload).toEqual({ sub: 'alice' })

    const noCty = { encryptionHeader: { alg: 'dir', enc: 'A256GCM' } }
    const unannounced = jwe('{"alg":"dir","enc":"A256GCM"}', inner)
    for (const impl of [src, reference]) {
      expect(await outcome(() => impl.signThenEncrypt({}, KEYS, noCty))).toBe('TypeError')
      expect(await outcome(() => impl.decryptThenVerify(unannounced, KEYS))).toBe('ERR_JWT_INVALID')
    }
    // Raw jose has no nested function: its building blocks read the unannounced token.
    const opened = text((await jose.compactDecrypt(unannounced, OTHER_KEY, DIR_A256GCM)).plaintext)
    expect((await jose.jwtVerify(opened, KEY, HS256)).payload).toEqual({ sub: 'alice' })
  })

  test('7519-7.1-2: the payload is the UTF-8 of the claims JSON', async () => {
    const claims = { name: 'Zoë 🗝', n: 1 }
    const utf8 = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')
    const fromJose = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(KEY)
    expect(src.signJwt(claims, KEY).split('.')[1]).toBe(utf8)
    expect(fromJose.split('.')[1]).toBe(utf8)
    // A lone surrogate has no UTF-8: src refuses; jose writes it as an escape.
    expect(await outcome(() => src.signJwt({ n: '\ud800' }, KEY))).toBe('TypeError')
    const escaped = await new jose.SignJWT({ n: '\ud800' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(KEY)
    expect(Buffer.from(escaped.split('.')[1] as string, 'base64url').toString()).toBe(
      '{"n":"\\ud800"}',
    )
  })

  test('7519-7.1-3: signJwt and encryptJwt are signCompact and encryptCompact of the claims', async () => {
    const claims = { sub: 'alice', n: [1, 2] }
    const json = JSON.stringify(claims)
    const header = { alg: 'HS256', typ: 'JWT' }
    expect(src.signJwt(claims, KEY)).toBe(src.signCompact(json, KEY, header))
    expect(src.encryptJwt(claims, OTHER_KEY, { iv: IV })).toBe(
      src.encryptCompact(json, OTHER_KEY, { alg: 'dir', enc: 'A256GCM' }, { iv: IV }),
    )
    expect(await new jose.SignJWT(claims).setProtectedHeader(header).sign(KEY)).toBe(
      await joseSign(json, header),
    )
  })

  test('7519-7.2-6, 8725bis-3.3-1: a JWE given to verifyJwt, or a JWS to decryptJwt, is refused by name', async () => {
    const encrypted = src.encryptJwt({ sub: 'admin' }, KEY)
    const signed = src.signJwt({ sub: 'admin' }, KEY)
    for (const verify of [
      () => src.verifyJwt(encrypted, KEY),
      () => src.verifyCompact(encrypted, KEY),
    ]) {
      const error = await thrown(verify)
      expect(error.code).toBe('ERR_JWS_INVALID')
      expect(error.message).toMatch(/has 5, the shape of a JWE: decrypt it \(decryptJwt/)
    }
    for (const decrypt of [
      () => src.decryptJwt(signed, KEY),
      () => src.decryptThenVerify(signed, { signingKey: KEY, encryptionKey: KEY }),
      () => src.decryptCompact(signed, KEY),
    ]) {
      const error = await thrown(decrypt)
      expect(error.code).toBe('ERR_JWE_INVALID')
      expect(error.message).toMatch(/has 3, the shape of a JWS: verify it \(verifyJwt/)
    }
    expect(await outcome(() => jose.jwtVerify(encrypted, KEY, HS256))).toBe('ERR_JWS_INVALID')
    expect(await outcome(() => jose.jwtDecrypt(signed, KEY, DIR_A256GCM))).toBe('ERR_JWE_INVALID')
    expect(await outcome(() => reference.verifyJwt(encrypted, KEY))).toBe('ERR_JWS_INVALID')
    expect(await outcome(() => reference.decryptJwt(signed, KEY))).toBe('ERR_JWE_INVALID')
  })

  test('7519-7.2-7, 7519-7.2-12: the JWT functions refuse what the compact functions refuse', async () => {
    const forgedMac = jws('{"alg":"HS256"}', '{}', OTHER_KEY)
    const sealed = src.encryptJwt({}, OTHER_KEY)
    const forgedTag = withSegment(sealed, 4, (tag) =>
      tag.startsWith('A') ? `B${tag.slice(1)}` : `A${tag.slice(1)}`,
    )
    expect(
      await Promise.all([
        outcome(() => src.verifyCompact(forgedMac, KEY)),
        outcome(() => src.verifyJwt(forgedMac, KEY)),
        outcome(() => jose.compactVerify(forgedMac, KEY, HS256)),
        outcome(() => jose.jwtVerify(forgedMac, KEY, HS256)),
        outcome(() => src.decryptCompact(forgedTag, OTHER_KEY)),
        outcome(() => src.decryptJwt(forgedTag, OTHER_KEY)),
        outcome(() => jose.compactDecrypt(forgedTag, OTHER_KEY, DIR_A256GCM)),
        outcome(() => jose.jwtDecrypt(forgedTag, OTHER_KEY, DIR_A256GCM)),
      ]),
    ).toEqual([
      ...Array(4).fill('ERR_JWS_SIGNATURE_VERIFICATION_FAILED'),
      ...Array(4).fill('ERR_JWE_DECRYPTION_FAILED'),
    ])
  })

  test('7519-7.2-8, 8725bis-3.3-2: cty JWT is never read as claims', async () => {
    for (const cty of ['JWT', 'jwt', 'application/jwt']) {
      const signed = jws(JSON.stringify({ alg: 'HS256', cty }), '{"sub":"admin"}')
      const sealed = jwe(JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty }), '{"sub":"admin"}')
      expect(
        await Promise.all([
          outcome(() => src.verifyJwt(signed, KEY)),
          outcome(() => reference.verifyJwt(signed, KEY)),
          outcome(() => jose.jwtVerify(signed, KEY, HS256)),
          outcome(() => src.verifyCompact(signed, KEY)),
          outcome(() => src.decryptJwt(sealed, OTHER_KEY)),
          outcome(() => reference.decryptJwt(sealed, OTHER_KEY)),
          outcome(() => jose.jwtDecrypt(sealed, OTHER_KEY, DIR_A256GCM)),
          // Bare claims are no JWS: the nested reader finds no inner token.
          outcome(() => src.decryptThenVerify(sealed, KEYS)),
          outcome(() => reference.decryptThenVerify(sealed, KEYS)),
        ]),
      ).toEqual([
        'ERR_JWT_INVALID',
        'ERR_JWT_INVALID',
        ACCEPTED,
        ACCEPTED,
        'ERR_JWT_INVALID',
        'ERR_JWT_INVALID',
        ACCEPTED,
        'ERR_JWS_INVALID',
        'ERR_JWS_INVALID',
      ])
    }
    // The real nested token is read through the inner JWS.
    const nested = src.signThenEncrypt({ sub: 'alice' }, KEYS)
    expect(src.decryptThenVerify(nested, KEYS).payload).toEqual({ sub: 'alice' })
    expect((await reference.decryptThenVerify(nested, KEYS)).payload).toEqual({ sub: 'alice' })
  })

  test('7519-7.2-10, 8725-3.7-1: the claims are UTF-8 of a JSON object', async () => {
    const payloads = [
      Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xff]), Buffer.from('"}')]),
      Buffer.from('{"sub":"a"}', 'utf16le'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"sub":"a"}', 'utf16le')]),
      Buffer.from('[{"sub":"a"}]'),
      Buffer.from('"a"'),
      Buffer.from(''),
    ]
    for (const payload of payloads) {
      const signed = forgeJws(b64u('{"alg":"HS256"}'), b64u(payload), KEY)
      expect(await outcome(() => src.verifyJwt(signed, KEY))).toBe('ERR_JWT_INVALID')
      expect(await outcome(() => jose.jwtVerify(signed, KEY, HS256))).toBe('ERR_JWT_INVALID')
      const sealed = forgeJwe(b64u('{"alg":"dir","enc":"A256GCM"}'), payload, OTHER_KEY, IV)
      expect(await outcome(() => src.decryptJwt(sealed, OTHER_KEY))).toBe('ERR_JWT_INVALID')
      expect(await outcome(() => jose.jwtDecrypt(sealed, OTHER_KEY, DIR_A256GCM))).toBe(
        'ERR_JWT_INVALID',
      )
    }
  })

  test('7519-11.2-1: sign, then encrypt: the inner token is a JWS', async () => {
    const token = src.signThenEncrypt({ sub: 'alice' }, KEYS)
    const inner = text((await jose.compactDecrypt(token, OTHER_KEY, DIR_A256GCM)).plaintext)
    expect(inner.split('.')).toHaveLength(3)
    expect((await jose.jwtVerify(inner, KEY, HS256)).payload).toEqual({ sub: 'alice' })
    // Encrypt-then-sign: a JWS whose payload is a JWE. The nested readers take no such token.
    const encrypted = src.encryptJwt({ sub: 'alice' }, OTHER_KEY)
    const outerSigned = src.signCompact(encrypted, KEY)
    expect(await outcome(() => src.decryptThenVerify(outerSigned, KEYS))).toBe('ERR_JWE_INVALID')
    expect(await outcome(() => reference.decryptThenVerify(outerSigned, KEYS))).toBe(
      'ERR_JWE_INVALID',
    )
    // Raw jose leaves the order to the caller: it signs a JWE as readily as anything.
    expect(
      text(
        (await jose.compactVerify(await joseSign(encrypted, { alg: 'HS256' }), KEY, HS256)).payload,
      ),
    ).toBe(encrypted)
  })
})

// ---------------------------------------------------------------------------------------
// RFC 7797: b64
// ---------------------------------------------------------------------------------------

describe('RFC 7797: b64', () => {
  test('7797-6-1: b64 is refused, with or without crit', async () => {
    const underCrit = forgeJws(b64u('{"alg":"HS256","b64":false,"crit":["b64"]}'), 'hello', KEY)
    const bare = jws('{"alg":"HS256","b64":false}', 'hello')
    expect(
      await Promise.all([
        outcome(() => src.verifyCompact(underCrit, KEY)),
        outcome(() => src.verifyCompact(bare, KEY)),
        outcome(() => src.signCompact('hello', KEY, { alg: 'HS256', b64: false, crit: ['b64'] })),
        outcome(() => src.signCompact('hello', KEY, { alg: 'HS256', b64: false })),
      ]),
    ).toEqual([
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JWS_INVALID',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JWS_INVALID',
    ])
    expect(text((await jose.compactVerify(underCrit, KEY, HS256)).payload)).toBe('hello')
    expect(text((await jose.compactVerify(bare, KEY, HS256)).payload)).toBe('hello')
    // jose writes b64: false without crit, and encodes the payload anyway.
    const written = await joseSign('hello', {
      alg: 'HS256',
      b64: false,
    } as jose.CompactJWSHeaderParameters)
    expect([decodedHeader(written), written.split('.')[1]]).toEqual([
      { alg: 'HS256', b64: false },
      'aGVsbG8',
    ])
  })
})

// ---------------------------------------------------------------------------------------
// RFC 8725 and draft-ietf-oauth-rfc8725bis
// ---------------------------------------------------------------------------------------

describe('RFC 8725 and its update', () => {
  const key64 = new Uint8Array(64).fill(0x64)

  test("8725-3.1-2: the header's alg is the algorithm used", async () => {
    const options = { algorithms: ['HS256', 'HS384'] }
    const header = b64u('{"alg":"HS384"}')
    const macdAs256 = forgeJws(header, b64u('x'), key64, 'HS256')
    const macdAs384 = forgeJws(header, b64u('x'), key64, 'HS384')
    const signature = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
    expect(await outcome(() => src.verifyCompact(macdAs256, key64, options))).toBe(signature)
    expect(await outcome(() => jose.compactVerify(macdAs256, key64, options))).toBe(signature)
    expect(await outcome(() => src.verifyCompact(macdAs384, key64, options))).toBe(ACCEPTED)
    expect(await outcome(() => jose.compactVerify(macdAs384, key64, options))).toBe(ACCEPTED)
  })

  test("8725-3.1-3: one key, one algorithm, is the caller's to keep", async () => {
    const options = { algorithms: ['HS256', 'HS512'] }
    for (const alg of ['HS256', 'HS512']) {
      const token = forgeJws(b64u(JSON.stringify({ alg })), b64u('{}'), key64, alg)
      expect(await outcome(() => src.verifyJwt(token, key64, options))).toBe(ACCEPTED)
      expect(await outcome(() => jose.jwtVerify(token, key64, options))).toBe(ACCEPTED)
    }
    const oneKey = { signingKey: KEY, encryptionKey: KEY }
    for (const impl of [src, reference]) {
      const token = await impl.signThenEncrypt({ sub: 'alice' }, oneKey)
      expect((await impl.decryptThenVerify(token, oneKey)).payload).toEqual({ sub: 'alice' })
    }
    const same = b64u(KEY)
    expect(
      await outcome(() => loadKeys({ JOSE_SIGNING_KEY: same, JOSE_ENCRYPTION_KEY: same })),
    ).toBe('ERR_CONFIG_REUSED_KEY')
  })

  test('8725-3.2-1, 8725-3.2-2: only current algorithms exist, and a second one can be allowed', async () => {
    expect(await outcome(() => src.verifyCompact('a.b.c', KEY, { algorithms: ['RS256'] }))).toBe(
      'TypeError',
    )
    expect(
      await outcome(() =>
        src.decryptCompact('a.b.c.d.e', KEY, { contentEncryptionAlgorithms: ['A128CBC-HS256'] }),
      ),
    ).toBe('TypeError')
    const hs256 = jws('{"alg":"HS256"}', '{}', key64)
    expect(await outcome(() => jose.jwtVerify(hs256, key64, { algorithms: ['RS256'] }))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
    const agile = { algorithms: ['HS256', 'HS512'] }
    const hs512 = forgeJws(b64u('{"alg":"HS512"}'), b64u('{}'), key64, 'HS512')
    for (const token of [hs256, hs512]) {
      expect(await outcome(() => src.verifyJwt(token, key64, agile))).toBe(ACCEPTED)
      expect(await outcome(() => jose.jwtVerify(token, key64, agile))).toBe(ACCEPTED)
    }
  })

  /** All 16 casings of "none". */
  const NONE_CASINGS = Array.from({ length: 16 }, (_, mask) =>
    [...'none'].map((char, i) => ((mask >> i) & 1 ? char.toUpperCase() : char)).join(''),
  )

  test('8725-3.2-3, 8725-3.2-4, 8725bis-3.1-1, 8725bis-3.2-1, 8725bis-3.2-2: every casing of none is refused, and none is never written', async () => {
    expect(new Set(NONE_CASINGS).size).toBe(16)
    const everyHmac = { algorithms: ['HS256', 'HS384', 'HS512'] }
    for (const alg of NONE_CASINGS) {
      const unsigned = `${b64u(JSON.stringify({ alg }))}.${b64u('{"sub":"admin"}')}.`
      expect(
        await Promise.all([
          outcome(() => src.verifyJwt(unsigned, KEY)),
          outcome(() => src.verifyJwt(unsigned, KEY, everyHmac)),
          outcome(() => src.verifyJwt(unsigned, KEY, { algorithms: [alg] })),
          outcome(() => src.signCompact('x', KEY, { alg })),
          outcome(() => jose.jwtVerify(unsigned, KEY)),
          outcome(() => jose.compactVerify(unsigned, KEY)),
          outcome(() => joseSign('x', { alg })),
          outcome(() => new jose.SignJWT({}).setProtectedHeader({ alg }).sign(KEY)),
        ]),
      ).toEqual([
        'ERR_JOSE_ALG_NOT_ALLOWED',
        'ERR_JOSE_ALG_NOT_ALLOWED',
        'TypeError',
        'ERR_JOSE_NOT_SUPPORTED',
        'ERR_JOSE_NOT_SUPPORTED',
        'ERR_JOSE_NOT_SUPPORTED',
        'ERR_JOSE_NOT_SUPPORTED',
        'ERR_JOSE_NOT_SUPPORTED',
      ])
    }
  })

  test('8725-3.3-1: both layers of a nested JWT are checked', async () => {
    const outer = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' }
    const wrongSigner = src.encryptCompact(
      src.signJwt({ sub: 'alice' }, OTHER_KEY),
      OTHER_KEY,
      outer,
    )
    const good = src.signThenEncrypt({ sub: 'alice' }, KEYS)
    const forgedTag = withSegment(good, 4, (tag) =>
      tag.startsWith('A') ? `B${tag.slice(1)}` : `A${tag.slice(1)}`,
    )
    const hs512Keys = { signingKey: key64, encryptionKey: OTHER_KEY }
    const hs512 = src.signThenEncrypt({}, hs512Keys, { header: { alg: 'HS512', typ: 'JWT' } })
    const expired = src.signThenEncrypt({}, KEYS, { expirationTime: 1 })
    for (const impl of [src, reference]) {
      expect(
        await Promise.all([
          outcome(() => impl.decryptThenVerify(wrongSigner, KEYS)),
          outcome(() => impl.decryptThenVerify(forgedTag, KEYS)),
          outcome(() => impl.decryptThenVerify(hs512, hs512Keys)),
          outcome(() => impl.decryptThenVerify(expired, KEYS)),
        ]),
      ).toEqual([
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        'ERR_JWE_DECRYPTION_FAILED',
        'ERR_JOSE_ALG_NOT_ALLOWED',
        'ERR_JWT_EXPIRED exp check_failed',
      ])
    }
  })

  test('8725-3.5-1: the key check is on length, not entropy', async () => {
    const lowEntropy = new Uint8Array(32).fill(0x61) // "aaaa…": long enough, and guessable
    expect(src.verifyJwt(src.signJwt({ sub: 'alice' }, lowEntropy), lowEntropy).payload.sub).toBe(
      'alice',
    )
    expect(await outcome(() => src.signJwt({}, bytes('signing-secret')))).toBe('TypeError')
    const passphrase = bytes('signing-secret')
    const weak = await new jose.SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(passphrase)
    expect(await outcome(() => jose.jwtVerify(weak, passphrase, HS256))).toBe(ACCEPTED)
  })

  test('8725-3.8-1, 8725-3.8-2: issuer and subject are checked only when given', async () => {
    const token = jws('{"alg":"HS256"}', '{"iss":"https://evil.example","sub":"admin"}')
    const cases: [options: src.JWTVerifyOptions, expected: string][] = [
      [{}, ACCEPTED],
      [{ issuer: 'https://auth.example' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED iss check_failed'],
      [{ subject: 'user-1' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED sub check_failed'],
    ]
    for (const [options, expected] of cases) {
      expect(await outcome(() => src.verifyJwt(token, KEY, options))).toBe(expected)
      expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, ...options }))).toBe(
        expected,
      )
    }
  })

  test('8725-3.9-1, 8725-3.9-2, 8725bis-3.9-1: with audience, a missing aud is refused as missing', async () => {
    const token = jws('{"alg":"HS256"}', '{"sub":"alice"}')
    const missing = 'ERR_JWT_CLAIM_VALIDATION_FAILED aud missing'
    expect(await outcome(() => src.verifyJwt(token, KEY, { audience: 'api' }))).toBe(missing)
    expect(await outcome(() => jose.jwtVerify(token, KEY, { ...HS256, audience: 'api' }))).toBe(
      missing,
    )
    // The issuer's side: the audience helper writes aud.
    expect(
      src.verifyJwt(src.signJwt({}, KEY, { audience: 'api' }), KEY, { audience: 'api' }).payload
        .aud,
    ).toBe('api')
  })

  describe('header URLs', () => {
    const realFetch = globalThis.fetch
    afterEach(() => {
      globalThis.fetch = realFetch
    })

    test('8725-3.10-1, 8725bis-3.10-3, 8725bis-3.10-4: a jku, x5u or jwk in the header is never fetched nor used', async () => {
      const fetched: unknown[] = []
      globalThis.fetch = ((input: unknown) => {
        fetched.push(input)
        return Promise.reject(new Error('no network in tests'))
      }) as typeof fetch
      const attackerKey = new Uint8Array(32).fill(0xa7)
      const header = JSON.stringify({
        alg: 'HS256',
        jku: 'http://127.0.0.1/keys.json',
        x5u: 'http://169.254.169.254/cert.pem',
        jwk: { kty: 'oct', k: b64u(attackerKey) },
      })
      const forged = jws(header, '{"sub":"admin"}', attackerKey)
      const genuine = jws(header, '{"sub":"alice"}')
      expect(
        await Promise.all([
          outcome(() => src.verifyJwt(forged, KEY)),
          outcome(() => jose.jwtVerify(forged, KEY, HS256)),
          outcome(() => src.verifyJwt(genuine, KEY)),
          outcome(() => jose.jwtVerify(genuine, KEY, HS256)),
        ]),
      ).toEqual([
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        ACCEPTED,
        ACCEPTED,
      ])
      expect(fetched).toEqual([])
    })
  })

  test('8725-3.11-3: in a nested JWT, typ is checked on the inner JWS', async () => {
    const typed = { header: { alg: 'HS256', typ: 'at+jwt' } }
    const outerOnly = {
      encryptionHeader: { alg: 'dir', enc: 'A256GCM', cty: 'JWT', typ: 'at+jwt' },
    }
    for (const impl of [src, reference]) {
      const inner = await impl.signThenEncrypt({ sub: 'alice' }, KEYS, typed)
      const outer = await impl.signThenEncrypt({ sub: 'alice' }, KEYS, outerOnly)
      expect(await outcome(() => impl.decryptThenVerify(inner, KEYS, { typ: 'at+jwt' }))).toBe(
        ACCEPTED,
      )
      expect(await outcome(() => impl.decryptThenVerify(outer, KEYS, { typ: 'at+jwt' }))).toBe(
        'ERR_JWT_CLAIM_VALIDATION_FAILED typ check_failed',
      )
    }
  })

  test('7515-4.1.9-1, 8725-3.11-1, 8725-3.11-2, 8725-3.12-1, 8725-3.12-2, 8725bis-3.11-1, 8725bis-3.11-2: typ JWT types nothing; a kind+jwt typ tells two kinds apart', async () => {
    const typCheck = 'ERR_JWT_CLAIM_VALIDATION_FAILED typ check_failed'
    for (const impl of [src, reference]) {
      const session = await impl.signJwt({ sub: 'alice' }, KEY, {
        header: { alg: 'HS256', typ: 'at+jwt' },
      })
      const shareLink = await impl.signJwt({ sub: 'alice' }, KEY, {
        header: { alg: 'HS256', typ: 'share+jwt' },
      })
      // Two kinds that both use the default header: typ "JWT" cannot tell them apart.
      const plainSession = await impl.signJwt({ sub: 'alice', kind: 'session' }, KEY)
      const plainLink = await impl.signJwt({ sub: 'alice', kind: 'link' }, KEY)
      // The producer writes typ as given: no "application/" prefix added.
      expect(decodedHeader(session)).toEqual({ alg: 'HS256', typ: 'at+jwt' })
      expect(
        await Promise.all([
          outcome(() => impl.verifyJwt(session, KEY, { typ: 'at+jwt' })),
          outcome(() => impl.verifyJwt(shareLink, KEY, { typ: 'at+jwt' })),
          outcome(() => impl.verifyJwt(plainSession, KEY, { typ: 'at+jwt' })),
          outcome(() => impl.verifyJwt(shareLink, KEY, { typ: 'share+jwt' })),
          outcome(() => impl.verifyJwt(session, KEY, { typ: 'share+jwt' })),
          outcome(() => impl.verifyJwt(plainSession, KEY, { typ: 'JWT' })),
          outcome(() => impl.verifyJwt(plainLink, KEY, { typ: 'JWT' })),
        ]),
      ).toEqual([ACCEPTED, typCheck, typCheck, ACCEPTED, typCheck, ACCEPTED, ACCEPTED])
    }
  })

  test('8725bis-3.10-1: claims come back as data, __proto__ included', async () => {
    const token = jws('{"alg":"HS256"}', '{"sub":"alice","__proto__":{"isAdmin":true}}')
    for (const payload of [
      src.verifyJwt(token, KEY).payload,
      (await jose.jwtVerify(token, KEY, HS256)).payload,
    ]) {
      expect(Object.hasOwn(payload, '__proto__')).toBe(true)
      expect(Object.getPrototypeOf(payload)).toBe(Object.prototype)
      expect((payload as { isAdmin?: unknown }).isAdmin).toBeUndefined()
      expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined()
    }
  })

  test('8725bis-3.10-2: kid comes back as data and picks no key', async () => {
    const header = '{"alg":"HS256","kid":"../../../dev/null"}'
    const genuine = jws(header, '{"sub":"alice"}')
    const emptyKeyForgery = jws(header, '{"sub":"admin"}', new Uint8Array(0))
    expect(src.verifyJwt(genuine, KEY).protectedHeader.kid).toBe('../../../dev/null')
    expect((await jose.jwtVerify(genuine, KEY, HS256)).protectedHeader.kid).toBe(
      '../../../dev/null',
    )
    expect(await outcome(() => src.verifyJwt(emptyKeyForgery, KEY))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
    expect(await outcome(() => jose.jwtVerify(emptyKeyForgery, KEY, HS256))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
  })
})

// ---------------------------------------------------------------------------------------
// The page itself
// ---------------------------------------------------------------------------------------

describe('docs/requirements.md', () => {
  const page = readFileSync(PAGE_URL, 'utf8')
  const rows = parseRows(page)
  const ids = rows.map((row) => row.id)
  const ownFile = 'test/requirements.test.ts'
  const root = new URL('../', import.meta.url)
  const titlesOf = new Map<string, string[]>()
  function titles(file: string): string[] {
    let found = titlesOf.get(file)
    if (found === undefined) {
      found = testTitles(readFileSync(new URL(file, root), 'utf8'))
      titlesOf.set(file, found)
    }
    return found
  }

  test('every row has a unique id, a known level and verdicts from the vocabulary', () => {
    expect(rows.length).toBeGreaterThan(100)
    const problems: string[] = []
    for (const row of rows) {
      const at = `line ${row.line} (${row.id})`
      if (!ROW_ID.test(row.id)) problems.push(`${at}: the id is not RFC-section-number`)
      if (![...KEYWORD_LEVELS, ...OTHER_LEVELS].includes(row.level))
        problems.push(`${at}: unknown level ${JSON.stringify(row.level)}`)
      if (row.applies === undefined) problems.push(`${at}: Applies is not yes, caller or no`)
      if (row.src === undefined) problems.push(`${at}: src/ verdict outside the vocabulary`)
      if (row.jose === undefined) problems.push(`${at}: jose verdict outside the vocabulary`)
      if (row.applies === 'yes' && row.src !== 'enforced' && row.src !== 'gap')
        problems.push(`${at}: a library row is enforced or a gap`)
      if (row.applies === 'caller' && !['default', 'documented', 'gap'].includes(String(row.src)))
        problems.push(`${at}: a caller row is default, documented or a gap`)
      if (row.applies === 'no') {
        if (!/^no: \S/.test(row.appliesText))
          problems.push(`${at}: a row that does not apply says why`)
        if (row.src !== 'n/a' || row.jose !== 'n/a' || row.proofText !== 'n/a')
          problems.push(`${at}: a row that does not apply has n/a verdicts and no proof`)
      }
    }
    expect(problems).toEqual([])
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
  })

  test('every row that applies names a test, and every named test exists in the named file', () => {
    const problems: string[] = []
    for (const row of rows) {
      if (row.applies === 'no') continue
      const at = `line ${row.line} (${row.id})`
      if (row.proofs.length === 0) problems.push(`${at}: no proof named`)
      for (const { file, title } of row.proofs) {
        if (!existsSync(new URL(file, root))) {
          problems.push(`${at}: no file ${file}`)
          continue
        }
        const declared = titles(file)
        // A test.each title is cited as it reads in the source, with its %s.
        if (!declared.includes(title)) problems.push(`${at}: no test "${title}" in ${file}`)
        if (file === ownFile && !titleIds(title).includes(row.id))
          problems.push(`${at}: "${title}" does not start with ${row.id}`)
      }
    }
    expect(problems).toEqual([])
  })

  test('every test here that names rows names existing rows, and each of them cites it', () => {
    const problems: string[] = []
    for (const title of titles(ownFile)) {
      for (const id of titleIds(title)) {
        const row = rows.find((candidate) => candidate.id === id)
        if (row === undefined) problems.push(`"${title}": no row ${id}`)
        else if (!row.proofs.some((proof) => proof.file === ownFile && proof.title === title))
          problems.push(`"${title}": row ${id} does not cite it`)
      }
    }
    expect(problems).toEqual([])
  })

  test('every gap is explained in the Gaps section', () => {
    const gaps = page.slice(page.indexOf('## Gaps'), page.indexOf('## Keeping the matrix true'))
    for (const row of rows.filter((candidate) => candidate.src === 'gap'))
      expect(gaps, row.id).toContain(`(#${row.id})`)
  })

  test('the summary is computed from the table (npx tsx test/requirements-matrix.ts --update)', () => {
    expect(summarySection(page)).toBe(renderSummary(rows))
  })

  test('the README, the divergence ledger and the docs index link to the matrix', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8')
    const refuses = readme.slice(readme.indexOf('## What it refuses'), readme.indexOf('## Layout'))
    expect(refuses).toContain('(docs/requirements.md)')
    expect(readFileSync(new URL('docs/divergences.md', root), 'utf8')).toContain(
      '(requirements.md)',
    )
    const index = readFileSync(new URL('docs/README.md', root), 'utf8')
    expect(index.slice(index.indexOf('## More'))).toContain('(requirements.md)')
  })
})
