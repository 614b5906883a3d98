/**
 * Nested JWTs, sign-then-encrypt (src/nested.ts and the nested-token guards of
 * src/jwt.ts; RFC 7519 §5.2, §7.2 step 8, §11.2): decryptJwt refuses a nested token,
 * decryptThenVerify insists on cty JWT and a compact JWS inside, verifies it fully,
 * checks replicated claims, and routes each option to its layer; `keys` must be the
 * pair, and each refusal says what was expected.
 *
 * Raw jose has no nested API. Its counterpart here is what a developer would write
 * with it: compactDecrypt, then jwtVerify on the decoded plaintext (`rawJoseNested`).
 * It never looks at cty nor at replicated claims, which the divergences below record.
 */

import * as jose from 'jose'
import { jwtDecrypt } from 'jose'
import {
  decryptJwt,
  decryptThenVerify,
  encryptCompact,
  encryptJwt,
  type JWEHeader,
  type NestedKeys,
  type NestedVerifyOptions,
  signJwt,
  signThenEncrypt,
  verifyJwt,
} from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import * as corpus from './support/corpus.ts'
import { expectCorpus } from './support/corpus.ts'
import { b64u, forgeJwe, forgeJws, patternKey } from './support/forge.ts'
import {
  codeOf,
  implementations,
  type Outcome,
  outcomeOf,
  thrown,
} from './support/implementations.ts'

const SIGNING_KEY = new Uint8Array(32).fill(1)
const ENCRYPTION_KEY = new Uint8Array(32).fill(2)
const KEYS = { signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY }
const NOW = 1_700_000_000
const CURRENT_DATE = new Date(NOW * 1000)
const CLAIMS = '{"iss":"https://issuer.example","sub":"alice","aud":["api"],"exp":1700000600}'
const OUTER = '{"alg":"dir","enc":"A256GCM","cty":"JWT"}'
function signed(
  claims: string = CLAIMS,
  header = '{"alg":"HS256","typ":"JWT"}',
  key: Uint8Array = SIGNING_KEY,
  alg = 'HS256',
): string {
  return forgeJws(b64u(header), b64u(claims), key, alg)
}

function encrypted(
  plaintext: string | Uint8Array,
  header: string = OUTER,
  key: Uint8Array = ENCRYPTION_KEY,
): string {
  return forgeJwe(b64u(header), plaintext, key, new Uint8Array(12).fill(3))
}

const OK: Outcome = { code: 'accepted' }
const JWT_INVALID: Outcome = { code: 'ERR_JWT_INVALID' }
const JWS_INVALID: Outcome = { code: 'ERR_JWS_INVALID' }
const JWE_INVALID: Outcome = { code: 'ERR_JWE_INVALID' }

function code(value: string): Outcome {
  return { code: value }
}

/** What raw jose gives a developer for sign-then-encrypt: decrypt, decode, verify. */
async function rawJoseNested(
  token: string,
  keys: { signingKey: Uint8Array; encryptionKey: Uint8Array },
  options: NestedVerifyOptions,
): Promise<unknown> {
  const {
    algorithms,
    contentEncryptionAlgorithms,
    maxTokenLength: _ignored,
    ...claimOptions
  } = options
  const { plaintext } = await jose.compactDecrypt(token, keys.encryptionKey, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: contentEncryptionAlgorithms ?? ['A256GCM'],
  })
  return jose.jwtVerify(new TextDecoder().decode(plaintext), keys.signingKey, {
    algorithms: algorithms ?? ['HS256'],
    ...claimOptions,
  })
}

interface Outcomes {
  src: Outcome
  jose: Outcome
}

async function nested(
  token: string,
  options: NestedVerifyOptions = {},
  keys: { signingKey: Uint8Array; encryptionKey: Uint8Array } = KEYS,
): Promise<Outcomes> {
  const withClock = { currentDate: CURRENT_DATE, ...options }
  return {
    src: await outcomeOf(() => decryptThenVerify(token, keys, withClock)),
    jose: await outcomeOf(() => rawJoseNested(token, keys, withClock)),
  }
}

function agree(expected: Outcome): Outcomes {
  return { src: expected, jose: expected }
}

