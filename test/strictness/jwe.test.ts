/**
 * Strictness of JWE decryption (issue 2 §3): size cap, framing, canonical base64url in
 * every segment, `zip`, the `alg`/`enc` allowlists, key sizes, the empty encrypted
 * key, the 96-bit IV and 128-bit tag, and one vague error for every authentication
 * failure.
 *
 * Tokens are encrypted by hand with node:crypto so that the GCM tag is VALID over the
 * received header segment: the rule under test is the only thing wrong. Each test also
 * records raw `jose` (compactDecrypt with keyManagementAlgorithms ['dir'] and the
 * content encryption allowlist set, nothing else). Header JSON rules: json.test.ts.
 */

import { type CipherGCMTypes, createCipheriv, createDecipheriv, createHash } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import * as jose from 'jose'
import { decryptCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { b64u, RESPELLINGS, type Respelling } from '../support/forge.ts'
import { ACCEPTED, codeOf } from '../support/implementations.ts'

const KEY = new Uint8Array(32).fill(2)
const JWE_INVALID = 'ERR_JWE_INVALID'
const ALG_NOT_ALLOWED = 'ERR_JOSE_ALG_NOT_ALLOWED'
const NOT_SUPPORTED = 'ERR_JOSE_NOT_SUPPORTED'
const DECRYPTION_FAILED = 'ERR_JWE_DECRYPTION_FAILED'
const CIPHER_FOR_KEY_BYTES: Readonly<Record<number, CipherGCMTypes>> = {
  16: 'aes-128-gcm',
  24: 'aes-192-gcm',
  32: 'aes-256-gcm',
}

type Parts = [string, string, string, string, string]

interface Encryption {
  key?: Uint8Array
  iv?: Uint8Array
  plaintext?: Uint8Array | string
}

/** GCM tag and ciphertext as bytes, with AAD = the header segment exactly as given (RFC 7516 §5.1 step 14). */
function gcm(headerSegment: string, spec: Encryption): { ciphertext: Buffer; tag: Buffer } {
  const key = spec.key ?? KEY
  const cipher = createCipheriv(
    CIPHER_FOR_KEY_BYTES[key.length] as CipherGCMTypes,
    key,
    spec.iv ?? new Uint8Array(12).fill(3),
    { authTagLength: 16 },
  )
  cipher.setAAD(Buffer.from(headerSegment, 'utf8'))
  const ciphertext = Buffer.concat([
    cipher.update(spec.plaintext ?? 'attack at dawn'),
    cipher.final(),
  ])
  return { ciphertext, tag: cipher.getAuthTag() }
}

/** The five segments of a `dir` JWE whose tag verifies over `headerSegment`. */
function encryptParts(headerSegment: string, spec: Encryption = {}): Parts {
  const { ciphertext, tag } = gcm(headerSegment, spec)
  return [
    headerSegment,
    '',
    b64u(spec.iv ?? new Uint8Array(12).fill(3)),
    b64u(ciphertext),
    b64u(tag),
  ]
}

function encrypted(headerJson: string, spec: Encryption = {}): string {
  return encryptParts(b64u(headerJson), spec).join('.')
}

const DIR_A256GCM = '{"alg":"dir","enc":"A256GCM"}'

interface Verdicts {
  src: string
  jose: string
}

interface Options {
  contentEncryptionAlgorithms?: string[]
  maxTokenLength?: number
}

/** src with `options` as given; raw jose with `dir` and the enc allowlist set (and its default zip handling). */
async function verdicts(
  token: string,
  key: Uint8Array = KEY,
  options: Options = {},
): Promise<Verdicts> {
  return {
    src: await codeOf(() => decryptCompact(token, key, options)),
    jose: await codeOf(() =>
      jose.compactDecrypt(token, key, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: options.contentEncryptionAlgorithms ?? ['A256GCM'],
      }),
    ),
  }
}

function agree(outcome: string): Verdicts {
  return { src: outcome, jose: outcome }
}

function encodedLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3)
}

/** A valid JWE of exactly `length` characters: the plaintext size and a header member take up the slack. */
function tokenOfLength(length: number): string {
  for (let pad = 0; pad < 4; pad++) {
    const header = b64u(`{"alg":"dir","enc":"A256GCM","p":"${'a'.repeat(pad)}"}`)
    // header '.' '' '.' iv(16) '.' ciphertext '.' tag(22)
    const ciphertextLength = length - (header.length + 2 + 16 + 1 + 1 + 22)
    const plaintextBytes = Math.floor((ciphertextLength * 3) / 4)
    if (ciphertextLength < 0 || encodedLength(plaintextBytes) !== ciphertextLength) continue
    const token = encryptParts(header, { plaintext: new Uint8Array(plaintextBytes) }).join('.')
    if (token.length !== length) throw new Error('length arithmetic is off')
    return token
  }
  throw new Error(`no token of length ${length}`)
}

