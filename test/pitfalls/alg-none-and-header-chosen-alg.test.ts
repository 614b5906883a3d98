/**
 * Pitfall 1: alg "none" and header-chosen algorithms.
 * Page: docs/pitfalls/alg-none-and-header-chosen-alg.md (every token it quotes is asserted here).
 */

import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf } from '../support/implementations.ts'
import {
  API_KEY,
  FORGED_CLAIMS,
  naiveVerifyBlockingNone,
  naiveVerifyTrustingHeader,
  unsignedToken,
  unsignedTokensAreRefused,
} from './alg-none-and-header-chosen-alg.ts'
import { show } from './show.ts'

const page = readFileSync(
  new URL('../../docs/pitfalls/alg-none-and-header-chosen-alg.md', import.meta.url),
  'utf8',
)

// The unsigned tokens the page shows, one per spelling of "none".
const UNSIGNED: Readonly<Record<string, string>> = {
  none: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.',
  None: 'eyJhbGciOiJOb25lIn0.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.',
  NONE: 'eyJhbGciOiJOT05FIn0.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.',
  nOnE: 'eyJhbGciOiJuT25FIn0.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.',
}
const SPELLINGS = Object.keys(UNSIGNED)

// What the document-signing service returns when Mallory submits her claims: HS512,
// under the very key the API uses for its HS256 access tokens.
const HS512_TOKEN =
  'eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.Etf-HDbB_0hVjmXru0I4i2_R-eMpQLW_fZNha8WhNWOnBCbrgvQtAZKV0PUXjXPbLsAE6VHIYEeSHitIKP2jAw'

/**
 * A second service that shares the API's key (the mistake of the deployment, not of
 * the code): it signs any JSON document a user submits, with HS512.
 */
function documentServiceSign(document: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS512' })).toString('base64url')
  const payload = Buffer.from(JSON.stringify(document)).toString('base64url')
  const mac = createHmac('sha512', API_KEY).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${mac}`
}

describe('the naive verifiers are broken', () => {
  test('alg "none": the header-trusting verifier accepts a token nobody signed', () => {
    expect(unsignedToken('none', FORGED_CLAIMS)).toBe(UNSIGNED.none)
    expect(naiveVerifyTrustingHeader(UNSIGNED.none as string, API_KEY).claims).toEqual({
      sub: 'mallory',
      role: 'admin',
    })
  })

  test('fast-check finds a spelling of "none" that walks past the block list', () => {
    // The block list does refuse the exact string "none"…
    expect(() => naiveVerifyBlockingNone(UNSIGNED.none as string, API_KEY)).toThrow(
      'alg "none" is not allowed',
    )
    const details = fc.check(unsignedTokensAreRefused(naiveVerifyBlockingNone))
    expect(details.failed).toBe(true)
    const alg = details.counterexample?.[0] as string
    show(`block-list verifier: counterexample alg ${JSON.stringify(alg)}`)
    // Shrinking keeps as much lower case as it can: one capital letter is enough.
    expect(alg).toBe('nonE')
    // …and the counterexample is a working attack, not a quirk of the property.
    const verified = naiveVerifyBlockingNone(unsignedToken(alg, FORGED_CLAIMS), API_KEY)
    expect(verified.claims).toEqual(FORGED_CLAIMS)
  })

  test.each(SPELLINGS.slice(1))('the block list accepts the unsigned token spelled %s', (alg) => {
    const token = UNSIGNED[alg] as string
    expect(unsignedToken(alg, FORGED_CLAIMS)).toBe(token)
    expect(naiveVerifyBlockingNone(token, API_KEY).claims.role).toBe('admin')
  })

  test('header-chosen HS512: a token the API never issued passes as an access token', () => {
    const token = documentServiceSign(FORGED_CLAIMS)
    expect(token).toBe(HS512_TOKEN)
    const verified = naiveVerifyTrustingHeader(token, API_KEY)
    expect(verified.header.alg).toBe('HS512')
    expect(verified.claims.role).toBe('admin')
  })
})

describe('src and jose refuse the same tokens', () => {
  test.each(SPELLINGS)('alg %s: ERR_JOSE_ALG_NOT_ALLOWED from both', async (alg) => {
    const token = UNSIGNED[alg] as string
    expect(await codeOf(() => verifyJwt(token, API_KEY))).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
    expect(await codeOf(() => jwtVerify(token, API_KEY, { algorithms: ['HS256'] }))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  })

  test('src refuses every spelling fast-check can generate, with the same code', () => {
    fc.assert(
      fc.property(fc.mixedCase(fc.constant('none')), (alg) => {
        const code = (() => {
          try {
            verifyJwt(unsignedToken(alg, FORGED_CLAIMS), API_KEY)
          } catch (error) {
            return (error as { code?: unknown }).code
          }
          return 'accepted'
        })()
        expect(code).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
      }),
    )
  })

  test('jose refuses every spelling fast-check can generate, with the same code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.mixedCase(fc.constant('none')), async (alg) => {
        const token = unsignedToken(alg, FORGED_CLAIMS)
        expect(await codeOf(() => jwtVerify(token, API_KEY, { algorithms: ['HS256'] }))).toBe(
          'ERR_JOSE_ALG_NOT_ALLOWED',
        )
      }),
    )
  })

  test('HS512 from the shared-key service: refused by the HS256 allowlist of both', async () => {
    expect(await codeOf(() => verifyJwt(HS512_TOKEN, API_KEY))).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
    expect(await codeOf(() => jwtVerify(HS512_TOKEN, API_KEY, { algorithms: ['HS256'] }))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  })

  test('jose never implements "none" for jwtVerify, even without `algorithms`', async () => {
    for (const alg of SPELLINGS) {
      expect(await codeOf(() => jwtVerify(UNSIGNED[alg] as string, API_KEY))).toBe(
        'ERR_JOSE_NOT_SUPPORTED',
      )
    }
  })

  test('jose WITHOUT `algorithms` lets the header choose: why the option is never left out', async () => {
    const { payload, protectedHeader } = await jwtVerify(HS512_TOKEN, API_KEY)
    expect(protectedHeader.alg).toBe('HS512')
    expect(payload.role).toBe('admin')
  })

  test('a 32-byte key under an HS512 header: src refuses, jose accepts (docs/divergences.md)', async () => {
    const key32 = API_KEY.slice(0, 32)
    const header = Buffer.from(JSON.stringify({ alg: 'HS512' })).toString('base64url')
    const payload = Buffer.from(JSON.stringify(FORGED_CLAIMS)).toString('base64url')
    const mac = createHmac('sha512', key32).update(`${header}.${payload}`).digest('base64url')
    const token = `${header}.${payload}.${mac}`
    const algorithms = ['HS256', 'HS512']
    // RFC 7518 §3.2: HS512 needs a key of 64 bytes or more; the token chose HS512.
    expect(await codeOf(() => verifyJwt(token, key32, { algorithms }))).toBe('ERR_JWS_INVALID')
    const { payload: accepted } = await jwtVerify(token, key32, { algorithms })
    expect(accepted.role).toBe('admin')
  })
})

test('the docs page quotes exactly these tokens and this key', () => {
  for (const token of Object.values(UNSIGNED)) expect(page).toContain(token)
  expect(page).toContain(HS512_TOKEN)
  expect(page).toContain(Buffer.from(API_KEY).toString('hex'))
})
