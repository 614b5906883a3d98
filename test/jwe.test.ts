/**
 * JWE with dir and AES-GCM (src/jwe.ts, src/aes-gcm.ts): the size cap, framing,
 * canonical base64url in every segment, `zip`, the `alg`/`enc` allowlists, key sizes,
 * the empty encrypted key, the 96-bit IV and 128-bit tag, one vague error for every
 * authentication failure, the caller's side of encryptCompact, and plaintext that is
 * wiped when it must not be released.
 *
 * Tokens are encrypted by hand with node:crypto so that the GCM tag is VALID over the
 * received header segment: the rule under test is the only thing wrong. Most tests also
 * record raw `jose` (compactDecrypt with keyManagementAlgorithms ['dir'] and the content
 * encryption allowlist set, nothing else). Header JSON rules: json.test.ts.
 *
 * This file replaces node:crypto's createDecipheriv with a wrapper that keeps what
 * update() returned (to watch a wipe), so it runs in vitest's isolated project.
 */

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import * as jose from 'jose'
import { CompactEncrypt } from 'jose'
import { type DecryptOptions, decryptCompact, encryptCompact, type JWEHeader } from 'jose-by-hand'
import { beforeEach, describe, expect, test, vi } from 'vitest'
import { type GcmAlgorithm, gcmAlgorithm, gcmDecrypt } from '../src/aes-gcm.ts'
import * as arb from './support/arbitraries.ts'
import * as corpus from './support/corpus.ts'
import { expectCorpus } from './support/corpus.ts'
import {
  b64u,
  encodedLength,
  forgeJwe,
  patternKey,
  RESPELLINGS,
  type Respelling,
  tamper,
} from './support/forge.ts'
import {
  ACCEPTED,
  codeOf,
  implementations,
  reference,
  src,
  thrown,
} from './support/implementations.ts'

const KEY = new Uint8Array(32).fill(2)
const JWE_INVALID = 'ERR_JWE_INVALID'
const ALG_NOT_ALLOWED = 'ERR_JOSE_ALG_NOT_ALLOWED'
const NOT_SUPPORTED = 'ERR_JOSE_NOT_SUPPORTED'
const DECRYPTION_FAILED = 'ERR_JWE_DECRYPTION_FAILED'
type Parts = [string, string, string, string, string]

interface Encryption {
  key?: Uint8Array
  iv?: Uint8Array
  plaintext?: Uint8Array | string
}

