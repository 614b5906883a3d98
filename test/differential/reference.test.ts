/**
 * src and the reference adapter (reference/index.ts, jose configured safely) write the
 * same bytes for the same input, and each reads what the other wrote. With each one's
 * own round trips (run on both in the subject files), that means a token from either
 * is a token for both. Where the two differ on purpose, docs/divergences.md says why and
 * divergences.test.ts pins each difference.
 */

import fc from 'fast-check'
import type { JWEHeader, JWSHeader, JWTPayload } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import * as arb from '../support/arbitraries.ts'
import { patternKey } from '../support/forge.ts'
import { reference, src } from '../support/implementations.ts'

/** The fixed clock: half a second past a whole second, so that flooring shows. */
const NOW = new Date('2030-01-01T00:00:00.500Z')
const signingKey = patternKey(32, 1)
const encryptionKey = patternKey(32, 101)
const keys = { signingKey, encryptionKey }
const encoder = new TextEncoder()

describe('src and the reference write the same bytes, and read each other', () => {
  // Same bytes plus each one's own round trip (above) means each reads the other's
  // tokens; the random-IV tokens below check that directly too.
  test('signCompact and encryptCompact (fixed IV) write the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        arb.hmacAlgAndKey(),
        arb.gcmEncAndKey(),
        arb.bytesUpTo(512),
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

  test.each(arb.GCM_ENCS)(
    '%s with a random IV: each decrypts what the other encrypted',
    async (enc) => {
      const key = patternKey(arb.GCM_KEY_BYTES[enc], 33)
      const header = { alg: 'dir', enc }
      const options = { contentEncryptionAlgorithms: [enc] }
      const fromJose = await reference.encryptCompact('from the reference', key, header)
      expect((await src.decryptCompact(fromJose, key, options)).plaintext).toEqual(
        encoder.encode('from the reference'),
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
    // Durations stay within a Date's range, where both can write them.
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
      arb.identityClaims,
      fc.record({ exp: numericDate, nbf: numericDate, iat: numericDate }, { requiredKeys: [] }),
      arb.customClaims,
    )
    .map(([identity, times, custom]): JWTPayload => ({ ...identity, ...times, ...custom }))

  test('signJwt, encryptJwt and signThenEncrypt write the same bytes (fixed clock and IV)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arb.jwtKind,
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
