/**
 * Pitfall 17: the key taken from the token's header (`jwk`, `jku`).
 * CVE-2018-0114; RFC 8725 §3.10. docs/pitfalls/jwk-jku-header-trust.md walks
 * through the same bytes.
 */

import { EmbeddedJWK, jwtVerify } from 'jose'
import { describe, expect, test } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import { FakeFetch, forge, naiveVerifyWithHeaderKey } from './jwk-jku-header-trust.ts'

const SERVICE_KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x71 + i)
const ATTACKER_KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x17 + i)
const ATTACKER_K = 'FxgZGhscHR4fICEiIyQlJicoKSorLC0uLzAxMjM0NTY'
const ADMIN = { sub: 'mallory', role: 'admin' }
const ATTACKER_JWKS_URL = 'https://auth.example.attacker.test/jwks.json'

const VIA_JWK =
  'eyJhbGciOiJIUzI1NiIsImp3ayI6eyJrdHkiOiJvY3QiLCJrIjoiRnhnWkdoc2NIUjRmSUNFaUl5UWxKaWNvS1NvckxDMHVMekF4TWpNME5UWSJ9fQ.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.vX1EfOROHQiXYj_D9sRLlcusKgUXLOXENRBXct2Nm5Y'
const VIA_JKU =
  'eyJhbGciOiJIUzI1NiIsImprdSI6Imh0dHBzOi8vYXV0aC5leGFtcGxlLmF0dGFja2VyLnRlc3Qvandrcy5qc29uIiwia2lkIjoiazEifQ.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFkbWluIn0.Xh3kvCTXQP8DbqPAtld9c_pYj7uN4Yl0jWxCe-LJJrc'

/** The attacker's server answers; the real issuer's does not matter here. */
function attackerInternet(): FakeFetch {
  return new FakeFetch(
    new Map([[ATTACKER_JWKS_URL, { keys: [{ kty: 'oct', kid: 'k1', k: ATTACKER_K }] }]]),
  )
}

describe('pitfall 17: a key named by the token it is meant to check', () => {
  test('the attacker key, as the JWK carries it', () => {
    expect(Buffer.from(ATTACKER_KEY).toString('base64url')).toBe(ATTACKER_K)
  })

  test('the attack with jwk: sign with your own key, then embed it (CVE-2018-0114)', async () => {
    const token = forge({ alg: 'HS256', jwk: { kty: 'oct', k: ATTACKER_K } }, ADMIN, ATTACKER_KEY)
    expect(token).toBe(VIA_JWK)
    const fetcher = attackerInternet()
    expect(await naiveVerifyWithHeaderKey(token, fetcher)).toEqual(ADMIN)
    expect(fetcher.requests).toEqual([])
  })

  test('the attack with jku: host your own key set at a URL that starts right', async () => {
    const token = forge({ alg: 'HS256', jku: ATTACKER_JWKS_URL, kid: 'k1' }, ADMIN, ATTACKER_KEY)
    expect(token).toBe(VIA_JKU)
    const fetcher = attackerInternet()
    expect(await naiveVerifyWithHeaderKey(token, fetcher)).toEqual(ADMIN)
    // The service fetched a URL of the attacker's choosing: the SSRF of RFC 8725 §3.10.
    expect(fetcher.requests).toEqual([ATTACKER_JWKS_URL])
  })

  describe.each(implementations)('$name: the key is an argument, the header is data', (impl) => {
    test('both forgeries: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
      for (const token of [VIA_JWK, VIA_JKU]) {
        expect(await codeOf(() => impl.verifyJwt(token, SERVICE_KEY))).toBe(
          'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        )
      }
    })

    test('jku and kid come back as data; verification used the given key only', async () => {
      const own = await impl.signJwt({ sub: 'alice' }, SERVICE_KEY, {
        header: { alg: 'HS256', jku: ATTACKER_JWKS_URL, kid: 'k1' },
      })
      const { protectedHeader } = await impl.verifyJwt(own, SERVICE_KEY)
      expect(protectedHeader.jku).toBe(ATTACKER_JWKS_URL)
    })
  })

  test("raw jose's EmbeddedJWK accepts only public keys: an oct jwk is ERR_JWS_INVALID", async () => {
    expect(await codeOf(() => jwtVerify(VIA_JWK, EmbeddedJWK, { algorithms: ['HS256'] }))).toBe(
      'ERR_JWS_INVALID',
    )
  })
})