describe('decryptJwt refuses a nested token (RFC 7519 §5.2)', () => {
  const jwtDecryptOptions = {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
    currentDate: CURRENT_DATE,
  }

  test('a real nested token (cty JWT, a JWS inside): ERR_JWT_INVALID', async () => {
    const token = encrypted(signed())
    expect({
      src: await outcomeOf(() => decryptJwt(token, ENCRYPTION_KEY, { currentDate: CURRENT_DATE })),
      // jose agrees only by accident: the plaintext is not JSON.
      jose: await outcomeOf(() => jose.jwtDecrypt(token, ENCRYPTION_KEY, jwtDecryptOptions)),
    }).toEqual({ src: JWT_INVALID, jose: JWT_INVALID })
  })

  test.each(['JWT', 'jwt', 'application/jwt', 'application/JWT'])(
    'bare claims under cty %s (a downgrade: nobody signed them): src refuses, raw jose reads them',
    async (cty) => {
      const token = encrypted(CLAIMS, JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty }))
      expect({
        src: await outcomeOf(() =>
          decryptJwt(token, ENCRYPTION_KEY, { currentDate: CURRENT_DATE }),
        ),
        jose: await outcomeOf(() => jose.jwtDecrypt(token, ENCRYPTION_KEY, jwtDecryptOptions)),
      }).toEqual({ src: JWT_INVALID, jose: OK })
    },
  )

  test('control: bare claims without cty decrypt in both', async () => {
    const token = encrypted(CLAIMS, '{"alg":"dir","enc":"A256GCM"}')
    expect({
      src: await outcomeOf(() => decryptJwt(token, ENCRYPTION_KEY, { currentDate: CURRENT_DATE })),
      jose: await outcomeOf(() => jose.jwtDecrypt(token, ENCRYPTION_KEY, jwtDecryptOptions)),
    }).toEqual({ src: OK, jose: OK })
  })
})

describe('decryptThenVerify: the outer JWE must announce a nested JWT (RFC 7515 §4.1.10)', () => {
  test('control: a token from signThenEncrypt, and one made by hand, verify', async () => {
    const made = signThenEncrypt(JSON.parse(CLAIMS), KEYS)
    expect(await nested(made)).toEqual(agree(OK))
    expect(await nested(encrypted(signed()))).toEqual(agree(OK))
    const result = decryptThenVerify(encrypted(signed()), KEYS, { currentDate: CURRENT_DATE })
    expect(result.payload.sub).toBe('alice')
    expect(result.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(result.outerHeader).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
  })

  test.each(['jwt', 'application/JWT', 'Application/Jwt', 'application/jwt'])(
    'cty %s is a media type compared case-insensitively: accepted',
    async (cty) => {
      const token = encrypted(signed(), JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty }))
      expect(await nested(token)).toEqual(agree(OK))
    },
  )

  test.each([
    ['absent', undefined],
    ['JWS', 'JWS'],
    ['application/jose', 'application/jose'],
    ['JWT with a trailing space', 'JWT '],
    ['application/jwt with a parameter', 'application/jwt; charset=utf-8'],
    ['empty', ''],
    ['a number', 1],
    ['an array', ['JWT']],
  ])('cty %s: ERR_JWT_INVALID (raw jose never looks)', async (_name, cty) => {
    const header = JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty })
    expect(await nested(encrypted(signed(), header))).toEqual({ src: JWT_INVALID, jose: OK })
  })
})

