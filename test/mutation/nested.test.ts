/**
 * src/nested.ts and the nested-token guards of src/jwt.ts: mutation testing found the
 * `keys` check and the messages of the nested-token refusals unpinned. A mistake with
 * `keys` is a programmer error and its TypeError must say what `keys` should be (a
 * missing check would surface as "Cannot read properties of null"); a refusal of a
 * nested token must say what was expected, because "ERR_JWT_INVALID" alone does not
 * tell a missing cty from a bad inner token.
 */

import { jwtDecrypt } from 'jose'
import {
  decryptJwt,
  decryptThenVerify,
  encryptCompact,
  encryptJwt,
  type JWEHeader,
  type NestedKeys,
  signJwt,
  signThenEncrypt,
} from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { thrown } from '../support/implementations.ts'

const KEYS: NestedKeys = {
  signingKey: new Uint8Array(32).fill(1),
  encryptionKey: new Uint8Array(32).fill(2),
}

describe('keys must be { signingKey, encryptionKey }', () => {
  // Built inside each test: src code run at collection time is "static" for Stryker.
  const token = (): string => signThenEncrypt({ sub: 'a' }, KEYS)

  test.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'secret'],
    ['a key instead of the pair', 7],
  ])('%s: TypeError saying so, from both functions', (_case, keys) => {
    for (const action of [
      () => signThenEncrypt({}, keys as unknown as NestedKeys),
      () => decryptThenVerify(token(), keys as unknown as NestedKeys),
    ]) {
      const error = thrown(action)
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toBe('keys must be { signingKey, encryptionKey }')
    }
  })
})

describe('nested-token refusals say what was expected', () => {
  test('signThenEncrypt with an outer header without cty JWT: TypeError naming cty', () => {
    const encryptionHeader: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty: 'json' }
    const error = thrown(() => signThenEncrypt({}, KEYS, { encryptionHeader }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/cty "JWT"/)
  })

  test('encryptJwt with cty JWT: TypeError pointing to signThenEncrypt', () => {
    const header: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' }
    const error = thrown(() => encryptJwt({}, KEYS.encryptionKey, { header }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/signThenEncrypt/)
  })

  test('decryptJwt on a nested token: ERR_JWT_INVALID pointing to decryptThenVerify', () => {
    const error = thrown(() => decryptJwt(signThenEncrypt({}, KEYS), KEYS.encryptionKey))
    expect(error.code).toBe('ERR_JWT_INVALID')
    expect(error.message).toMatch(/decryptThenVerify/)
  })

  test('decryptThenVerify on a JWE without cty JWT: ERR_JWT_INVALID naming cty', () => {
    const plain = encryptCompact(signJwt({}, KEYS.signingKey), KEYS.encryptionKey)
    const error = thrown(() => decryptThenVerify(plain, KEYS))
    expect(error.code).toBe('ERR_JWT_INVALID')
    expect(error.message).toMatch(/cty "JWT"/)
  })

  test('decryptThenVerify on an inner token that is not UTF-8: ERR_JWT_INVALID saying so', () => {
    const header: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' }
    const token = encryptCompact(new Uint8Array([0x65, 0xff, 0x2e]), KEYS.encryptionKey, header)
    const error = thrown(() => decryptThenVerify(token, KEYS))
    expect(error.code).toBe('ERR_JWT_INVALID')
    expect(error.message).toMatch(/not UTF-8/)
  })
})

describe("replicated claims (RFC 7519 §5.3): jose's message and reason", () => {
  test('an iss in the JWE header that differs from the claim', async () => {
    const header: JWEHeader = { alg: 'dir', enc: 'A256GCM', iss: 'header-issuer' }
    const token = encryptJwt({ iss: 'claims-issuer' }, KEYS.encryptionKey, { header })
    const ours = thrown(() => decryptJwt(token, KEYS.encryptionKey))
    let theirs: unknown
    try {
      await jwtDecrypt(token, KEYS.encryptionKey)
    } catch (error) {
      theirs = error
    }
    expect(ours).toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'iss',
      reason: 'mismatch',
    })
    expect(ours.message).toBe((theirs as Error).message)
  })
})