describe('size cap (issue 2 §3)', () => {
  test('default 65,536: exactly 65,536 characters passes, 65,537 fails (jose has no cap)', async () => {
    expect(await verdicts(tokenOfLength(65_536))).toEqual(agree(ACCEPTED))
    expect(await verdicts(tokenOfLength(65_537))).toEqual({ src: JWE_INVALID, jose: ACCEPTED })
  })

  test('a custom maxTokenLength moves the boundary', async () => {
    const token = tokenOfLength(150)
    expect(await verdicts(token, KEY, { maxTokenLength: 150 })).toEqual(agree(ACCEPTED))
    expect(await verdicts(token, KEY, { maxTokenLength: 149 })).toEqual({
      src: JWE_INVALID,
      jose: ACCEPTED,
    })
  })

  test('a million dots is refused by the cap, before any split', async () => {
    const dots = '.'.repeat(1_000_000)
    expect(() => decryptCompact(dots, KEY)).toThrow(
      expect.objectContaining({
        code: JWE_INVALID,
        message: expect.stringMatching(/maxTokenLength/),
      }),
    )
    expect(await verdicts(dots)).toEqual(agree(JWE_INVALID))
  })

  test.each([
    ['zero', 0],
    ['negative', -5],
    ['fractional', 10.5],
    ['NaN', Number.NaN],
    ['a string', '65536'],
  ])('maxTokenLength %s: TypeError', (_name, value) => {
    const options = { maxTokenLength: value as number }
    expect(() => decryptCompact(encrypted(DIR_A256GCM), KEY, options)).toThrow(TypeError)
  })
})

describe('framing: exactly five segments (RFC 7516 §7.1)', () => {
  const valid = encrypted(DIR_A256GCM)

  test('the unmodified token decrypts (control)', async () => {
    expect(await verdicts(valid)).toEqual(agree(ACCEPTED))
  })

  test.each([
    ['empty token', ''],
    ['three segments (a JWS shape)', valid.split('.').slice(0, 3).join('.')],
    ['four segments', valid.split('.').slice(0, 4).join('.')],
    ['six segments', `${valid}.`],
    ['seven segments', `${valid}..`],
  ])('%s: ERR_JWE_INVALID', async (_name, token) => {
    expect(await verdicts(token)).toEqual(agree(JWE_INVALID))
  })
})

// The IV segment is 16 characters: 12 bytes fill it exactly, so padding and spare bits
// cannot occur there. Every other pair of segment and mutation is tested.
const SEGMENTS = [
  { name: 'header', index: 0 },
  { name: 'IV', index: 2 },
  { name: 'ciphertext', index: 3 },
  { name: 'tag', index: 4 },
] as const

function baseFor(
  index: number,
  mutation: Respelling,
): { parts: Parts; spec: Encryption } | undefined {
  for (let i = 0; i < 5_000; i++) {
    const spec = {
      iv: new Uint8Array(createHash('sha256').update(`iv ${i}`).digest().subarray(0, 12)),
      plaintext: `{"x":"~~~???","i":${i}}`,
    }
    const parts = encryptParts(b64u(`{"alg":"dir","enc":"A256GCM","x":"~~~???","i":${i}}`), spec)
    if (mutation.apply(parts[index] as string) !== undefined) return { parts, spec }
  }
  return undefined
}

const CANONICAL_CASES = SEGMENTS.flatMap((segment) =>
  RESPELLINGS.filter(
    (mutation) =>
      segment.name !== 'IV' || !['padding', 'non-zero'].some((p) => mutation.name.startsWith(p)),
  ).map((mutation) => ({
    segment: segment.name,
    index: segment.index,
    mutation,
    base: baseFor(segment.index, mutation),
  })),
)