describe('decryptThenVerify: the inner token is a compact JWS, fully verified', () => {
  test('bare claims inside (no inner JWS): ERR_JWS_INVALID', async () => {
    expect(await nested(encrypted(CLAIMS))).toEqual(agree(JWS_INVALID))
  })

  test('a JWE inside a JWE: ERR_JWS_INVALID (five segments)', async () => {
    expect(await nested(encrypted(encrypted(signed())))).toEqual(agree(JWS_INVALID))
  })

  test('inner bytes that are not UTF-8: ERR_JWT_INVALID (raw jose decodes them with U+FFFD)', async () => {
    const bytes = new Uint8Array([...Buffer.from(signed()), 0xff])
    expect(await nested(encrypted(bytes))).toEqual({ src: JWT_INVALID, jose: JWS_INVALID })
  })

  test('a BOM before the inner JWS: ERR_JWT_INVALID (raw jose strips it and accepts)', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(signed())])
    expect(await nested(encrypted(bytes))).toEqual({ src: JWT_INVALID, jose: OK })
  })

  test('a line feed after the inner JWS: ERR_JWS_INVALID (raw jose ignores it)', async () => {
    expect(await nested(encrypted(`${signed()}\n`))).toEqual({ src: JWS_INVALID, jose: OK })
  })

  test('inner signed with another key: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
    const token = encrypted(signed(CLAIMS, undefined, new Uint8Array(32).fill(9)))
    expect(await nested(token)).toEqual(agree(code('ERR_JWS_SIGNATURE_VERIFICATION_FAILED')))
  })

  test('inner alg none: ERR_JOSE_ALG_NOT_ALLOWED', async () => {
    const token = encrypted(`${b64u('{"alg":"none"}')}.${b64u(CLAIMS)}.`)
    expect(await nested(token)).toEqual(agree(code('ERR_JOSE_ALG_NOT_ALLOWED')))
  })

  test('inner claims expired: ERR_JWT_EXPIRED', async () => {
    const token = encrypted(signed(`{"exp":${NOW}}`))
    expect(await nested(token)).toEqual(
      agree({ code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'check_failed' }),
    )
  })

  test('inner claims with a numeric sub: src says invalid, raw jose accepts', async () => {
    expect(await nested(encrypted(signed('{"sub":1}')))).toEqual({
      src: { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'sub', reason: 'invalid' },
      jose: OK,
    })
  })

  test('inner claims with a duplicate name: src says ERR_JWT_INVALID, raw jose keeps the last', async () => {
    expect(await nested(encrypted(signed('{"sub":"alice","sub":"admin"}')))).toEqual({
      src: JWT_INVALID,
      jose: OK,
    })
  })
})

describe('claims replicated into the outer header must equal the inner claims (RFC 7519 §5.3)', () => {
  function mismatch(claim: string): Outcome {
    return { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim, reason: 'mismatch' }
  }

  test.each([
    ['iss equal', { iss: 'https://issuer.example' }, OK],
    ['sub equal', { sub: 'alice' }, OK],
    ['aud equal', { aud: ['api'] }, OK],
    ['iss different', { iss: 'https://evil.example' }, mismatch('iss')],
    ['sub different', { sub: 'admin' }, mismatch('sub')],
    ['aud a string where the claims hold an array', { aud: 'api' }, mismatch('aud')],
    ['aud with an extra audience', { aud: ['api', 'admin'] }, mismatch('aud')],
  ])('%s', async (_name, replicated, expected) => {
    const header = JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty: 'JWT', ...replicated })
    // Raw jose, decrypting and verifying by hand, never compares the two.
    expect(await nested(encrypted(signed(), header))).toEqual({ src: expected, jose: OK })
  })
})

