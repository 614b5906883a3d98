/**
 * Pitfall 13: nested-token downgrade. Bare claims under `cty: "JWT"` skip the signature.
 * docs/pitfalls/nested-token-downgrade.md walks through the same bytes. Raw jose's
 * jwtDecrypt reads such claims (it is not a nested verifier; docs/divergences.md).
 */

import { jwtDecrypt } from 'jose'
import { decryptJwt, decryptThenVerify, encryptCompact, signThenEncrypt } from 'jose-by-hand'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import { naiveAcceptEitherShape } from './nested-token-downgrade.ts'

const KEYS = {
  signingKey: Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i),
  encryptionKey: Uint8Array.from({ length: 32 }, (_, i) => 0xc0 + i),
}
const IV = new TextEncoder().encode('pitfall13-iv')
const NOW = 1_767_225_600
const CURRENT_DATE = new Date(NOW * 1000)

// Issued by the real issuer: sign with the signing key, then encrypt (cty "JWT").
const LEGIT =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiSldUIn0..cGl0ZmFsbDEzLWl2.2XScm96z3h9SPjba8i0qdRYIfu-uzSKcGcMvz8qLL48EqA2Bw2XC2r_JJrGX06B9VvNuzz2riHHfxKvlQ8MLxkCAVNGE1V7K-GRyfI3mEOg7KiU6OA9y35nTpfcc7qPTy759aozZDPYlzipcow5UHe3Mm3PbY7aEsqUS5n9VWqWJvMV0xtZOiir1c9JY_m6sll9ELOUCJd0CXevpl1dtUS1f5vbP.CAQqq7PUd28KhPhcRGfQKQ'
// Minted by someone holding only the encryption key: bare claims, same header.
const FORGED_CLAIMS = '{"sub":"mallory","role":"admin"}'
const FORGED =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiSldUIn0..cGl0ZmFsbDEzLWl2.xy-lht7Wh1RwNhD_yCUaZnRDRfOLxlKTWOEClOqOfao.eligJm4Jtw9q_Gt9hmU3Zg'
const DIR_ONLY = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(CURRENT_DATE)
})
afterAll(() => {
  vi.useRealTimers()
})

describe('pitfall 13: bare claims inside a cty "JWT" JWE', () => {
  test('the fixed tokens', () => {
    expect(
      signThenEncrypt({ sub: 'alice', role: 'user' }, KEYS, {
        issuedAt: NOW,
        expirationTime: NOW + 900,
        iv: IV,
      }),
    ).toBe(LEGIT)
    // The attacker needs no signing key: encryptCompact only needs the dir key.
    expect(
      encryptCompact(
        FORGED_CLAIMS,
        KEYS.encryptionKey,
        { alg: 'dir', enc: 'A256GCM', cty: 'JWT' },
        { iv: IV },
      ),
    ).toBe(FORGED)
  })

  test('the naive consumer accepts the real token', async () => {
    expect(await naiveAcceptEitherShape(LEGIT, KEYS)).toMatchObject({ sub: 'alice', role: 'user' })
  })

  test('the attack: it accepts the forged one too, with no signature anywhere', async () => {
    expect(await naiveAcceptEitherShape(FORGED, KEYS)).toEqual({ sub: 'mallory', role: 'admin' })
  })

  test('raw jose: jwtDecrypt reads the bare claims although cty says JWT (docs/divergences.md)', async () => {
    const { payload, protectedHeader } = await jwtDecrypt(FORGED, KEYS.encryptionKey, DIR_ONLY)
    expect(protectedHeader.cty).toBe('JWT')
    expect(payload).toEqual({ sub: 'mallory', role: 'admin' })
  })

  test('raw jose: and it cannot read the real nested token at all', async () => {
    expect(await codeOf(() => jwtDecrypt(LEGIT, KEYS.encryptionKey, DIR_ONLY))).toBe(
      'ERR_JWT_INVALID',
    )
  })

  describe.each(implementations)('$name', (impl) => {
    test('decryptJwt refuses a cty "JWT" token: ERR_JWT_INVALID', async () => {
      expect(await codeOf(() => impl.decryptJwt(FORGED, KEYS.encryptionKey))).toBe(
        'ERR_JWT_INVALID',
      )
    })

    test('decryptThenVerify finds no JWS inside: ERR_JWS_INVALID', async () => {
      expect(await codeOf(() => impl.decryptThenVerify(FORGED, KEYS))).toBe('ERR_JWS_INVALID')
    })

    test('decryptThenVerify accepts the real token', async () => {
      const { payload, outerHeader } = await impl.decryptThenVerify(LEGIT, KEYS, {
        currentDate: CURRENT_DATE,
      })
      expect(payload).toMatchObject({ sub: 'alice', role: 'user' })
      expect(outerHeader.cty).toBe('JWT')
    })

    test('without cty the outer layer is not a nested JWT: ERR_JWT_INVALID', async () => {
      const noCty = await impl.encryptCompact(
        FORGED_CLAIMS,
        KEYS.encryptionKey,
        { alg: 'dir', enc: 'A256GCM' },
        { iv: IV },
      )
      expect(await codeOf(() => impl.decryptThenVerify(noCty, KEYS))).toBe('ERR_JWT_INVALID')
    })
  })

  test('src: the two refusals name the reason', () => {
    expect(() => decryptJwt(FORGED, KEYS.encryptionKey)).toThrow(/use decryptThenVerify/)
    expect(() => decryptThenVerify(FORGED, KEYS)).toThrow(/exactly 3 segments/)
  })
})
