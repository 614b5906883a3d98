/**
 * What the benchmark measures: one case per operation, each with its contenders, and a
 * sanity check per contender that runs before any timing. A contender whose output jose
 * does not accept (or that accepts a tampered token) aborts the run: a fast wrong answer
 * is not a result.
 */

import assert from 'node:assert/strict'
import { createHmac, createSecretKey, randomBytes, webcrypto } from 'node:crypto'
import { createSigner, createVerifier } from 'fast-jwt'
import { CompactEncrypt, compactDecrypt, compactVerify, jwtVerify, SignJWT } from 'jose'
import {
  decryptCompact,
  decryptThenVerify,
  encryptCompact,
  type JWTPayload,
  signJwt,
  signThenEncrypt,
  verifyCompact,
  verifyJwt,
} from 'jose-by-hand'
import jsonwebtoken from 'jsonwebtoken'
import {
  floorDecryptA256gcm,
  floorEncryptA256gcm,
  floorSignHs256,
  floorVerifyHs256,
} from './floor.ts'
import { glassBoxCases } from './glass-box.ts'

/** Who a contender is: the ratios compare `src` with `jose` and with `floor`. */
export type Role = 'src' | 'jose' | 'floor' | 'peer'

export interface Contender {
  readonly name: string
  readonly role: Role
  /** Whether `run` returns a Promise (jose is built on async WebCrypto). */
  readonly async: boolean
  /** The timed operation. */
  readonly run: () => unknown
  /** Asserts that this contender's output is right; throws otherwise. */
  readonly sanity: () => Promise<void>
}

export interface BenchCase {
  readonly id: string
  readonly title: string
  readonly group: 'hs256' | 'jwe' | 'nested' | 'sweep' | 'cap' | 'glass'
  /** Plaintext bytes per operation, for the MB/s column of the size sweep. */
  readonly bytes?: number
  readonly contenders: readonly Contender[]
}

const ISSUER = 'https://issuer.example'
const AUDIENCE = 'https://api.example'
const JWS_HEADER = { alg: 'HS256', typ: 'JWT' } as const
const JWE_HEADER = { alg: 'dir', enc: 'A256GCM' } as const
const NESTED_HEADER = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' } as const
/** jose configured as reference/index.ts configures it: the token never picks its algorithm. */
const JOSE_DECRYPT_OPTIONS = {
  keyManagementAlgorithms: ['dir'],
  contentEncryptionAlgorithms: ['A256GCM'],
  maxDecompressedLength: 0,
}
const JOSE_VERIFY_OPTIONS = { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }
/** The size sweep reaches 1 MiB, whose token (~1.4 M characters) exceeds the 64 Ki default cap. */
export const SWEEP_MAX_TOKEN_LENGTH = 4 * 1024 * 1024
/** Plaintext sizes of the sweep: 100 B, 1 KiB, 64 KiB, 1 MiB. */
export const SWEEP_SIZES: readonly number[] = [100, 1024, 64 * 1024, 1024 * 1024]

const textDecoder = new TextDecoder()

/** Exact-size bytes that own their buffer (never a view over Node's pool). */
function freshKey(): Uint8Array {
  return new Uint8Array(randomBytes(32))
}

/** The keys and the claims set every case shares. */
export interface Fixtures {
  readonly signingKey: Uint8Array
  readonly encryptionKey: Uint8Array
  readonly claims: JWTPayload
  readonly claimsBytes: Uint8Array
}

export function makeFixtures(): Fixtures {
  const now = Math.floor(Date.now() / 1000)
  // A typical access token: registered claims plus a few application claims.
  const claims: JWTPayload = {
    iss: ISSUER,
    sub: 'user-4711',
    aud: AUDIENCE,
    jti: 'f3c1b2a0-6d2e-4c53-9a8e-2f6b7c1d9e04',
    iat: now,
    exp: now + 3600,
    scope: 'orders:read orders:write',
    roles: ['reader', 'writer'],
  }
  return {
    signingKey: freshKey(),
    encryptionKey: freshKey(),
    claims,
    claimsBytes: new TextEncoder().encode(JSON.stringify(claims)),
  }
}