describe('option routing: maxTokenLength and contentEncryptionAlgorithms to the outer JWE, the rest to the inner JWT', () => {
  test('maxTokenLength caps the outer token with a JWE error', async () => {
    const token = encrypted(signed())
    expect((await nested(token, { maxTokenLength: token.length })).src).toEqual(OK)
    expect((await nested(token, { maxTokenLength: token.length - 1 })).src).toEqual(JWE_INVALID)
  })

  test('maxTokenLength is not applied again to the inner token: a raised cap admits an inner JWS over 65,536', async () => {
    const inner = signed(JSON.stringify({ sub: 'alice', pad: 'a'.repeat(50_000) }))
    expect(inner.length).toBeGreaterThan(65_536)
    const token = encrypted(inner)
    expect(await nested(token, { maxTokenLength: 100_000 })).toEqual(agree(OK))
    expect((await nested(token)).src).toEqual(JWE_INVALID)
  })

  test('contentEncryptionAlgorithms applies to the outer JWE', async () => {
    const key16 = new Uint8Array(16).fill(2)
    const keys = { signingKey: SIGNING_KEY, encryptionKey: key16 }
    const token = encrypted(signed(), '{"alg":"dir","enc":"A128GCM","cty":"JWT"}', key16)
    expect(await nested(token, { contentEncryptionAlgorithms: ['A128GCM'] }, keys)).toEqual(
      agree(OK),
    )
    // By default only A256GCM is allowed, and a 16-byte key fits none of it.
    expect((await nested(token, {}, keys)).src).toEqual(code('TypeError'))
    // Both allowed, but the 32-byte encryption key fits A256GCM and the token names A128GCM.
    expect(
      (await nested(token, { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] })).src,
    ).toEqual(JWE_INVALID)
  })

  test('algorithms applies to the inner JWS', async () => {
    const key64 = new Uint8Array(64).fill(1)
    const keys = { signingKey: key64, encryptionKey: ENCRYPTION_KEY }
    const token = encrypted(signed(CLAIMS, '{"alg":"HS512"}', key64, 'HS512'))
    expect(await nested(token, { algorithms: ['HS512'] }, keys)).toEqual(agree(OK))
    expect(await nested(token, {}, keys)).toEqual(agree(code('ERR_JOSE_ALG_NOT_ALLOWED')))
  })

  test('claim options apply to the inner JWT: typ is read from the inner header, not the outer', async () => {
    const token = encrypted(signed(), '{"alg":"dir","enc":"A256GCM","cty":"JWT","typ":"JOSE"}')
    expect(await nested(token, { typ: 'JWT' })).toEqual(agree(OK))
    expect(await nested(token, { typ: 'JOSE' })).toEqual(
      agree({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'typ', reason: 'check_failed' }),
    )
  })

  test.each([
    [
      'issuer',
      { issuer: 'https://other.example' },
      'iss',
      'check_failed',
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
    ],
    ['audience', { audience: 'web' }, 'aud', 'check_failed', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['subject', { subject: 'bob' }, 'sub', 'check_failed', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    [
      'requiredClaims',
      { requiredClaims: ['jti'] },
      'jti',
      'missing',
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
    ],
    [
      'currentDate',
      { currentDate: new Date((NOW + 600) * 1000) },
      'exp',
      'check_failed',
      'ERR_JWT_EXPIRED',
    ],
    ['maxTokenAge', { maxTokenAge: '1h' }, 'iat', 'missing', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ])(
    '%s reaches the inner claims',
    async (_name, options: NestedVerifyOptions, claim, reason, errorCode) => {
      expect(await nested(encrypted(signed()), options)).toEqual(
        agree({ code: errorCode, claim, reason }),
      )
    },
  )
})

// src/nested.ts and the nested-token guards of src/jwt.ts: mutation testing found the
// `keys` check and the messages of the nested-token refusals unpinned. A mistake with
// `keys` is a programmer error and its TypeError must say what `keys` should be (a
// missing check would surface as "Cannot read properties of null"); a refusal of a
// nested token must say what was expected, because "ERR_JWT_INVALID" alone does not
// tell a missing cty from a bad inner token.

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

// Round trips and refusals run on both implementations: the reference adapter
// (reference/index.ts) must behave as src does wherever the two agree.
describe.each(implementations)('nested tokens on $name: src and the reference alike', (impl) => {
  const signingKey = patternKey(32, 1)
  const encryptionKey = patternKey(32, 101)
  const keys = { signingKey, encryptionKey }

  test('encryptJwt with a header announcing a nested JWT (cty JWT)', async () => {
    for (const cty of ['JWT', 'jwt', 'application/jwt', 'Application/JWT']) {
      const header: JWEHeader = { alg: 'dir', enc: 'A256GCM', cty }
      expect(await codeOf(() => impl.encryptJwt({}, encryptionKey, { header }))).toBe('TypeError')
    }
  })

  test('signThenEncrypt with an outer header that does not say cty JWT', async () => {
    for (const encryptionHeader of [
      { alg: 'dir', enc: 'A256GCM' },
      { alg: 'dir', enc: 'A256GCM', cty: 'json' },
    ]) {
      expect(await codeOf(() => impl.signThenEncrypt({}, keys, { encryptionHeader }))).toBe(
        'TypeError',
      )
    }
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
      expect(await outcomeOf(() => impl.decryptThenVerify(token, keys))).toEqual({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'iss',
        reason: 'mismatch',
      })
      const consistent: JWEHeader = { ...encryptionHeader, iss: 'claims' }
      const good = await impl.signThenEncrypt({ iss: 'claims' }, keys, {
        encryptionHeader: consistent,
      })
      expect((await impl.decryptThenVerify(good, keys)).payload.iss).toBe('claims')
    })
  })
})