/** The five segments of a `dir` JWE whose tag verifies over `headerSegment` (the forging kit's AAD). */
function encryptParts(headerSegment: string, spec: Encryption = {}): Parts {
  const plaintext = spec.plaintext ?? 'attack at dawn'
  const iv = spec.iv ?? new Uint8Array(12).fill(3)
  return forgeJwe(headerSegment, plaintext, spec.key ?? KEY, iv).split('.') as Parts
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

describe('size cap', () => {
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

describe('zip is not supported (RFC 7516 §4.1.3)', () => {
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
})

// Two faults in one token: an undecodable segment and a header policy problem. Both
// decode every segment before applying policy (RFC 7516 §5.2 steps 1–2 before step 3),
// so both name the malformed segment and a caller sees one code, whichever library runs.
describe('a malformed segment is reported before a header policy fault, as jose does', () => {
  test.each([
    ['crit', '{"alg":"dir","enc":"A256GCM","crit":["exp"],"exp":1}'],
    ['alg A256KW', '{"alg":"A256KW","enc":"A256GCM"}'],
    ['zip DEF', '{"alg":"dir","enc":"A256GCM","zip":"DEF"}'],
    ['enc A128CBC-HS256', '{"alg":"dir","enc":"A128CBC-HS256"}'],
  ])('%s with an IV segment holding "*": ERR_JWE_INVALID from both', async (_name, json) => {
    const segments = encrypted(json).split('.')
    segments[2] = '*'
    expect(await verdicts(segments.join('.'))).toEqual(agree(JWE_INVALID))
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
    const [, , , ciphertextSegment, tagSegment] = encryptParts('aad', { iv })
    const ciphertext = Buffer.from(ciphertextSegment, 'base64url')
    const tag = Buffer.from(tagSegment, 'base64url')
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

// src/jwe.ts: the checks mutation testing found unpinned.
//
// - The header passed to encryptCompact: `alg` and `enc` missing, empty or not strings
// are Invalid; an `alg` other than dir, an `enc` other than AES-GCM, and any `zip`
// are NotSupported. Nothing is encrypted under a header its own decryptor refuses.
// - Keys are bytes (node:crypto would take a 32-character string as an AES-256 key),
// and a fixed CALLER_IV must be exactly 96 bits (AES-GCM would accept any length).
// - The `contentEncryptionAlgorithms` option: every entry must be supported, not only
// the one the key happens to fit.
// - An unknown `zip` is refused before any decryption, as jose does, so a forged
// token gets the same code from both.
// - Every rejection says which part failed.

const CALLER_KEY = new Uint8Array(32).fill(1)
const CALLER_IV = new Uint8Array(12).fill(2)
const HEADER = b64u('{"alg":"dir","enc":"A256GCM"}')

describe('encryptCompact: the header must be one this module would decrypt', () => {
  test.each([
    ['null', null, /^JWE Protected Header must be a JSON object$/],
    ['no alg', { enc: 'A256GCM' }, /"alg"/],
    ['an empty alg', { alg: '', enc: 'A256GCM' }, /"alg"/],
    ['a numeric alg', { alg: 1, enc: 'A256GCM' }, /"alg"/],
    ['no enc', { alg: 'dir' }, /"enc"/],
    ['an empty enc', { alg: 'dir', enc: '' }, /"enc"/],
    ['an array enc', { alg: 'dir', enc: ['A256GCM'] }, /"enc"/],
  ])('%s: ERR_JWE_INVALID', (_case, header, message) => {
    const error = thrown(() => encryptCompact('x', CALLER_KEY, header as unknown as JWEHeader))
    expect(error.code).toBe('ERR_JWE_INVALID')
    expect(error.message).toMatch(message)
  })

  test.each([
    [{ alg: 'A256KW', enc: 'A256GCM' }, /"A256KW"/],
    [{ alg: 'RSA-OAEP', enc: 'A256GCM' }, /"RSA-OAEP"/],
    [{ alg: 'dir', enc: 'A256CBC-HS512' }, /"A256CBC-HS512"/],
    [{ alg: 'dir', enc: '__proto__' }, /"__proto__"/],
    [{ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, /"zip"/],
  ])('%j: ERR_JOSE_NOT_SUPPORTED, naming what', (header, message) => {
    const error = thrown(() => encryptCompact('x', CALLER_KEY, header))
    expect(error.code).toBe('ERR_JOSE_NOT_SUPPORTED')
    expect(error.message).toMatch(message)
  })
})

describe('keys are raw bytes; a fixed CALLER_IV is exactly 96 bits', () => {
  const passphrase = 'k'.repeat(32)

  test('a 32-character string key: TypeError, on both sides', () => {
    for (const action of [
      () => encryptCompact('x', passphrase as unknown as Uint8Array),
      () => decryptCompact(forgeJwe(HEADER, 'x', CALLER_KEY), passphrase as unknown as Uint8Array),
    ]) {
      const error = thrown(action)
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(/Uint8Array/)
    }
  })

  test.each([0, 8, 11, 13, 16])('an CALLER_IV of %i bytes: TypeError (RFC 7518 §5.3)', (length) => {
    const error = thrown(() =>
      encryptCompact('x', CALLER_KEY, undefined, { iv: new Uint8Array(length) }),
    )
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/^options\.iv must be 12 bytes/)
  })

  test('an CALLER_IV that is an array of 12 numbers, not bytes: TypeError', () => {
    const iv = Array.from({ length: 12 }, () => 0) as unknown as Uint8Array
    expect(thrown(() => encryptCompact('x', CALLER_KEY, undefined, { iv }))).toBeInstanceOf(
      TypeError,
    )
  })

  test('a 12-byte CALLER_IV is used as given', () => {
    const token = encryptCompact('x', CALLER_KEY, undefined, { iv: CALLER_IV })
    expect(token.split('.')[2]).toBe(b64u(CALLER_IV))
  })
})

describe('the contentEncryptionAlgorithms option: every entry must be supported', () => {
  const token = forgeJwe(HEADER, 'x', CALLER_KEY)

  test.each([
    [[], /^contentEncryptionAlgorithms must be a non-empty array/],
    ['A256GCM', /^contentEncryptionAlgorithms must be a non-empty array/],
    [['A256GCM', 'A512GCM'], /^contentEncryptionAlgorithms: "A512GCM" is not supported/],
    [
      ['A256GCM', 'A256CBC-HS512'],
      /^contentEncryptionAlgorithms: "A256CBC-HS512" is not supported/,
    ],
    [['A256GCM', 256], /^contentEncryptionAlgorithms: 256 is not supported/],
    [['A256CBC-HS512'], /^contentEncryptionAlgorithms: "A256CBC-HS512" is not supported/],
    [['dir'], /^contentEncryptionAlgorithms: "dir" is not supported/],
  ])('%j: TypeError naming the problem', (list, message) => {
    const options = { contentEncryptionAlgorithms: list } as DecryptOptions
    const error = thrown(() => decryptCompact(token, CALLER_KEY, options))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(message)
  })

  test('a key that fits none of the allowed encs: the message lists them', () => {
    const options = { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] }
    const error = thrown(() => decryptCompact(token, new Uint8Array(20), options))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/^key has 20 bytes, which fits none of A128GCM, A256GCM /)
  })
})

describe('decryptCompact: an unknown zip is refused before any decryption, as in jose', () => {
  test.each(['XYZ', 'def', ''])(
    'zip %j under a forged tag: ERR_JOSE_NOT_SUPPORTED from both',
    async (zip) => {
      const header = b64u(JSON.stringify({ alg: 'dir', enc: 'A256GCM', zip }))
      const parts = forgeJwe(header, 'x', CALLER_KEY).split('.')
      parts[4] = b64u(new Uint8Array(16))
      const forged = parts.join('.')
      expect(await codeOf(() => src.decryptCompact(forged, CALLER_KEY))).toBe(
        'ERR_JOSE_NOT_SUPPORTED',
      )
      expect(await codeOf(() => reference.decryptCompact(forged, CALLER_KEY))).toBe(
        'ERR_JOSE_NOT_SUPPORTED',
      )
      expect(thrown(() => decryptCompact(forged, CALLER_KEY)).message).toMatch(/"zip"/)
    },
  )

  test('zip "DEF" is refused only once the token authenticates: a forged one fails decryption', async () => {
    const header = b64u('{"alg":"dir","enc":"A256GCM","zip":"DEF"}')
    const parts = forgeJwe(header, 'x', CALLER_KEY).split('.')
    parts[4] = b64u(new Uint8Array(16))
    const forged = parts.join('.')
    expect(await codeOf(() => decryptCompact(forged, CALLER_KEY))).toBe('ERR_JWE_DECRYPTION_FAILED')
    const genuine = forgeJwe(header, 'x', CALLER_KEY)
    expect(thrown(() => decryptCompact(genuine, CALLER_KEY))).toMatchObject({
      code: 'ERR_JOSE_NOT_SUPPORTED',
      message: expect.stringMatching(/"zip"/),
    })
  })
})

describe('decryptCompact: each rejection names what failed', () => {
  const iv = b64u(CALLER_IV)
  const tag = b64u(new Uint8Array(16))
  const ciphertext = b64u('ciphertext')

  test.each([
    [
      'no alg',
      `${b64u('{"enc":"A256GCM"}')}..${iv}.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /"alg"/,
    ],
    ['no enc', `${b64u('{"alg":"dir"}')}..${iv}.${ciphertext}.${tag}`, 'ERR_JWE_INVALID', /"enc"/],
    [
      'alg other than dir',
      `${b64u('{"alg":"A256KW","enc":"A256GCM"}')}..${iv}.${ciphertext}.${tag}`,
      'ERR_JOSE_ALG_NOT_ALLOWED',
      // jose's message, word for word.
      /^"alg" \(Algorithm\) Header Parameter value not allowed$/,
    ],
    [
      'enc not allowed',
      `${b64u('{"alg":"dir","enc":"A128GCM"}')}..${iv}.${ciphertext}.${tag}`,
      'ERR_JOSE_ALG_NOT_ALLOWED',
      /^"enc" \(Encryption Algorithm\) Header Parameter value not allowed$/,
    ],
    [
      'an encrypted key',
      `${HEADER}.${b64u('key')}.${iv}.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /Encrypted Key/,
    ],
    [
      'an 11-byte CALLER_IV',
      `${HEADER}..${b64u(new Uint8Array(11))}.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /Initialization Vector/,
    ],
    [
      'a padded CALLER_IV',
      `${HEADER}..${iv}=.${ciphertext}.${tag}`,
      'ERR_JWE_INVALID',
      /Initialization Vector/,
    ],
    [
      'a 15-byte tag',
      `${HEADER}..${iv}.${ciphertext}.${b64u(new Uint8Array(15))}`,
      'ERR_JWE_INVALID',
      /Authentication Tag/,
    ],
    [
      'a padded tag',
      `${HEADER}..${iv}.${ciphertext}.${tag}==`,
      'ERR_JWE_INVALID',
      /Authentication Tag/,
    ],
    [
      'a padded ciphertext',
      `${HEADER}..${iv}.${b64u('ab')}=.${tag}`,
      'ERR_JWE_INVALID',
      /Ciphertext/,
    ],
  ])('%s: %s', async (_case, token, code, message) => {
    expect(await codeOf(() => decryptCompact(token, CALLER_KEY))).toBe(code)
    expect(thrown(() => decryptCompact(token, CALLER_KEY)).message).toMatch(message)
  })

  test('a key that fits A128GCM but not the A256GCM token: ERR_JWE_INVALID naming the enc', () => {
    const options = { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] }
    const error = thrown(() =>
      decryptCompact(forgeJwe(HEADER, 'x', CALLER_KEY), new Uint8Array(16), options),
    )
    expect(error.code).toBe('ERR_JWE_INVALID')
    expect(error.message).toMatch(/does not fit A256GCM/)
  })
})

// src/aes-gcm.ts (and the one wipe in src/jwe.ts): what the API cannot show.
//
// 1. `gcmDecrypt` refuses a tag of any length but 16 bytes itself, so a caller that
// forgot decryptCompact's own check still cannot be fooled by a truncated tag, and
// gets `undefined` like any other forgery (not a TypeError from Node's
// `setAuthTag`). Through the public API decryptCompact's check hides it, so it is
// tested here directly.
// 2. Plaintext decrypted before the tag is checked is wiped when the check fails, and
// decryptCompact wipes an authenticated plaintext it refuses to release (`zip`).
// Nothing reachable holds those bytes afterwards, so the test watches them from
// inside: `createDecipheriv` is wrapped to keep what `update()` returned.

const released = vi.hoisted((): Uint8Array[] => [])

vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>()
  function createDecipheriv(
    ...args: Parameters<typeof crypto.createDecipheriv>
  ): ReturnType<typeof crypto.createDecipheriv> {
    const decipher = crypto.createDecipheriv(...args)
    const update = decipher.update.bind(decipher) as (data: Uint8Array) => Buffer
    decipher.update = ((data: Uint8Array): Buffer => {
      const output = update(data)
      released.push(output)
      return output
    }) as typeof decipher.update
    return decipher
  }
  return { ...crypto, default: { ...crypto, createDecipheriv }, createDecipheriv }
})

const GCM_KEY = new Uint8Array(32).fill(5)
const GCM_IV = new Uint8Array(12).fill(6)
const AAD = new TextEncoder().encode('header')
const PLAINTEXT = new TextEncoder().encode('attack at dawn, bring the secret plans')
const A256GCM = gcmAlgorithm('A256GCM') as GcmAlgorithm

function encrypt(): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', GCM_KEY, GCM_IV, { authTagLength: 16 })
  cipher.setAAD(AAD)
  const ciphertext = Buffer.concat([cipher.update(PLAINTEXT), cipher.final()])
  return { ciphertext, tag: cipher.getAuthTag() }
}

/** 'plaintext' if bytes came back, 'undefined' for a refusal, else the error thrown. */
function gcmOutcome(action: () => Uint8Array | undefined): string {
  try {
    return action() === undefined ? 'undefined' : 'plaintext'
  } catch (error) {
    return `threw ${String(error)}`
  }
}

beforeEach(() => {
  released.length = 0
})

describe('gcmDecrypt itself refuses truncated tags (RFC 7518 §5.3: 128 bits)', () => {
  test('the genuine tag decrypts, so the setup is sound', () => {
    const { ciphertext, tag } = encrypt()
    expect(gcmDecrypt(A256GCM, GCM_KEY, GCM_IV, ciphertext, tag, AAD)).toEqual(PLAINTEXT)
  })

  test.each([4, 8, 12, 13, 14, 15])(
    'the genuine tag cut to %i bytes is refused as a forgery',
    (length) => {
      // Left to Node, only the bytes given are checked: a 4-byte prefix of the genuine
      // tag would pass, and a 32-bit tag can be forged by trial.
      const { ciphertext, tag } = encrypt()
      expect(
        gcmOutcome(() =>
          gcmDecrypt(A256GCM, GCM_KEY, GCM_IV, ciphertext, tag.subarray(0, length), AAD),
        ),
      ).toBe('undefined')
    },
  )

  test('a tag longer than 16 bytes is refused as a forgery too', () => {
    const { ciphertext, tag } = encrypt()
    const longer = Buffer.concat([tag, Buffer.alloc(1)])
    expect(gcmOutcome(() => gcmDecrypt(A256GCM, GCM_KEY, GCM_IV, ciphertext, longer, AAD))).toBe(
      'undefined',
    )
  })
})

describe('unauthenticated or refused plaintext is wiped', () => {
  test('a failed tag check leaves zeros where update() wrote plaintext', () => {
    const { ciphertext, tag } = encrypt()
    tag[0] = (tag[0] as number) ^ 1
    expect(gcmDecrypt(A256GCM, GCM_KEY, GCM_IV, ciphertext, tag, AAD)).toBeUndefined()
    expect(released).toHaveLength(1)
    const [output] = released as [Uint8Array]
    expect(output.length).toBe(PLAINTEXT.length)
    expect(output.every((byte) => byte === 0)).toBe(true)
  })

  test('an authenticated JWE with zip "DEF" is refused and its plaintext wiped', async () => {
    const header = b64u('{"alg":"dir","enc":"A256GCM","zip":"DEF"}')
    const token = forgeJwe(header, PLAINTEXT, GCM_KEY)
    expect(await codeOf(() => decryptCompact(token, GCM_KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
    expect(released).toHaveLength(1)
    const [output] = released as [Uint8Array]
    expect(output.length).toBe(PLAINTEXT.length)
    expect(output.every((byte) => byte === 0)).toBe(true)
  })

  test('without zip the same token shape releases the plaintext untouched', () => {
    const header = b64u('{"alg":"dir","enc":"A256GCM"}')
    const { plaintext } = decryptCompact(forgeJwe(header, PLAINTEXT, GCM_KEY), GCM_KEY)
    expect(plaintext).toEqual(PLAINTEXT)
    expect(new Uint8Array(released[0] as Uint8Array)).toEqual(PLAINTEXT)
  })
})

// Round trips and refusals run on both implementations: the reference adapter
// (reference/index.ts) must behave as src does wherever the two agree.
describe.each(implementations)('JWE on $name: src and the reference alike', (impl) => {
  const encryptionKey = patternKey(32, 101)
  /** Bytes as hex: a fast comparison with a readable diff. */
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

  describe('JWE compact', () => {
    test('A128GCM, A192GCM, A256GCM (allowlisted): encrypt/decrypt round trip', async () => {
      await fc.assert(
        fc.asyncProperty(
          arb.gcmEncAndKey(),
          arb.bytesUpTo(512),
          async ({ enc, key }, plaintext) => {
            const header = { alg: 'dir', enc }
            const token = await impl.encryptCompact(plaintext, key, header)
            const options = { contentEncryptionAlgorithms: [enc] }
            const result = await impl.decryptCompact(token, key, options)
            expect(result.plaintext).toBeInstanceOf(Uint8Array)
            expect(hex(result.plaintext)).toBe(hex(plaintext))
            expect(result.protectedHeader).toEqual(header)
          },
        ),
      )
    })

    test('two encryptions of the same plaintext differ (fresh random IV)', async () => {
      const first = await impl.encryptCompact('same', encryptionKey)
      expect(await impl.encryptCompact('same', encryptionKey)).not.toBe(first)
    })

    test('an enc not allowlisted, or an alg other than dir: ERR_JOSE_ALG_NOT_ALLOWED', async () => {
      const a128 = await impl.encryptCompact('x', patternKey(16, 5), { alg: 'dir', enc: 'A128GCM' })
      expect(await codeOf(() => impl.decryptCompact(a128, encryptionKey))).toBe(
        'ERR_JOSE_ALG_NOT_ALLOWED',
      )
      const wrapped = await new CompactEncrypt(new TextEncoder().encode('x'))
        .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
        .encrypt(encryptionKey)
      expect(await codeOf(() => impl.decryptCompact(wrapped, encryptionKey))).toBe(
        'ERR_JOSE_ALG_NOT_ALLOWED',
      )
    })

    test("a key that fits another allowed enc but not the token's: ERR_JWE_INVALID", async () => {
      const a128 = await impl.encryptCompact('x', patternKey(16, 5), { alg: 'dir', enc: 'A128GCM' })
      const options = { contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'] }
      expect(await codeOf(() => impl.decryptCompact(a128, encryptionKey, options))).toBe(
        'ERR_JWE_INVALID',
      )
    })

    test('the wrong key: ERR_JWE_DECRYPTION_FAILED', async () => {
      const token = await impl.encryptCompact('x', encryptionKey)
      expect(await codeOf(() => impl.decryptCompact(token, patternKey(32, 9)))).toBe(
        'ERR_JWE_DECRYPTION_FAILED',
      )
    })

    test('any changed IV, ciphertext or tag character: ERR_JWE_DECRYPTION_FAILED', async () => {
      const token = await impl.encryptCompact('{"sub":"user-1","role":"user"}', encryptionKey)
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(2, 3, 4),
          fc.nat(),
          fc.integer({ min: 1, max: 63 }),
          async (index, at, shift) => {
            // Not the last character of a segment: it may carry only unused bits.
            const segment = token.split('.')[index] as string
            const forged = tamper(token, index, at % (segment.length - 1), shift)
            expect(await codeOf(() => impl.decryptCompact(forged, encryptionKey))).toBe(
              'ERR_JWE_DECRYPTION_FAILED',
            )
          },
        ),
      )
    })

    test('another valid header (the AAD changes): ERR_JWE_DECRYPTION_FAILED', async () => {
      const token = await impl.encryptCompact('x', encryptionKey)
      const header = Buffer.from('{"alg":"dir","enc":"A256GCM","kid":"1"}').toString('base64url')
      const swapped = [header, ...token.split('.').slice(1)].join('.')
      expect(await codeOf(() => impl.decryptCompact(swapped, encryptionKey))).toBe(
        'ERR_JWE_DECRYPTION_FAILED',
      )
    })

    test('an Encrypted Key with dir, an IV or a tag of the wrong size: ERR_JWE_INVALID', async () => {
      const [header, , iv, ciphertext, tag] = (await impl.encryptCompact('x', encryptionKey)).split(
        '.',
      )
      const filler = (n: number): string => Buffer.alloc(n, 1).toString('base64url')
      for (const segments of [
        [header, filler(32), iv, ciphertext, tag],
        [header, '', filler(8), ciphertext, tag],
        [header, '', filler(16), ciphertext, tag],
        [header, '', iv, ciphertext, filler(12)],
        [header, '', iv, ciphertext, ''],
      ]) {
        const token = segments.join('.')
        expect(await codeOf(() => impl.decryptCompact(token, encryptionKey))).toBe(
          'ERR_JWE_INVALID',
        )
      }
    })

    test('framing and maxTokenLength: ERR_JWE_INVALID', async () => {
      const token = await impl.encryptCompact('x', encryptionKey)
      for (const broken of [token.split('.').slice(0, 4).join('.'), `${token}.x`, '']) {
        expect(await codeOf(() => impl.decryptCompact(broken, encryptionKey))).toBe(
          'ERR_JWE_INVALID',
        )
      }
      const capped = { maxTokenLength: token.length - 1 }
      expect(await codeOf(() => impl.decryptCompact(token, encryptionKey, capped))).toBe(
        'ERR_JWE_INVALID',
      )
    })
  })

  test.each(arb.GCM_ENCS)(
    '%s: an AES key of the wrong size, to encrypt or decrypt',
    async (enc) => {
      const size = arb.GCM_KEY_BYTES[enc]
      const wrong = fc.oneof(
        fc.constantFrom(0, size - 1, size + 1, 64),
        fc.integer({ min: 0, max: 80 }).filter((n) => n !== size),
      )
      const token = await impl.encryptCompact('x', patternKey(size, 2), { alg: 'dir', enc })
      const options = { contentEncryptionAlgorithms: [enc] }
      await fc.assert(
        fc.asyncProperty(wrong, async (length) => {
          const key = patternKey(length, 2)
          const header = { alg: 'dir', enc }
          expect(await codeOf(() => impl.encryptCompact('x', key, header))).toBe('TypeError')
          expect(await codeOf(() => impl.encryptJwt({}, key, { header }))).toBe('TypeError')
          expect(await codeOf(() => impl.decryptCompact(token, key, options))).toBe('TypeError')
          expect(await codeOf(() => impl.decryptJwt(token, key, options))).toBe('TypeError')
        }),
      )
    },
  )
})

describe('malformed and malicious tokens at every entry point: JWE', () => {
  const {
    A,
    ALG,
    ATTACKER_KEY,
    CLAIMS,
    DEC,
    EXP,
    JWE,
    JWE_HEADER,
    JWT,
    NOW,
    NS,
    VALID_JWE,
    asJwe,
    ect,
    eiv,
    etag,
    flipFirstBit,
    jwe,
    replaceSegment,
  } = corpus
  expectCorpus([
    // JWE (RFC 7516; RFC 7518 §4.5, §5.3).
    {
      id: 'zip DEF decompression bomb',
      source: 'RFC 7516 §4.1.3, RFC 8725 §3.6',
      token: jwe(
        '{"alg":"dir","enc":"A256GCM","zip":"DEF"}',
        deflateRawSync(new Uint8Array(1_000_000)),
      ),
      expected: asJwe(NS),
    },
    {
      id: 'alg A256KW with an encrypted key',
      source: 'RFC 8725 §3.1',
      token: jwe('{"alg":"A256KW","enc":"A256GCM"}', CLAIMS, {
        encryptedKey: b64u(new Uint8Array(40)),
      }),
      expected: asJwe(ALG),
    },
    {
      id: 'alg RSA-OAEP',
      source: 'RFC 8725 §3.1',
      token: jwe('{"alg":"RSA-OAEP","enc":"A256GCM"}'),
      expected: asJwe(ALG),
    },
    {
      id: 'alg none in a JWE',
      source: 'RFC 8725 §2.1',
      token: jwe('{"alg":"none","enc":"A256GCM"}'),
      expected: asJwe(ALG),
    },
    {
      id: 'alg HS256 in a JWE',
      source: 'RFC 8725 §3.1',
      token: jwe('{"alg":"HS256","enc":"A256GCM"}'),
      expected: asJwe(ALG),
    },
    {
      id: 'dir with a non-empty encrypted key',
      source: 'RFC 7518 §4.5',
      token: jwe(JWE_HEADER, CLAIMS, { encryptedKey: b64u(new Uint8Array(32)) }),
      expected: asJwe(JWE),
    },
    {
      id: 'enc A128GCM (downgrade)',
      source: 'RFC 8725 §3.1',
      token: jwe('{"alg":"dir","enc":"A128GCM"}'),
      expected: asJwe(ALG),
    },
    {
      id: 'enc A256CBC-HS512',
      source: 'RFC 8725 §3.1',
      token: jwe('{"alg":"dir","enc":"A256CBC-HS512"}'),
      expected: asJwe(ALG),
    },
    {
      id: 'enc __proto__',
      source: 'prototype lookup',
      token: jwe('{"alg":"dir","enc":"__proto__"}'),
      expected: asJwe(ALG),
    },
    {
      id: 'enc missing',
      source: 'RFC 7516 §4.1.2',
      token: jwe('{"alg":"dir"}'),
      expected: asJwe(JWE),
    },
    {
      id: 'a valid 4-byte truncated tag',
      source: 'RFC 7518 §5.3 (128-bit tag)',
      token: jwe(JWE_HEADER, CLAIMS, { tagBytes: 4 }),
      expected: asJwe(JWE),
    },
    {
      id: 'an 8-byte IV with a valid tag',
      source: 'RFC 7518 §5.3 (96-bit IV)',
      token: jwe(JWE_HEADER, CLAIMS, { iv: new Uint8Array(8).fill(3) }),
      expected: asJwe(JWE),
    },
    {
      id: 'the attacker key',
      source: 'RFC 7516 §11.5',
      token: jwe(JWE_HEADER, CLAIMS, { key: ATTACKER_KEY }),
      expected: asJwe(DEC),
    },
    {
      id: 'header re-spelled (AAD changed)',
      source: 'RFC 7516 §5.2 step 14',
      token: replaceSegment(VALID_JWE, 0, b64u('{"enc":"A256GCM","alg":"dir"}')),
      expected: asJwe(DEC),
    },
    {
      id: 'a flipped ciphertext bit',
      source: 'RFC 7516 §11.5',
      token: replaceSegment(VALID_JWE, 3, flipFirstBit(ect)),
      expected: asJwe(DEC),
    },
    {
      id: "'Ů' in the IV",
      source: 'RFC 7516 §2',
      token: replaceSegment(VALID_JWE, 2, `${eiv.slice(0, 15)}\u016e`),
      expected: asJwe(JWE),
    },
    {
      id: 'padded tag',
      source: 'RFC 7516 §2',
      token: replaceSegment(VALID_JWE, 4, `${etag}==`),
      expected: asJwe(JWE),
    },
    {
      id: 'crit ["exp"] in a JWE',
      source: 'RFC 7516 §4.1.13',
      token: jwe('{"alg":"dir","enc":"A256GCM","crit":["exp"],"exp":1}'),
      expected: asJwe(NS),
    },
    {
      id: 'JWE header BOM',
      source: 'RFC 8259 §8.1',
      token: jwe(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(JWE_HEADER)])),
      expected: asJwe(JWE),
    },
    {
      id: 'enc twice, A128GCM first',
      source: 'RFC 7516 §5.2 step 4',
      token: jwe('{"alg":"dir","enc":"A128GCM","enc":"A256GCM"}'),
      expected: asJwe(JWE),
    },
    {
      id: 'JWE claims expired',
      source: 'RFC 7519 §4.1.4',
      token: jwe(JWE_HEADER, `{"exp":${NOW}}`),
      expected: asJwe(A, EXP, JWT),
    },
  ])
})