/** The fixtures' keys imported once as WebCrypto keys: jose then skips its per-call import. */
export interface JoseKeys {
  readonly hmac: webcrypto.CryptoKey
  readonly aesGcm: webcrypto.CryptoKey
}

export async function importJoseKeys(fixtures: Fixtures): Promise<JoseKeys> {
  const subtle = webcrypto.subtle
  return {
    hmac: await subtle.importKey(
      'raw',
      fixtures.signingKey,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    ),
    aesGcm: await subtle.importKey('raw', fixtures.encryptionKey, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]),
  }
}

/** Flips the first character of the last segment (the MAC or the tag): same length, still canonical. */
export function tamperLastSegment(token: string): string {
  const at = token.lastIndexOf('.') + 1
  const replacement = token.charAt(at) === 'A' ? 'B' : 'A'
  return `${token.slice(0, at)}${replacement}${token.slice(at + 1)}`
}

async function assertRejects(action: () => unknown, who: string): Promise<void> {
  let threw = false
  try {
    await action()
  } catch {
    threw = true
  }
  assert.ok(threw, `${who} accepted a tampered token`)
}

// ---------------------------------------------------------------- contender builders

export function signer(
  name: string,
  role: Role,
  isAsync: boolean,
  sign: () => string | Promise<string>,
  fixtures: Fixtures,
): Contender {
  async function sanity(): Promise<void> {
    const token = await sign()
    const { payload } = await jwtVerify(token, fixtures.signingKey, JOSE_VERIFY_OPTIONS)
    assert.deepEqual(payload, fixtures.claims, `${name}: jose reads other claims`)
  }
  return { name, role, async: isAsync, run: sign, sanity }
}

export function verifier<T>(
  name: string,
  role: Role,
  isAsync: boolean,
  verify: (token: string) => T | Promise<T>,
  claimsOf: (result: T) => unknown,
  token: string,
  fixtures: Fixtures,
): Contender {
  async function sanity(): Promise<void> {
    // The token itself must verify with jose, and this contender must agree on the claims.
    const reference = await jwtVerify(token, fixtures.signingKey, JOSE_VERIFY_OPTIONS)
    assert.deepEqual(reference.payload, fixtures.claims, 'jose rejects the verify fixture')
    assert.deepEqual(claimsOf(await verify(token)), fixtures.claims, `${name}: wrong claims`)
    await assertRejects(() => verify(tamperLastSegment(token)), name)
  }
  return { name, role, async: isAsync, run: () => verify(token), sanity }
}

export function encrypter(
  name: string,
  role: Role,
  isAsync: boolean,
  encrypt: () => string | Promise<string>,
  plaintext: Uint8Array,
  key: Uint8Array,
): Contender {
  async function sanity(): Promise<void> {
    const first = await encrypt()
    const second = await encrypt()
    // RFC 7518 §5.3: a fresh IV per message; the same output twice means a reused IV.
    assert.notEqual(first, second, `${name}: two encryptions gave the same token`)
    const { plaintext: decrypted } = await compactDecrypt(first, key, JOSE_DECRYPT_OPTIONS)
    assert.ok(Buffer.from(decrypted).equals(plaintext), `${name}: jose decrypts other bytes`)
  }
  return { name, role, async: isAsync, run: encrypt, sanity }
}

export function decrypter(
  name: string,
  role: Role,
  isAsync: boolean,
  decrypt: (token: string) => Uint8Array | Promise<Uint8Array>,
  token: string,
  plaintext: Uint8Array,
  key: Uint8Array,
): Contender {
  async function sanity(): Promise<void> {
    const reference = await compactDecrypt(token, key, JOSE_DECRYPT_OPTIONS)
    assert.ok(Buffer.from(reference.plaintext).equals(plaintext), 'jose rejects the fixture')
    const decrypted = await decrypt(token)
    assert.ok(Buffer.from(decrypted).equals(plaintext), `${name}: wrong plaintext`)
    await assertRejects(() => decrypt(tamperLastSegment(token)), name)
  }
  return { name, role, async: isAsync, run: () => decrypt(token), sanity }
}

// ---------------------------------------------------------------- jose, the async way

type JoseKey = Uint8Array | webcrypto.CryptoKey

async function joseSign(fixtures: Fixtures, key: JoseKey = fixtures.signingKey): Promise<string> {
  return new SignJWT(fixtures.claims).setProtectedHeader(JWS_HEADER).sign(key)
}