describe('malformed and malicious tokens at every entry point: nested tokens', () => {
  const {
    A,
    ALG,
    ATTACKER_KEY,
    CLAIM,
    CLAIMS,
    EXP,
    JWE_HEADER,
    JWS,
    JWT,
    JWT_HEADER,
    NESTED_HEADER,
    NOW,
    SIG,
    VALID_JWE,
    VALID_JWS,
    asJwe,
    jwe,
    jws,
  } = corpus
  expectCorpus([
    // Nested tokens (RFC 7519 §5.2, §11.2).
    {
      id: 'cty JWT holding bare claims',
      source: 'RFC 7519 §5.2',
      token: jwe(NESTED_HEADER, CLAIMS),
      expected: asJwe(A, JWT, JWS),
    },
    {
      id: 'no cty, holding a JWS',
      source: 'RFC 7519 §5.2',
      token: jwe(JWE_HEADER, VALID_JWS),
      expected: asJwe(A, JWT, JWT),
    },
    {
      id: 'cty JWS holding a JWS',
      source: 'RFC 7515 §4.1.10',
      token: jwe('{"alg":"dir","enc":"A256GCM","cty":"JWS"}', VALID_JWS),
      expected: asJwe(A, JWT, JWT),
    },
    {
      id: 'cty with a media-type parameter',
      source: 'RFC 7515 §4.1.10',
      token: jwe('{"alg":"dir","enc":"A256GCM","cty":"application/jwt; x=y"}', VALID_JWS),
      expected: asJwe(A, JWT, JWT),
    },
    {
      id: 'nested, inner signed by the attacker',
      source: 'RFC 8725 §3.3',
      token: jwe(NESTED_HEADER, jws(JWT_HEADER, CLAIMS, ATTACKER_KEY)),
      expected: asJwe(A, JWT, SIG),
    },
    {
      id: 'nested, inner alg none',
      source: 'RFC 8725 §2.1',
      token: jwe(NESTED_HEADER, `${b64u('{"alg":"none"}')}.${b64u(CLAIMS)}.`),
      expected: asJwe(A, JWT, ALG),
    },
    {
      id: 'nested, a JWE inside',
      source: 'RFC 7519 §5.2',
      token: jwe(NESTED_HEADER, VALID_JWE),
      expected: asJwe(A, JWT, JWS),
    },
    {
      id: 'nested, inner JWS with a trailing line feed',
      source: 'RFC 7515 §2',
      token: jwe(NESTED_HEADER, `${VALID_JWS}\n`),
      expected: asJwe(A, JWT, JWS),
    },
    {
      id: 'nested, replicated iss mismatch',
      source: 'RFC 7519 §5.3',
      token: jwe('{"alg":"dir","enc":"A256GCM","cty":"JWT","iss":"admin"}', VALID_JWS),
      expected: asJwe(A, JWT, CLAIM),
    },
    {
      id: 'nested, inner expired',
      source: 'RFC 7519 §4.1.4',
      token: jwe(NESTED_HEADER, jws(JWT_HEADER, `{"exp":${NOW}}`)),
      expected: asJwe(A, JWT, EXP),
    },
  ])
})

describe('a nested token through the JWS functions is refused with a reason', () => {
  const key = new Uint8Array(32).fill(1)

  test('signJwt with cty JWT: TypeError saying that signJwt signs a claims set', () => {
    const error = thrown(() => signJwt({}, key, { header: { alg: 'HS256', cty: 'JWT' } }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('cty "JWT" announces a nested token; signJwt signs a claims set')
  })

  test('verifyJwt on a JWS with cty JWT: ERR_JWT_INVALID saying that it holds a nested JWT', () => {
    const token = forgeJws(b64u('{"alg":"HS256","cty":"JWT"}'), b64u('{}'), key)
    expect(thrown(() => verifyJwt(token, key))).toMatchObject({
      code: 'ERR_JWT_INVALID',
      message: 'this JWS holds a nested JWT (cty "JWT"), which is not supported',
    })
  })
})
