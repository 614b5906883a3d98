/**
 * Pitfall 10: lenient base64url defeats a revocation list keyed by the token string.
 * docs/pitfalls/lenient-base64url.md walks through the same bytes. jose's decoder is
 * lenient too (docs/divergences.md), so the attack works against raw jose as well.
 */

import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import {
  naiveAuthenticate,
  RevokedToken,
  respell,
  respellingArbitrary,
  revokedStaysRevokedProperty,
} from './lenient-base64url.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i)
const CLAIMS = { sub: 'alice', jti: 'session-42' }
const TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImp0aSI6InNlc3Npb24tNDIifQ.NjXzgla_qt1an19plowiZgL_PDwCDvc1jC2_pk_S-rI'
const SIGNING_INPUT = TOKEN.slice(0, TOKEN.lastIndexOf('.') + 1)

// Spellings of TOKEN that jose 6 verifies: one '=', the three other values of the two
// unused bits of the last character ('I' is 8 = 0b001000), and whitespace anywhere.
const JOSE_ACCEPTS: Record<string, string> = {
  'one =': `${TOKEN}=`,
  'spare bits 01': `${SIGNING_INPUT}NjXzgla_qt1an19plowiZgL_PDwCDvc1jC2_pk_S-rJ`,
  'spare bits 10': `${SIGNING_INPUT}NjXzgla_qt1an19plowiZgL_PDwCDvc1jC2_pk_S-rK`,
  'spare bits 11': `${SIGNING_INPUT}NjXzgla_qt1an19plowiZgL_PDwCDvc1jC2_pk_S-rL`,
  'trailing space': `${TOKEN} `,
  'trailing newline': `${TOKEN}\n`,
  'space inside': `${SIGNING_INPUT}NjXzgla_qt 1an19plowiZgL_PDwCDvc1jC2_pk_S-rI`,
}

const REVOKED: ReadonlySet<string> = new Set([TOKEN])
const NO_CHANGE = { spareBits: 0, padding: 0, whitespace: '', at: 0, standardAlphabet: false }

/** Raw jose behind the same string-keyed list: how most apps wire "logout". */
async function joseBehindStringList(token: string): Promise<unknown> {
  if (REVOKED.has(token)) throw new RevokedToken('token has been revoked')
  return (await jwtVerify(token, KEY, { algorithms: ['HS256'] })).payload
}

/** The fix: revoke the verified `jti`, which has one spelling, never the token string. */
const REVOKED_JTI: ReadonlySet<string> = new Set(['session-42'])
async function joseBehindJtiList(token: string): Promise<unknown> {
  const { payload } = await jwtVerify(token, KEY, { algorithms: ['HS256'] })
  if (typeof payload.jti !== 'string' || REVOKED_JTI.has(payload.jti))
    throw new RevokedToken('token has been revoked')
  return payload
}

describe('pitfall 10: a revocation list keyed by the token string', () => {
  test.each(implementations)('$name signs the fixed token', async (impl) => {
    expect(await impl.signJwt(CLAIMS, KEY, { header: { alg: 'HS256' } })).toBe(TOKEN)
  })

  test('the attack: one "=" gets a revoked token past the naive service', () => {
    expect(() => naiveAuthenticate(TOKEN, KEY, REVOKED)).toThrow(RevokedToken)
    expect(naiveAuthenticate(`${TOKEN}=`, KEY, REVOKED)).toEqual(CLAIMS)
    expect(naiveAuthenticate(JOSE_ACCEPTS['spare bits 01'] as string, KEY, REVOKED)).toEqual(CLAIMS)
  })

  test('fast-check finds a re-spelling that the naive service accepts', () => {
    // The property revocation needs: no other spelling of a revoked token gets in.
    const details = fc.check(revokedStaysRevokedProperty(TOKEN, KEY))
    expect(details.failed).toBe(true)
    const [how] = details.counterexample as [Parameters<typeof respell>[1]]
    const counterexample = respell(TOKEN, how)
    expect(counterexample).not.toBe(TOKEN)
    expect(naiveAuthenticate(counterexample, KEY, REVOKED)).toEqual(CLAIMS)
  })

  describe('raw jose: lenient too, so the same bypass works (docs/divergences.md)', () => {
    test.each(Object.entries(JOSE_ACCEPTS))('jose verifies the %s spelling', async (_, token) => {
      expect(token).not.toBe(TOKEN)
      expect(await joseBehindStringList(token)).toEqual(CLAIMS)
    })

    test('two "=" and the base64 alphabet are where jose draws the line', async () => {
      for (const token of [
        `${TOKEN}==`,
        respell(TOKEN, { ...NO_CHANGE, standardAlphabet: true }),
      ]) {
        expect(await codeOf(() => jwtVerify(token, KEY, { algorithms: ['HS256'] }))).toBe(
          'ERR_JWS_INVALID',
        )
      }
    })

    test('jose-by-hand/reference keeps jose parsing, so it accepts them as well', async () => {
      const jose = implementations.find((impl) => impl.name === 'reference')
      for (const token of Object.values(JOSE_ACCEPTS)) {
        expect((await jose?.verifyJwt(token, KEY))?.payload).toEqual(CLAIMS)
      }
    })

    test('the fix that works with any library: revoke the jti', async () => {
      for (const token of [TOKEN, ...Object.values(JOSE_ACCEPTS)]) {
        await expect(joseBehindJtiList(token)).rejects.toThrow(RevokedToken)
      }
    })
  })

  describe('src: only the canonical spelling verifies', () => {
    test.each(Object.entries(JOSE_ACCEPTS))(
      'the %s spelling is ERR_JWS_INVALID',
      async (_, token) => {
        expect(await codeOf(() => verifyJwt(token, KEY))).toBe('ERR_JWS_INVALID')
      },
    )

    test('every generated re-spelling is ERR_JWS_INVALID', async () => {
      await fc.assert(
        fc.asyncProperty(respellingArbitrary(), async (how) => {
          const token = respell(TOKEN, how)
          fc.pre(token !== TOKEN)
          expect(await codeOf(() => verifyJwt(token, KEY))).toBe('ERR_JWS_INVALID')
        }),
      )
    })
  })
})