async function joseEncrypt(plaintext: Uint8Array, key: JoseKey): Promise<string> {
  return new CompactEncrypt(plaintext).setProtectedHeader(JWE_HEADER).encrypt(key)
}

async function joseDecrypt(token: string, key: JoseKey): Promise<Uint8Array> {
  return (await compactDecrypt(token, key, JOSE_DECRYPT_OPTIONS)).plaintext
}

async function joseSignThenEncrypt(fixtures: Fixtures): Promise<string> {
  const inner = await joseSign(fixtures)
  return new CompactEncrypt(new TextEncoder().encode(inner))
    .setProtectedHeader(NESTED_HEADER)
    .encrypt(fixtures.encryptionKey)
}

async function joseDecryptThenVerify(token: string, fixtures: Fixtures): Promise<JWTPayload> {
  const outer = await compactDecrypt(token, fixtures.encryptionKey, JOSE_DECRYPT_OPTIONS)
  if (outer.protectedHeader.cty !== 'JWT') throw new Error('not a nested JWT')
  const inner = await jwtVerify(
    textDecoder.decode(outer.plaintext),
    fixtures.signingKey,
    JOSE_VERIFY_OPTIONS,
  )
  return inner.payload
}

// ---------------------------------------------------------------- the cases

function hs256Cases(fixtures: Fixtures, joseKeys: JoseKeys): BenchCase[] {
  const { signingKey, claims } = fixtures
  const keyBuffer = Buffer.from(signingKey)
  // fast-jwt builds its signer and verifier once (header template, key checks);
  // the verified-token cache stays off (its default), or it would time a Map lookup.
  const fastSign = createSigner({ key: keyBuffer, algorithm: 'HS256' })
  const fastVerify = createVerifier({
    key: keyBuffer,
    algorithms: ['HS256'],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
  })
  // jsonwebtoken first tries to read a Buffer or string secret as a PEM/DER key and
  // falls back to a secret key when that throws, on every call; handing it a KeyObject
  // made once skips that. Both are measured: the first is how it is usually called.
  const keyObject = createSecretKey(keyBuffer)
  const token = signJwt(claims, signingKey)
  const ownClaims = (result: { payload: unknown }): unknown => result.payload
  const sameValue = (result: unknown): unknown => result
  return [
    {
      id: 'hs256-sign',
      title: 'HS256 sign (JWT)',
      group: 'hs256',
      contenders: [
        signer('src', 'src', false, () => signJwt(claims, signingKey), fixtures),
        signer('jose', 'jose', true, () => joseSign(fixtures), fixtures),
        signer('jose, CryptoKey', 'peer', true, () => joseSign(fixtures, joseKeys.hmac), fixtures),
        signer('fast-jwt', 'peer', false, () => fastSign(claims), fixtures),
        signer(
          'jsonwebtoken',
          'peer',
          false,
          () => jsonwebtoken.sign(claims, keyBuffer, { algorithm: 'HS256' }),
          fixtures,
        ),
        signer(
          'jsonwebtoken, KeyObject',
          'peer',
          false,
          () => jsonwebtoken.sign(claims, keyObject, { algorithm: 'HS256' }),
          fixtures,
        ),
        signer(
          'floor',
          'floor',
          false,
          () => floorSignHs256(JWS_HEADER, claims, signingKey),
          fixtures,
        ),
      ],
    },
    {
      id: 'hs256-verify',
      title: 'HS256 verify (JWT, iss + aud checked)',
      group: 'hs256',
      contenders: [
        verifier(
          'src',
          'src',
          false,
          (t) => verifyJwt(t, signingKey, { issuer: ISSUER, audience: AUDIENCE }),
          ownClaims,
          token,
          fixtures,
        ),
        verifier(
          'jose',
          'jose',
          true,
          (t) => jwtVerify(t, signingKey, JOSE_VERIFY_OPTIONS),
          ownClaims,
          token,
          fixtures,
        ),
        verifier(
          'jose, CryptoKey',
          'peer',
          true,
          (t) => jwtVerify(t, joseKeys.hmac, JOSE_VERIFY_OPTIONS),
          ownClaims,
          token,
          fixtures,
        ),
        verifier('fast-jwt', 'peer', false, (t) => fastVerify(t), sameValue, token, fixtures),
        verifier(
          'jsonwebtoken',
          'peer',
          false,
          (t) =>
            jsonwebtoken.verify(t, keyBuffer, {
              algorithms: ['HS256'],
              issuer: ISSUER,
              audience: AUDIENCE,
            }),
          sameValue,
          token,
          fixtures,
        ),
        verifier(
          'jsonwebtoken, KeyObject',
          'peer',
          false,
          (t) =>
            jsonwebtoken.verify(t, keyObject, {
              algorithms: ['HS256'],
              issuer: ISSUER,
              audience: AUDIENCE,
            }),
          sameValue,
          token,
          fixtures,
        ),
        verifier(
          'floor',
          'floor',
          false,
          (t) => floorVerifyHs256(t, signingKey),
          sameValue,
          token,
          fixtures,
        ),
      ],
    },
  ]
}

