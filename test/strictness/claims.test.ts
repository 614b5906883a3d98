/**
 * JWT Claims Set strictness and validation (issue 2 §2 "JWTVerifyOptions", §3
 * "Registered claim types"; RFC 7519 §4.1, §7.2).
 *
 * Claims are MACed (or encrypted) by hand, so every token is authentic and only the
 * claims decide. Raw jose's jwtVerify / jwtDecrypt run on the same tokens with the
 * same options: where src's stricter parsing and typing reject what jose accepts, the
 * test says so; everywhere else one assertion covers both, including `.claim` and
 * `.reason`.
 */

import { createCipheriv, createHmac } from 'node:crypto'
import * as jose from 'jose'
import { decryptJwt, type JWTClaimOptions, verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { b64u } from '../support/forge.ts'

const SIGNING_KEY = new Uint8Array(32).fill(1)
const ENCRYPTION_KEY = new Uint8Array(32).fill(2)
const NOW = 1_700_000_000
const CURRENT_DATE = new Date(NOW * 1000)
const JWT_HEADER = '{"alg":"HS256","typ":"JWT"}'
const JWE_HEADER = '{"alg":"dir","enc":"A256GCM"}'

function signedClaims(claims: string | Uint8Array, header: string = JWT_HEADER): string {
  const signingInput = `${b64u(header)}.${b64u(claims)}`
  return `${signingInput}.${createHmac('sha256', SIGNING_KEY).update(signingInput).digest('base64url')}`
}

function encryptedClaims(claims: string | Uint8Array, header: string = JWE_HEADER): string {
  const headerSegment = b64u(header)
  const iv = new Uint8Array(12).fill(3)
  const cipher = createCipheriv('aes-256-gcm', ENCRYPTION_KEY, iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(headerSegment))
  const ciphertext = Buffer.concat([cipher.update(claims), cipher.final()])
  return [headerSegment, '', b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.')
}

interface Outcome {
  code: string
  claim?: string
  reason?: string
}

const OK: Outcome = { code: 'accepted' }
const JWT_INVALID: Outcome = { code: 'ERR_JWT_INVALID' }

function invalid(claim: string): Outcome {
  return { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim, reason: 'invalid' }
}
function checkFailed(claim: string): Outcome {
  return { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim, reason: 'check_failed' }
}
function missing(claim: string): Outcome {
  return { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim, reason: 'missing' }
}
function mismatch(claim: string): Outcome {
  return { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim, reason: 'mismatch' }
}
function expired(claim: string): Outcome {
  return { code: 'ERR_JWT_EXPIRED', claim, reason: 'check_failed' }
}

/** The error's code, and its claim and reason when it has them; or 'accepted'. */
async function outcome(action: () => unknown): Promise<Outcome> {
  try {
    await action()
  } catch (error) {
    const { code, claim, reason } = error as { code?: unknown; claim?: unknown; reason?: unknown }
    if (typeof code !== 'string') throw error
    return typeof claim === 'string' ? { code, claim, reason: String(reason) } : { code }
  }
  return OK
}

interface Outcomes {
  src: Outcome
  jose: Outcome
}

function agree(expected: Outcome): Outcomes {
  return { src: expected, jose: expected }
}

interface Kind {
  readonly name: string
  readonly token: (claims: string | Uint8Array) => string
  readonly run: (token: string, options: JWTClaimOptions) => Promise<Outcomes>
}

const JWS_JWT: Kind = {
  name: 'verifyJwt (JWS)',
  token: (claims) => signedClaims(claims),
  run: async (token, options) => ({
    src: await outcome(() =>
      verifyJwt(token, SIGNING_KEY, { currentDate: CURRENT_DATE, ...options }),
    ),
    jose: await outcome(() =>
      jose.jwtVerify(token, SIGNING_KEY, {
        algorithms: ['HS256'],
        currentDate: CURRENT_DATE,
        ...options,
      }),
    ),
  }),
}

const JWE_JWT: Kind = {
  name: 'decryptJwt (JWE)',
  token: (claims) => encryptedClaims(claims),
  run: async (token, options) => ({
    src: await outcome(() =>
      decryptJwt(token, ENCRYPTION_KEY, { currentDate: CURRENT_DATE, ...options }),
    ),
    jose: await outcome(() =>
      jose.jwtDecrypt(token, ENCRYPTION_KEY, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        currentDate: CURRENT_DATE,
        ...options,
      }),
    ),
  }),
}

function verify(claims: string, options: JWTClaimOptions = {}): Promise<Outcomes> {
  return JWS_JWT.run(signedClaims(claims), options)
}

const STRICT_ONLY: Outcomes = { src: JWT_INVALID, jose: OK }

describe.each([JWS_JWT, JWE_JWT])(
  'the claims set is strict JSON (RFC 7519 §7.2 steps 9–10): $name',
  (kind) => {
    test.each([
      ['an array', '[]', agree(JWT_INVALID)],
      ['a string', '"alice"', agree(JWT_INVALID)],
      ['null', 'null', agree(JWT_INVALID)],
      ['a number', '1', agree(JWT_INVALID)],
      ['not JSON', 'hello', agree(JWT_INVALID)],
      ['empty', '', agree(JWT_INVALID)],
      ['a duplicate name', '{"sub":"alice","sub":"admin"}', STRICT_ONLY],
      ['a duplicate in a nested object', '{"x":{"a":1,"a":2}}', STRICT_ONLY],
      ['"sub" and "\\u0073ub"', '{"sub":"alice","\\u0073ub":"admin"}', STRICT_ONLY],
      ['an escaped lone surrogate', '{"sub":"\\ud800"}', STRICT_ONLY],
      ['nesting depth 65', `{"x":${'['.repeat(64)}${']'.repeat(64)}}`, STRICT_ONLY],
    ])('%s', async (_name, claims, expected) => {
      expect(await kind.run(kind.token(claims), {})).toEqual(expected)
    })

    test.each([
      ['a UTF-8 BOM', [0xef, 0xbb, 0xbf, ...Buffer.from('{"sub":"alice"}')], STRICT_ONLY],
      [
        'invalid UTF-8',
        [...Buffer.from('{"sub":"'), 0xff, ...Buffer.from('"}')],
        agree(JWT_INVALID),
      ],
      [
        'overlong UTF-8',
        [...Buffer.from('{"sub":"'), 0xc0, 0xaf, ...Buffer.from('"}')],
        agree(JWT_INVALID),
      ],
    ])('%s', async (_name, bytes, expected) => {
      expect(await kind.run(kind.token(new Uint8Array(bytes)), {})).toEqual(expected)
    })

    test('the danger of duplicates: jose reads the last "sub"', async () => {
      const token = kind.token('{"sub":"alice","sub":"admin"}')
      const { payload } =
        kind === JWS_JWT
          ? await jose.jwtVerify(token, SIGNING_KEY, { algorithms: ['HS256'] })
          : await jose.jwtDecrypt(token, ENCRYPTION_KEY, {
              keyManagementAlgorithms: ['dir'],
              contentEncryptionAlgorithms: ['A256GCM'],
            })
      expect(payload.sub).toBe('admin')
    })

    test('control: a well-formed claims set passes', async () => {
      expect(await kind.run(kind.token('{"sub":"alice","exp":1700000100}'), {})).toEqual(agree(OK))
    })
  },
)

describe('registered claim types (RFC 7519 §4.1): wrong type -> reason "invalid"', () => {
  // jose checks only that exp/nbf/iat are numbers, and only when it reads them.
  test.each([
    ['iss 1', '{"iss":1}', 'iss', OK],
    ['iss null', '{"iss":null}', 'iss', OK],
    ['sub 1', '{"sub":1}', 'sub', OK],
    ['jti {}', '{"jti":{}}', 'jti', OK],
    ['aud [1]', '{"aud":[1]}', 'aud', OK],
    ['aud ["a",null]', '{"aud":["a",null]}', 'aud', OK],
    ['aud 1', '{"aud":1}', 'aud', OK],
    ['aud {}', '{"aud":{}}', 'aud', OK],
    ['exp "1"', '{"exp":"1"}', 'exp', invalid('exp')],
    ['exp [1]', '{"exp":[1]}', 'exp', invalid('exp')],
    ['exp 1e400 (Infinity: never expires)', '{"exp":1e400}', 'exp', OK],
    ['exp -1e400', '{"exp":-1e400}', 'exp', expired('exp')],
    ['nbf null', '{"nbf":null}', 'nbf', invalid('nbf')],
    ['nbf 1e400', '{"nbf":1e400}', 'nbf', checkFailed('nbf')],
    ['iat true', '{"iat":true}', 'iat', invalid('iat')],
    ['iat 1e400', '{"iat":1e400}', 'iat', OK],
  ])('%s', async (_name, claims, claim, joseOutcome) => {
    expect(await verify(claims)).toEqual({ src: invalid(claim), jose: joseOutcome })
  })

  test('the type check runs first: a numeric iss in an expired token is reported as invalid iss', async () => {
    expect(await verify(`{"iss":1,"exp":${NOW - 10}}`)).toEqual({
      src: invalid('iss'),
      jose: expired('exp'),
    })
  })

  test('a numeric iss against issuer "1": src says invalid, jose compares and fails the check', async () => {
    expect(await verify('{"iss":1}', { issuer: '1' })).toEqual({
      src: invalid('iss'),
      jose: checkFailed('iss'),
    })
  })

  test('decryptJwt applies the same types', async () => {
    expect(await JWE_JWT.run(encryptedClaims('{"sub":1}'), {})).toEqual({
      src: invalid('sub'),
      jose: OK,
    })
    expect(await JWE_JWT.run(encryptedClaims('{"exp":1e400}'), {})).toEqual({
      src: invalid('exp'),
      jose: OK,
    })
  })

  test('control: every registered claim with its right type passes', async () => {
    const claims = JSON.stringify({
      iss: 'i',
      sub: 's',
      jti: 'j',
      aud: ['a', 'b'],
      exp: NOW + 60,
      nbf: NOW,
      iat: NOW - 1.5,
    })
    expect(await verify(claims)).toEqual(agree(OK))
    expect(await verify(JSON.stringify({ aud: 'a' }))).toEqual(agree(OK))
  })
})

describe('the clock (RFC 7519 §4.1.4–4.1.6), with jose verdicts', () => {
  test.each([
    ['exp equal to now is expired', { exp: NOW }, {}, expired('exp')],
    ['exp one second ahead passes', { exp: NOW + 1 }, {}, OK],
    ['nbf equal to now passes', { nbf: NOW }, {}, OK],
    ['nbf one second ahead fails', { nbf: NOW + 1 }, {}, checkFailed('nbf')],
    ['a future iat passes without maxTokenAge', { iat: NOW + 100 }, {}, OK],
    [
      'a future iat fails under maxTokenAge',
      { iat: NOW + 100 },
      { maxTokenAge: '1h' },
      checkFailed('iat'),
    ],
    ['iat exactly 1h old passes maxTokenAge "1h"', { iat: NOW - 3600 }, { maxTokenAge: '1h' }, OK],
    [
      'iat 1h and 1s old fails maxTokenAge "1h"',
      { iat: NOW - 3601 },
      { maxTokenAge: '1h' },
      expired('iat'),
    ],
    [
      'maxTokenAge as a number of seconds',
      { iat: NOW - 3601 },
      { maxTokenAge: 3600 },
      expired('iat'),
    ],
    ['maxTokenAge makes iat required', { sub: 'a' }, { maxTokenAge: '1h' }, missing('iat')],
    [
      'exp 5 s ago with clockTolerance 5 is still expired',
      { exp: NOW - 5 },
      { clockTolerance: 5 },
      expired('exp'),
    ],
    ['exp 5 s ago with clockTolerance 6 passes', { exp: NOW - 5 }, { clockTolerance: 6 }, OK],
    ['clockTolerance as a duration string', { exp: NOW - 5 }, { clockTolerance: '6s' }, OK],
    ['nbf 5 s ahead with clockTolerance 5 passes', { nbf: NOW + 5 }, { clockTolerance: 5 }, OK],
    [
      'nbf 6 s ahead with clockTolerance 5 fails',
      { nbf: NOW + 6 },
      { clockTolerance: 5 },
      checkFailed('nbf'),
    ],
    [
      'a future iat within clockTolerance passes maxTokenAge',
      { iat: NOW + 5 },
      { maxTokenAge: 60, clockTolerance: 5 },
      OK,
    ],
  ])('%s', async (_name, claims, options: JWTClaimOptions, expected) => {
    expect(await verify(JSON.stringify(claims), options)).toEqual(agree(expected))
  })
})

describe('issuer, subject, audience, typ, requiredClaims, with jose verdicts', () => {
  const ISS = 'https://issuer.example'
  test.each([
    ['iss equal', { iss: ISS }, { issuer: ISS }, OK],
    ['iss with a trailing slash differs', { iss: ISS }, { issuer: `${ISS}/` }, checkFailed('iss')],
    [
      'iss compared case-sensitively',
      { iss: ISS },
      { issuer: ISS.toUpperCase() },
      checkFailed('iss'),
    ],
    ['iss in a list', { iss: ISS }, { issuer: ['other', ISS] }, OK],
    ['iss missing', { sub: 'a' }, { issuer: ISS }, missing('iss')],
    ['sub equal', { sub: 'alice' }, { subject: 'alice' }, OK],
    ['sub different', { sub: 'alice' }, { subject: 'bob' }, checkFailed('sub')],
    ['aud arrays overlapping', { aud: ['a', 'b'] }, { audience: ['b', 'c'] }, OK],
    ['aud array containing the expected string', { aud: ['a', 'b'] }, { audience: 'a' }, OK],
    ['aud string within the expected list', { aud: 'a' }, { audience: ['x', 'a'] }, OK],
    ['aud disjoint', { aud: ['a', 'b'] }, { audience: ['c'] }, checkFailed('aud')],
    ['aud empty array', { aud: [] }, { audience: 'a' }, checkFailed('aud')],
    ['aud missing', { sub: 'a' }, { audience: 'a' }, missing('aud')],
    ['requiredClaims present', { jti: 'j' }, { requiredClaims: ['jti'] }, OK],
    ['requiredClaims missing', { sub: 'a' }, { requiredClaims: ['jti'] }, missing('jti')],
    [
      'presence is reported in jose order: iss before requiredClaims',
      {},
      { requiredClaims: ['jti'], issuer: ISS },
      missing('iss'),
    ],
  ])('%s', async (_name, claims, options: JWTClaimOptions, expected) => {
    expect(await verify(JSON.stringify(claims), options)).toEqual(agree(expected))
  })

  // RFC 7515 §4.1.9 and RFC 8725 §3.11: typ is a media type, "JWT" short for "application/jwt".
  test.each([
    ['JWT vs JWT', 'JWT', 'JWT', OK],
    ['JWT vs application/jwt', 'JWT', 'application/jwt', OK],
    ['jwt vs JWT', 'jwt', 'JWT', OK],
    ['application/JWT vs jwt', 'application/JWT', 'jwt', OK],
    ['at+jwt vs application/at+jwt', 'at+jwt', 'application/at+jwt', OK],
    ['JWS vs JWT', 'JWS', 'JWT', checkFailed('typ')],
    ['application/jwt vs text/jwt', 'application/jwt', 'text/jwt', checkFailed('typ')],
  ])('typ %s', async (_name, headerTyp, expectedTyp, expected) => {
    const token = signedClaims('{"sub":"a"}', JSON.stringify({ alg: 'HS256', typ: headerTyp }))
    expect(await JWS_JWT.run(token, { typ: expectedTyp })).toEqual(agree(expected))
  })

  test('typ absent from the header fails a typ check', async () => {
    const token = signedClaims('{"sub":"a"}', '{"alg":"HS256"}')
    expect(await JWS_JWT.run(token, { typ: 'JWT' })).toEqual(agree(checkFailed('typ')))
  })

  test('typ is checked before the clock: a wrong typ on an expired token names typ', async () => {
    const token = signedClaims(`{"exp":${NOW - 100}}`, '{"alg":"HS256","typ":"JWS"}')
    expect(await JWS_JWT.run(token, { typ: 'JWT' })).toEqual(agree(checkFailed('typ')))
  })

  test('decryptJwt applies the claim options too', async () => {
    const token = encryptedClaims(JSON.stringify({ iss: 'x', exp: NOW }))
    expect(await JWE_JWT.run(token, {})).toEqual(agree(expired('exp')))
    expect(await JWE_JWT.run(token, { issuer: 'y' })).toEqual(agree(checkFailed('iss')))
  })
})

describe('claims replicated into a JWE header must equal the claims (RFC 7519 §5.3)', () => {
  test.each([
    ['iss equal', '{"alg":"dir","enc":"A256GCM","iss":"a"}', '{"iss":"a"}', OK],
    ['iss different', '{"alg":"dir","enc":"A256GCM","iss":"a"}', '{"iss":"b"}', mismatch('iss')],
    ['iss only in the header', '{"alg":"dir","enc":"A256GCM","iss":"a"}', '{}', mismatch('iss')],
    ['sub different', '{"alg":"dir","enc":"A256GCM","sub":"a"}', '{"sub":"b"}', mismatch('sub')],
    ['aud equal', '{"alg":"dir","enc":"A256GCM","aud":["a","b"]}', '{"aud":["a","b"]}', OK],
    [
      'aud in another order',
      '{"alg":"dir","enc":"A256GCM","aud":["a","b"]}',
      '{"aud":["b","a"]}',
      mismatch('aud'),
    ],
  ])('%s', async (_name, header, claims, expected) => {
    expect(await JWE_JWT.run(encryptedClaims(claims, header), {})).toEqual(agree(expected))
  })
})