describe('canonical base64url in every segment (RFC 7516 §2, RFC 4648 §3.5)', () => {
  test('every listed mutation applies to its segment (the table is complete)', () => {
    expect(CANONICAL_CASES.length).toBe(4 * RESPELLINGS.length - 2)
    const missing = CANONICAL_CASES.filter((c) => c.base === undefined).map(
      (c) => `${c.segment}: ${c.mutation.name}`,
    )
    expect(missing).toEqual([])
  })

  test.each(CANONICAL_CASES)('$segment with $mutation.name', async ({ index, mutation, base }) => {
    const { parts, spec } = base as { parts: Parts; spec: Encryption }
    expect(await verdicts(parts.join('.'))).toEqual(agree(ACCEPTED))
    const mutated = [...parts] as Parts
    mutated[index] = mutation.apply(parts[index] as string) as string
    // A re-spelled header is new AAD: encrypt again so the tag covers the new spelling.
    if (index === 0) {
      const again = encryptParts(mutated[0], spec)
      mutated[3] = again[3]
      mutated[4] = again[4]
    }
    expect(await verdicts(mutated.join('.'))).toEqual({
      src: JWE_INVALID,
      jose: mutation.jose === 'accepted' ? ACCEPTED : JWE_INVALID,
    })
  })
})

describe('zip is not supported (issue 2 §3; RFC 7516 §4.1.3)', () => {
  test('zip DEF over truly deflated plaintext: src refuses, raw jose inflates it', async () => {
    const token = encrypted('{"alg":"dir","enc":"A256GCM","zip":"DEF"}', {
      plaintext: deflateRawSync('a'.repeat(1000)),
    })
    expect(await verdicts(token)).toEqual({ src: NOT_SUPPORTED, jose: ACCEPTED })
  })

  test.each([
    ['GZIP', '"GZIP"'],
    ['lower-case def', '"def"'],
    ['empty', '""'],
    ['null', 'null'],
  ])('zip %s: ERR_JOSE_NOT_SUPPORTED', async (_name, value) => {
    const token = encrypted(`{"alg":"dir","enc":"A256GCM","zip":${value}}`)
    expect(await verdicts(token)).toEqual(agree(NOT_SUPPORTED))
  })

  // "DEF" is refused only after the tag verifies, as jose (decompression off) does:
  // a token without the key gets the same vague error as any other forgery, and a
  // policy fault (the alg) is reported before it, so single faults agree on codes.
  test('zip DEF under the wrong key: the vague decryption error, from both', async () => {
    const token = encrypted('{"alg":"dir","enc":"A256GCM","zip":"DEF"}')
    const wrongKey = new Uint8Array(32).fill(9)
    expect(await verdicts(token, wrongKey)).toEqual(agree(DECRYPTION_FAILED))
  })

  test('zip DEF with alg A256KW: the alg policy speaks first, for both', async () => {
    const token = encrypted('{"alg":"A256KW","enc":"A256GCM","zip":"DEF"}')
    expect(await verdicts(token)).toEqual(agree(ALG_NOT_ALLOWED))
  })

  test('zip DEF: the authenticated plaintext is refused, not returned', async () => {
    const token = encrypted('{"alg":"dir","enc":"A256GCM","zip":"DEF"}')
    const reference = await codeOf(() =>
      jose.compactDecrypt(token, KEY, { maxDecompressedLength: 0 }),
    )
    expect({ src: await codeOf(() => decryptCompact(token, KEY)), jose: reference }).toEqual(
      agree(NOT_SUPPORTED),
    )
  })
})

describe('alg must be dir, enc must be allowlisted (RFC 7518 §4.5, RFC 8725 §3.1)', () => {
  test.each([
    ['A256KW', 'A256KW'],
    ['RSA-OAEP', 'RSA-OAEP'],
    ['none', 'none'],
    ['DIR', 'DIR'],
    ['HS256 (a JWS alg)', 'HS256'],
  ])('alg %s: ERR_JOSE_ALG_NOT_ALLOWED', async (_name, alg) => {
    const token = encrypted(JSON.stringify({ alg, enc: 'A256GCM' }))
    expect(await verdicts(token)).toEqual(agree(ALG_NOT_ALLOWED))
  })

  test.each([
    ['alg missing', '{"enc":"A256GCM"}'],
    ['alg empty', '{"alg":"","enc":"A256GCM"}'],
    ['alg a number', '{"alg":1,"enc":"A256GCM"}'],
    ['enc missing', '{"alg":"dir"}'],
    ['enc empty', '{"alg":"dir","enc":""}'],
    ['enc null', '{"alg":"dir","enc":null}'],
  ])('%s: ERR_JWE_INVALID', async (_name, json) => {
    expect(await verdicts(encrypted(json))).toEqual(agree(JWE_INVALID))
  })

  test.each([
    ['A128GCM (not listed)', 'A128GCM'],
    ['A192GCM (not listed)', 'A192GCM'],
    ['A256CBC-HS512', 'A256CBC-HS512'],
    ['lower-case a256gcm', 'a256gcm'],
  ])('enc %s with the default allowlist: ERR_JOSE_ALG_NOT_ALLOWED', async (_name, enc) => {
    const token = encrypted(JSON.stringify({ alg: 'dir', enc }))
    expect(await verdicts(token)).toEqual(agree(ALG_NOT_ALLOWED))
  })

  test.each([
    ['A128GCM', 16],
    ['A192GCM', 24],
  ])('%s is accepted when listed (with a key of its size)', async (enc, keyBytes) => {
    const key = new Uint8Array(keyBytes).fill(2)
    const token = encrypted(JSON.stringify({ alg: 'dir', enc }), { key })
    expect(await verdicts(token, key, { contentEncryptionAlgorithms: [enc] })).toEqual(
      agree(ACCEPTED),
    )
  })

  test.each([
    ['an empty list', []],
    ['A256CBC-HS512', ['A256CBC-HS512']],
    ['dir', ['dir']],
    ['a string', 'A256GCM'],
  ])('contentEncryptionAlgorithms %s: TypeError', (_name, list) => {
    const options = { contentEncryptionAlgorithms: list as string[] }
    expect(() => decryptCompact(encrypted(DIR_A256GCM), KEY, options)).toThrow(TypeError)
  })
})