function jweCases(
  id: string,
  title: string,
  group: 'jwe' | 'sweep',
  plaintext: Uint8Array,
  key: Uint8Array,
  maxTokenLength: number | undefined,
  joseKey: webcrypto.CryptoKey | undefined,
): BenchCase[] {
  const token = encryptCompact(plaintext, key)
  const options = maxTokenLength === undefined ? {} : { maxTokenLength }
  const bytes = plaintext.length
  const encrypters: Contender[] = [
    encrypter('src', 'src', false, () => encryptCompact(plaintext, key), plaintext, key),
    encrypter('jose', 'jose', true, () => joseEncrypt(plaintext, key), plaintext, key),
  ]
  const decrypters: Contender[] = [
    decrypter(
      'src',
      'src',
      false,
      (t) => decryptCompact(t, key, options).plaintext,
      token,
      plaintext,
      key,
    ),
    decrypter('jose', 'jose', true, (t) => joseDecrypt(t, key), token, plaintext, key),
  ]
  if (joseKey !== undefined) {
    encrypters.push(
      encrypter(
        'jose, CryptoKey',
        'peer',
        true,
        () => joseEncrypt(plaintext, joseKey),
        plaintext,
        key,
      ),
    )
    decrypters.push(
      decrypter(
        'jose, CryptoKey',
        'peer',
        true,
        (t) => joseDecrypt(t, joseKey),
        token,
        plaintext,
        key,
      ),
    )
  }
  encrypters.push(
    encrypter(
      'floor',
      'floor',
      false,
      () => floorEncryptA256gcm(JWE_HEADER, plaintext, key),
      plaintext,
      key,
    ),
  )
  decrypters.push(
    decrypter('floor', 'floor', false, (t) => floorDecryptA256gcm(t, key), token, plaintext, key),
  )
  return [
    { id: `${id}-encrypt`, title: `${title} encrypt`, group, bytes, contenders: encrypters },
    { id: `${id}-decrypt`, title: `${title} decrypt`, group, bytes, contenders: decrypters },
  ]
}

function nestedCases(fixtures: Fixtures): BenchCase[] {
  const keys = { signingKey: fixtures.signingKey, encryptionKey: fixtures.encryptionKey }
  const token = signThenEncrypt(fixtures.claims, keys)
  // The floor of a nested token is the two floors, one inside the other.
  const floorEncryptNested = (): string =>
    floorEncryptA256gcm(
      NESTED_HEADER,
      Buffer.from(floorSignHs256(JWS_HEADER, fixtures.claims, fixtures.signingKey)),
      fixtures.encryptionKey,
    )
  const floorDecryptNested = (t: string): JWTPayload =>
    floorVerifyHs256(
      textDecoder.decode(floorDecryptA256gcm(t, fixtures.encryptionKey)),
      fixtures.signingKey,
    ) as JWTPayload
  async function sanityEncrypt(make: () => string | Promise<string>, name: string): Promise<void> {
    const payload = await joseDecryptThenVerify(await make(), fixtures)
    assert.deepEqual(payload, fixtures.claims, `${name}: jose reads other claims`)
  }
  async function sanityDecrypt(
    read: (t: string) => JWTPayload | Promise<JWTPayload>,
    name: string,
  ): Promise<void> {
    assert.deepEqual(await joseDecryptThenVerify(token, fixtures), fixtures.claims)
    assert.deepEqual(await read(token), fixtures.claims, `${name}: wrong claims`)
    await assertRejects(() => read(tamperLastSegment(token)), name)
  }
  const srcEncrypt = (): string => signThenEncrypt(fixtures.claims, keys)
  const joseEncryptNested = (): Promise<string> => joseSignThenEncrypt(fixtures)
  const srcDecrypt = (t: string): JWTPayload =>
    decryptThenVerify(t, keys, { issuer: ISSUER, audience: AUDIENCE }).payload
  const joseDecryptNested = (t: string): Promise<JWTPayload> => joseDecryptThenVerify(t, fixtures)
  return [
    {
      id: 'nested-encrypt',
      title: 'Nested sign-then-encrypt',
      group: 'nested',
      contenders: [
        {
          name: 'src',
          role: 'src',
          async: false,
          run: srcEncrypt,
          sanity: () => sanityEncrypt(srcEncrypt, 'src'),
        },
        {
          name: 'jose',
          role: 'jose',
          async: true,
          run: joseEncryptNested,
          sanity: () => sanityEncrypt(joseEncryptNested, 'jose'),
        },
        {
          name: 'floor',
          role: 'floor',
          async: false,
          run: floorEncryptNested,
          sanity: () => sanityEncrypt(floorEncryptNested, 'floor'),
        },
      ],
    },
    {
      id: 'nested-decrypt',
      title: 'Nested decrypt-then-verify',
      group: 'nested',
      contenders: [
        {
          name: 'src',
          role: 'src',
          async: false,
          run: () => srcDecrypt(token),
          sanity: () => sanityDecrypt(srcDecrypt, 'src'),
        },
        {
          name: 'jose',
          role: 'jose',
          async: true,
          run: () => joseDecryptNested(token),
          sanity: () => sanityDecrypt(joseDecryptNested, 'jose'),
        },
        {
          name: 'floor',
          role: 'floor',
          async: false,
          run: () => floorDecryptNested(token),
          sanity: () => sanityDecrypt(floorDecryptNested, 'floor'),
        },
      ],
    },
  ]
}

/**
 * A JWS of exactly `length` characters whose header is as costly as a header can be to
 * check: thousands of short distinct members, each a name to compare with every other.
 * Both sides parse all of it: the MAC is valid, so neither stops early.
 */
export function worstCaseJws(length: number, key: Uint8Array): string {
  const payload = Buffer.from('{}').toString('base64url')
  // HS256's signature is 43 characters, plus two dots; the header segment takes the rest,
  // and base64url spends 4 characters on every 3 bytes.
  const headerSegmentChars = length - payload.length - 43 - 2
  const maxJsonBytes = Math.floor((headerSegmentChars * 3) / 4)
  let json = '{"alg":"HS256"'
  for (let i = 0; json.length + `,"m${i}":0}`.length <= maxJsonBytes; i++) json += `,"m${i}":0`
  // Insignificant whitespace (RFC 8259 §2) lands the segment on the exact length.
  json = `${json}${' '.repeat(maxJsonBytes - json.length - 1)}}`
  let segment = Buffer.from(json).toString('base64url')
  while (segment.length < headerSegmentChars) {
    json = ` ${json}`
    segment = Buffer.from(json).toString('base64url')
  }
  const signingInput = `${segment}.${payload}`
  const signature = createHmac('sha256', key).update(signingInput).digest('base64url')
  return `${signingInput}.${signature}`
}