describe('key sizes (RFC 7518 §5.3: the dir key is the CEK)', () => {
  test('a key fitting no allowed enc is a programmer error: TypeError (raw jose: ERR_JWE_INVALID)', async () => {
    const token = encrypted(DIR_A256GCM)
    expect(await verdicts(token, new Uint8Array(31))).toEqual({
      src: 'TypeError',
      jose: JWE_INVALID,
    })
    const a128 = encrypted('{"alg":"dir","enc":"A128GCM"}', { key: new Uint8Array(16).fill(2) })
    const options = { contentEncryptionAlgorithms: ['A128GCM', 'A192GCM'] }
    expect(await verdicts(a128, new Uint8Array(20), options)).toEqual({
      src: 'TypeError',
      jose: JWE_INVALID,
    })
  })

  test('a key that is not a Uint8Array: TypeError', () => {
    expect(() =>
      decryptCompact(encrypted(DIR_A256GCM), 'k'.repeat(32) as unknown as Uint8Array),
    ).toThrow(TypeError)
  })

  test('several enc allowed, the key fits one, the token names another: ERR_JWE_INVALID', async () => {
    const options = { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] }
    const a256 = encrypted(DIR_A256GCM)
    expect(await verdicts(a256, new Uint8Array(16).fill(2), options)).toEqual(agree(JWE_INVALID))
    const key16 = new Uint8Array(16).fill(2)
    const a128 = encrypted('{"alg":"dir","enc":"A128GCM"}', { key: key16 })
    expect(await verdicts(a128, KEY, options)).toEqual(agree(JWE_INVALID))
    // Control: each key opens the token made for it under the same options.
    expect(await verdicts(a128, key16, options)).toEqual(agree(ACCEPTED))
    expect(await verdicts(a256, KEY, options)).toEqual(agree(ACCEPTED))
  })
})

describe('encrypted key, IV and tag sizes (RFC 7518 §4.5, §5.3)', () => {
  test.each([
    ['4 zero bytes', b64u(new Uint8Array(4))],
    ['32 bytes', b64u(new Uint8Array(32).fill(9))],
    ["just '='", '='],
    ['one character', 'A'],
  ])('a non-empty encrypted key (%s): ERR_JWE_INVALID', async (_name, encryptedKey) => {
    const parts = encryptParts(b64u(DIR_A256GCM))
    parts[1] = encryptedKey
    expect(await verdicts(parts.join('.'))).toEqual(agree(JWE_INVALID))
  })

  test.each([0, 8, 11, 13, 16])(
    'an IV of %i bytes (with a tag valid for it): ERR_JWE_INVALID',
    async (ivBytes) => {
      const iv = new Uint8Array(ivBytes).fill(5)
      // GCM accepts any non-empty IV, so for every size but 0 this tag really verifies.
      const parts =
        ivBytes === 0 ? encryptParts(b64u(DIR_A256GCM)) : encryptParts(b64u(DIR_A256GCM), { iv })
      parts[2] = b64u(iv)
      expect(await verdicts(parts.join('.'))).toEqual(agree(JWE_INVALID))
    },
  )

  test.each([0, 4, 8, 12, 15, 17])('a tag of %i bytes: ERR_JWE_INVALID', async (tagBytes) => {
    const parts = encryptParts(b64u(DIR_A256GCM))
    const tag = Buffer.from(parts[4], 'base64url')
    // A truncated GCM tag is a prefix of the full one; 17 bytes is the tag plus one.
    parts[4] = b64u(
      tagBytes <= 16 ? tag.subarray(0, tagBytes) : Buffer.concat([tag, Buffer.from([0])]),
    )
    expect(await verdicts(parts.join('.'))).toEqual(agree(JWE_INVALID))
  })

  test('why the tag size is pinned: Node alone accepts a 4-byte prefix of a valid tag', () => {
    const iv = new Uint8Array(12).fill(3)
    const { ciphertext, tag } = gcm('aad', { iv })
    const decipher = createDecipheriv('aes-256-gcm', KEY, iv)
    decipher.setAAD(Buffer.from('aad'))
    decipher.setAuthTag(tag.subarray(0, 4))
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()])
    expect(plaintext.toString()).toBe('attack at dawn')
  })
})

describe('every authentication failure is one vague ERR_JWE_DECRYPTION_FAILED (RFC 7516 §11.5)', () => {
  function flipBit(segment: string, byte: number): string {
    const bytes = Buffer.from(segment, 'base64url')
    bytes[byte] = (bytes[byte] as number) ^ 1
    return b64u(bytes)
  }

  const parts = encryptParts(b64u(DIR_A256GCM))
  const cases: [string, string, Uint8Array][] = [
    ['the wrong key', parts.join('.'), new Uint8Array(32).fill(7)],
    [
      'a flipped ciphertext bit',
      [parts[0], '', parts[2], flipBit(parts[3], 0), parts[4]].join('.'),
      KEY,
    ],
    ['a flipped tag bit', [parts[0], '', parts[2], parts[3], flipBit(parts[4], 15)].join('.'), KEY],
    ['a flipped IV bit', [parts[0], '', flipBit(parts[2], 11), parts[3], parts[4]].join('.'), KEY],
    [
      'the same header JSON re-spelled (other member order): new AAD',
      [b64u('{"enc":"A256GCM","alg":"dir"}'), '', parts[2], parts[3], parts[4]].join('.'),
      KEY,
    ],
    [
      'the same header JSON with a space: new AAD',
      [b64u('{"alg":"dir", "enc":"A256GCM"}'), '', parts[2], parts[3], parts[4]].join('.'),
      KEY,
    ],
    ['an empty ciphertext with the old tag', [parts[0], '', parts[2], '', parts[4]].join('.'), KEY],
  ]

  test.each(cases)('%s', async (_name, token, key) => {
    expect(await verdicts(token, key)).toEqual(agree(DECRYPTION_FAILED))
  })

  test('src gives the very same message for all of them', () => {
    const messages = new Set<string>()
    for (const [, token, key] of cases) {
      try {
        decryptCompact(token, key)
      } catch (error) {
        messages.add((error as Error).message)
      }
    }
    expect([...messages]).toEqual(['decryption operation failed'])
  })

  test('control: the untouched token decrypts to its plaintext', () => {
    expect(new TextDecoder().decode(decryptCompact(parts.join('.'), KEY).plaintext)).toBe(
      'attack at dawn',
    )
  })
})

describe('crit and b64 in a JWE header (RFC 7516 §4.1.13)', () => {
  test.each([
    ['crit empty', '{"alg":"dir","enc":"A256GCM","crit":[]}', JWE_INVALID],
    ['crit a string', '{"alg":"dir","enc":"A256GCM","crit":"exp","exp":1}', JWE_INVALID],
    ['crit [""]', '{"alg":"dir","enc":"A256GCM","crit":[""]}', JWE_INVALID],
    ['crit ["exp"]', '{"alg":"dir","enc":"A256GCM","crit":["exp"],"exp":1}', NOT_SUPPORTED],
    ['crit ["enc"] (registered)', '{"alg":"dir","enc":"A256GCM","crit":["enc"]}', NOT_SUPPORTED],
  ])('%s', async (_name, json, code) => {
    expect(await verdicts(encrypted(json))).toEqual(agree(code))
  })

  test('b64 means nothing in a JWE (RFC 7797 is about JWS): both carry it as an ordinary member', async () => {
    const token = encrypted('{"alg":"dir","enc":"A256GCM","b64":false}')
    expect(await verdicts(token)).toEqual({ src: ACCEPTED, jose: ACCEPTED })
  })
})