/** The cap cases: an over-cap token costs O(1), and the worst input at the cap is linear. */
function capCases(fixtures: Fixtures): BenchCase[] {
  const key = fixtures.signingKey
  const oneOver = 'a'.repeat(65_537)
  const huge = 'a'.repeat(16 * 1024 * 1024)
  const refusal = (token: string) => (): unknown => {
    try {
      return verifyCompact(token, key)
    } catch (error) {
      return error
    }
  }
  async function sanityRefused(run: () => unknown, name: string): Promise<void> {
    assert.equal((run() as { code?: unknown }).code, 'ERR_JWS_INVALID', `${name}: not refused`)
  }
  const atCap = worstCaseJws(65_536, key)
  const atFourTimesCap = worstCaseJws(4 * 65_536, key)
  assert.equal(atCap.length, 65_536)
  const srcAt = (token: string) => (): unknown =>
    verifyCompact(token, key, { maxTokenLength: token.length })
  const joseAt = (token: string) => (): Promise<unknown> =>
    compactVerify(token, key, { algorithms: ['HS256'] })
  async function sanityAccepted(run: () => unknown, name: string): Promise<void> {
    const { protectedHeader } = (await run()) as { protectedHeader: { alg?: unknown } }
    assert.equal(protectedHeader.alg, 'HS256', `${name}: not verified`)
  }
  return [
    {
      id: 'cap-over',
      title: 'Refusing an over-cap token (16 MiB)',
      group: 'cap',
      contenders: [
        {
          name: 'src, 16 MiB',
          role: 'src',
          async: false,
          run: refusal(huge),
          sanity: () => sanityRefused(refusal(huge), 'src, 16 MiB'),
        },
        {
          name: 'src, 1 character over the cap (baseline)',
          role: 'floor',
          async: false,
          run: refusal(oneOver),
          sanity: () => sanityRefused(refusal(oneOver), 'src, one over'),
        },
      ],
    },
    {
      id: 'cap-worst',
      title: 'Worst case at the cap (65,536 characters)',
      group: 'cap',
      contenders: [
        {
          name: 'src',
          role: 'src',
          async: false,
          run: srcAt(atCap),
          sanity: () => sanityAccepted(srcAt(atCap), 'src'),
        },
        {
          name: 'jose',
          role: 'jose',
          async: true,
          run: joseAt(atCap),
          sanity: () => sanityAccepted(joseAt(atCap), 'jose'),
        },
      ],
    },
    {
      id: 'cap-worst-4x',
      title: 'The same shape at 4× the length (262,144 characters)',
      group: 'cap',
      contenders: [
        {
          name: 'src, 262,144',
          role: 'src',
          async: false,
          run: srcAt(atFourTimesCap),
          sanity: () => sanityAccepted(srcAt(atFourTimesCap), 'src, 4x'),
        },
        {
          name: 'jose, 262,144',
          role: 'jose',
          async: true,
          run: joseAt(atFourTimesCap),
          sanity: () => sanityAccepted(joseAt(atFourTimesCap), 'jose, 4x'),
        },
        {
          name: 'src, 65,536 (baseline)',
          role: 'floor',
          async: false,
          run: srcAt(atCap),
          sanity: () => sanityAccepted(srcAt(atCap), 'src, 1x'),
        },
      ],
    },
  ]
}

/** A readable size label: 100 B, 1 KiB, 64 KiB, 1 MiB. */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} B`
}

/** Every case of `npm run bench`, in report order. */
export async function buildCases(fixtures: Fixtures = makeFixtures()): Promise<BenchCase[]> {
  const joseKeys = await importJoseKeys(fixtures)
  const cases: BenchCase[] = [
    ...hs256Cases(fixtures, joseKeys),
    ...jweCases(
      'jwe',
      'dir + A256GCM (claims set)',
      'jwe',
      fixtures.claimsBytes,
      fixtures.encryptionKey,
      undefined,
      joseKeys.aesGcm,
    ),
    ...nestedCases(fixtures),
    ...capCases(fixtures),
  ]
  for (const size of SWEEP_SIZES) {
    const plaintext = new Uint8Array(randomBytes(size))
    cases.push(
      ...jweCases(
        `sweep-${size}`,
        `JWE ${sizeLabel(size)}`,
        'sweep',
        plaintext,
        fixtures.encryptionKey,
        SWEEP_MAX_TOKEN_LENGTH,
        undefined,
      ),
    )
  }
  cases.push(...glassBoxCases())
  return cases
}

/** Runs every contender's sanity check; the first failure throws and aborts the run. */
export async function sanityCheck(cases: readonly BenchCase[]): Promise<number> {
  let checked = 0
  for (const benchCase of cases) {
    for (const contender of benchCase.contenders) {
      try {
        await contender.sanity()
      } catch (error) {
        throw new Error(`sanity check failed: ${benchCase.id} / ${contender.name}`, {
          cause: error,
        })
      }
      checked++
    }
  }
  return checked
}
