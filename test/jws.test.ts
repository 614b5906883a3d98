/**
 * JWS with HMAC (src/jws.ts, src/hmac.ts): the size cap, framing, canonical base64url in
 * every segment, `crit` and `b64`, the `alg` allowlist, HMAC key sizes and the MAC, and
 * the caller's side of signCompact.
 *
 * Every token is forged by hand with node:crypto so that its MAC is VALID: the rule under
 * test is the only thing wrong with it, and a rejection cannot come from the MAC. Most
 * tests also record what raw `jose` (compactVerify with `algorithms` set, nothing else)
 * does with the same bytes, so each divergence is pinned down (docs/divergences.md).
 * Header JSON rules (BOM, duplicates, surrogates, depth) live in json.test.ts, `crit`
 * messages and framing messages in header.test.ts.
 */

import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import * as jose from 'jose'
import { type JWSHeader, signCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import * as arb from './support/arbitraries.ts'
import * as corpus from './support/corpus.ts'
import { expectCorpus } from './support/corpus.ts'
import {
  b64u,
  encodedLength,
  forgeJws,
  patternKey,
  RESPELLINGS,
  type Respelling,
  tamper,
} from './support/forge.ts'
import { ACCEPTED, codeOf, implementations, thrown } from './support/implementations.ts'

const KEY = new Uint8Array(32).fill(1)
const JWS_INVALID = 'ERR_JWS_INVALID'
const ALG_NOT_ALLOWED = 'ERR_JOSE_ALG_NOT_ALLOWED'
const NOT_SUPPORTED = 'ERR_JOSE_NOT_SUPPORTED'
const SIGNATURE_FAILED = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'

/** The HMAC over a signing input, as bytes. */
function macBytes(signingInput: string, key: Uint8Array, hash: string): Buffer {
  return createHmac(hash, key).update(signingInput, 'utf8').digest()
}

/** `header.payload.MAC` with a valid MAC over exactly the segments given, however they are spelled. */
function signed(
  headerSegment: string,
  payloadSegment: string,
  key: Uint8Array = KEY,
  hash = 'sha256',
): string {
  const signingInput = `${headerSegment}.${payloadSegment}`
  return `${signingInput}.${b64u(macBytes(signingInput, key, hash))}`
}

const PAYLOAD = b64u('{"sub":"alice"}')
const HS256 = b64u('{"alg":"HS256"}')

interface Verdicts {
  src: string
  jose: string
}

interface Options {
  algorithms?: string[]
  maxTokenLength?: number
}

/** src with `options` as given (so its defaults are exercised); raw jose with the allowlist set. */
async function verdicts(
  token: string,
  key: Uint8Array = KEY,
  options: Options = {},
): Promise<Verdicts> {
  return {
    src: await codeOf(() => verifyCompact(token, key, options)),
    jose: await codeOf(() =>
      jose.compactVerify(token, key, { algorithms: options.algorithms ?? ['HS256'] }),
    ),
  }
}

function agree(outcome: string): Verdicts {
  return { src: outcome, jose: outcome }
}

/** A validly MACed token of exactly `length` characters; the slack sits in a header member. */
function tokenOfLength(length: number): string {
  for (let extra = 0; extra < 3; extra++) {
    const payload = b64u('x'.repeat(extra + 1))
    const prefix = '{"alg":"HS256","pad":"'
    const fixed = prefix.length + 2 // the closing '"}'
    for (let pad = 0; ; pad++) {
      const total = encodedLength(fixed + pad) + 1 + payload.length + 1 + 43
      if (total > length) break
      if (total === length) {
        const token = signed(b64u(`${prefix}${'a'.repeat(pad)}"}`), payload)
        if (token.length !== length) throw new Error('length arithmetic is off')
        return token
      }
    }
  }
  throw new Error(`no token of length ${length}`)
}

describe('size cap: maxTokenLength is checked before anything else', () => {
  test('default 65,536: a valid token of exactly 65,536 characters passes, 65,537 fails', async () => {
    expect(await verdicts(tokenOfLength(65_536))).toEqual(agree(ACCEPTED))
    // Raw jose has no length cap at all.
    expect(await verdicts(tokenOfLength(65_537))).toEqual({ src: JWS_INVALID, jose: ACCEPTED })
  })

  test('a custom maxTokenLength moves the boundary both ways', async () => {
    const token = tokenOfLength(200)
    expect(await verdicts(token, KEY, { maxTokenLength: 200 })).toEqual(agree(ACCEPTED))
    expect(await verdicts(token, KEY, { maxTokenLength: 199 })).toEqual({
      src: JWS_INVALID,
      jose: ACCEPTED,
    })
    // A cap above the default admits longer tokens.
    const long = tokenOfLength(70_000)
    expect(await verdicts(long, KEY, { maxTokenLength: 70_000 })).toEqual(agree(ACCEPTED))
  })

  test('a million dots is refused by the cap, not by the splitter', async () => {
    const dots = '.'.repeat(1_000_000)
    // The message proves which check fired: the cap, before any split.
    expect(() => verifyCompact(dots, KEY)).toThrow(
      expect.objectContaining({
        code: JWS_INVALID,
        message: expect.stringMatching(/maxTokenLength/),
      }),
    )
    // jose splits it and counts a million segments.
    expect(await verdicts(dots)).toEqual(agree(JWS_INVALID))
  })

  test('the cap comes before framing: an over-long token with the wrong segment count names the cap', () => {
    const token = 'a'.repeat(100)
    expect(() => verifyCompact(token, KEY, { maxTokenLength: 99 })).toThrow(
      expect.objectContaining({
        code: JWS_INVALID,
        message: expect.stringMatching(/maxTokenLength/),
      }),
    )
    expect(() => verifyCompact(token, KEY, { maxTokenLength: 100 })).toThrow(
      expect.objectContaining({ code: JWS_INVALID, message: expect.stringMatching(/segments/) }),
    )
  })

  test('maxTokenLength Infinity disables the cap', () => {
    const token = tokenOfLength(70_000)
    const { payload } = verifyCompact(token, KEY, { maxTokenLength: Number.POSITIVE_INFINITY })
    expect(new TextDecoder().decode(payload)).toMatch(/^x+$/)
  })
})

describe('framing: exactly three segments (RFC 7515 §7.1)', () => {
  const valid = signed(HS256, PAYLOAD)
  const [header, payload, signature] = valid.split('.') as [string, string, string]

  test('the unmodified token is accepted (control)', async () => {
    expect(await verdicts(valid)).toEqual(agree(ACCEPTED))
  })

  test.each([
    ['empty token', ''],
    ['one segment', header],
    ['two segments', `${header}.${payload}`],
    ['four segments', `${valid}.`],
    ['four segments, MAC repeated', `${valid}.${signature}`],
    ['six segments', `${valid}...`],
    [
      'a dot inside the header segment',
      signed(`${header.slice(0, 4)}.${header.slice(4)}`, payload),
    ],
  ])('%s: ERR_JWS_INVALID', async (_name, token) => {
    expect(await verdicts(token)).toEqual(agree(JWS_INVALID))
  })

  test('a non-string token: ERR_JWS_INVALID, never a TypeError', async () => {
    expect(await verdicts(42 as unknown as string)).toEqual(agree(JWS_INVALID))
  })
})

const SEGMENTS = ['header', 'payload', 'signature'] as const

/** A valid token whose segment `index` admits `mutation`; the header and payload carry '~' and '?' so '-' and '_' occur. */
function baseFor(index: number, mutation: Respelling): [string, string, string] | undefined {
  for (let i = 0; i < 5_000; i++) {
    const header = b64u(`{"alg":"HS256","x":"~~~???","i":${i}}`)
    const payload = b64u(`{"x":"~~~???","i":${i}}`)
    const parts = signed(header, payload).split('.') as [string, string, string]
    if (mutation.apply(parts[index] as string) !== undefined) return parts
  }
  return undefined
}

/** The token with segment `index` mutated and, for header and payload, a MAC over the mutated spelling. */
function mutateToken(parts: [string, string, string], index: number, mutated: string): string {
  if (index === 0) return signed(mutated, parts[1])
  if (index === 1) return signed(parts[0], mutated)
  return `${parts[0]}.${parts[1]}.${mutated}`
}

const CANONICAL_CASES = SEGMENTS.flatMap((segment, index) =>
  RESPELLINGS.map((mutation) => ({ segment, index, mutation, base: baseFor(index, mutation) })),
)

describe('canonical base64url in every segment (RFC 7515 §2, RFC 4648 §3.5)', () => {
  test('every mutation applies to every segment (the table is complete)', () => {
    const missing = CANONICAL_CASES.filter((c) => c.base === undefined).map(
      (c) => `${c.segment}: ${c.mutation.name}`,
    )
    expect(missing).toEqual([])
  })

  test.each(CANONICAL_CASES)('$segment with $mutation.name', async ({ index, mutation, base }) => {
    const parts = base as [string, string, string]
    const original = parts[index] as string
    const mutated = mutation.apply(original) as string
    // Control: the unmutated token verifies everywhere.
    expect(await verdicts(parts.join('.'))).toEqual(agree(ACCEPTED))
    if (mutation.nodeReadsSameBytes) {
      // The danger: Node's decoder cannot tell the two spellings apart.
      expect(Buffer.from(mutated, 'base64url')).toEqual(Buffer.from(original, 'base64url'))
    }
    const token = mutateToken(parts, index, mutated)
    expect(await verdicts(token)).toEqual({
      src: JWS_INVALID,
      jose: mutation.jose === 'accepted' ? ACCEPTED : JWS_INVALID,
    })
  })

  test('a non-canonical payload is judged after the MAC: with a wrong MAC it is a MAC failure', async () => {
    const token = `${HS256}.${PAYLOAD}==.${b64u(new Uint8Array(32))}`
    expect(await verdicts(token)).toEqual(agree(SIGNATURE_FAILED))
  })

  test('a non-ASCII payload segment is refused before the MAC, even with a wrong MAC', async () => {
    const token = `${HS256}.${PAYLOAD}\u016e.${b64u(new Uint8Array(32))}`
    expect(await verdicts(token)).toEqual(agree(JWS_INVALID))
  })
})

describe('crit (RFC 7515 §4.1.11) and b64 (RFC 7797 §6)', () => {
  test.each([
    ['a string, not an array', '{"alg":"HS256","crit":"exp","exp":1}'],
    ['an empty array', '{"alg":"HS256","crit":[]}'],
    ['a non-string entry', '{"alg":"HS256","crit":[1]}'],
    ['an empty-string entry', '{"alg":"HS256","crit":[""]}'],
    ['null', '{"alg":"HS256","crit":null}'],
  ])('crit %s: ERR_JWS_INVALID', async (_name, json) => {
    expect(await verdicts(signed(b64u(json), PAYLOAD))).toEqual(agree(JWS_INVALID))
  })

  test.each([
    ['an unknown extension', '{"alg":"HS256","crit":["exp"],"exp":1}'],
    ['a registered name ("alg")', '{"alg":"HS256","crit":["alg"]}'],
    ['an extension absent from the header', '{"alg":"HS256","crit":["urn:example"]}'],
  ])('a well-formed crit naming %s: ERR_JOSE_NOT_SUPPORTED', async (_name, json) => {
    expect(await verdicts(signed(b64u(json), PAYLOAD))).toEqual(agree(NOT_SUPPORTED))
  })

  test('crit ["b64"] with b64 false: src understands no extension; jose verifies the unencoded payload', async () => {
    const header = b64u('{"alg":"HS256","b64":false,"crit":["b64"]}')
    const token = signed(header, 'raw payload')
    expect(await verdicts(token)).toEqual({ src: NOT_SUPPORTED, jose: ACCEPTED })
  })

  test.each([
    ['false', '{"alg":"HS256","b64":false}'],
    ['true', '{"alg":"HS256","b64":true}'],
  ])('b64 %s without crit: ERR_JWS_INVALID (jose ignores it)', async (_name, json) => {
    expect(await verdicts(signed(b64u(json), PAYLOAD))).toEqual({
      src: JWS_INVALID,
      jose: ACCEPTED,
    })
  })
})

describe('alg and the allowlist (RFC 7515 §4.1.1, RFC 8725 §3.1)', () => {
  test.each([
    ['missing', '{"typ":"JWT"}'],
    ['empty', '{"alg":""}'],
    ['a number', '{"alg":256}'],
    ['null', '{"alg":null}'],
    ['an array', '{"alg":["HS256"]}'],
  ])('alg %s: ERR_JWS_INVALID', async (_name, json) => {
    expect(await verdicts(signed(b64u(json), PAYLOAD))).toEqual(agree(JWS_INVALID))
  })

  test.each([
    ['none', 'none'],
    ['None', 'None'],
    ['NONE', 'NONE'],
    ['HS512 (not listed)', 'HS512'],
    ['HS384 (not listed)', 'HS384'],
    ['RS256', 'RS256'],
    ['lower-case hs256', 'hs256'],
    ['HS256 with a trailing space', 'HS256 '],
    ['dir (a JWE alg)', 'dir'],
  ])('alg %s with the default allowlist: ERR_JOSE_ALG_NOT_ALLOWED', async (_name, alg) => {
    const token = signed(b64u(JSON.stringify({ alg })), PAYLOAD)
    expect(await verdicts(token)).toEqual(agree(ALG_NOT_ALLOWED))
  })

  test('alg none with an empty signature: ERR_JOSE_ALG_NOT_ALLOWED', async () => {
    const token = `${b64u('{"alg":"none"}')}.${PAYLOAD}.`
    expect(await verdicts(token)).toEqual(agree(ALG_NOT_ALLOWED))
  })

  test('the allowlist is checked before the MAC: a disallowed alg with a wrong MAC still names the alg', async () => {
    const token = `${b64u('{"alg":"HS512"}')}.${PAYLOAD}.${b64u(new Uint8Array(64))}`
    expect(await verdicts(token, new Uint8Array(64).fill(1))).toEqual(agree(ALG_NOT_ALLOWED))
  })

  test('HS512 when only HS256 is listed explicitly: ERR_JOSE_ALG_NOT_ALLOWED', async () => {
    const key = new Uint8Array(64).fill(1)
    const token = signed(b64u('{"alg":"HS512"}'), PAYLOAD, key, 'sha512')
    expect(await verdicts(token, key, { algorithms: ['HS256'] })).toEqual(agree(ALG_NOT_ALLOWED))
  })

  test.each([
    ['HS384', 'sha384', 48],
    ['HS512', 'sha512', 64],
  ])('%s is accepted when listed, refused by default', async (alg, hash, keyBytes) => {
    const key = new Uint8Array(keyBytes).fill(1)
    const token = signed(b64u(JSON.stringify({ alg })), PAYLOAD, key, hash)
    expect(await verdicts(token, key, { algorithms: [alg] })).toEqual(agree(ACCEPTED))
    expect(await verdicts(token, key)).toEqual(agree(ALG_NOT_ALLOWED))
  })
})

describe('HMAC key sizes (RFC 7518 §3.2)', () => {
  // Raw jose takes any HMAC key however short; only WebCrypto refuses an empty one, with
  // a DataError that is not one of jose's coded errors.
  test.each([
    ['0 bytes, HS256', 0, ['HS256'], 'HS256', 'sha256', 'DataError'],
    ['1 byte, HS256', 1, ['HS256'], 'HS256', 'sha256', ACCEPTED],
    ['31 bytes, HS256', 31, ['HS256'], 'HS256', 'sha256', ACCEPTED],
    ['47 bytes, HS384', 47, ['HS384'], 'HS384', 'sha384', ACCEPTED],
    ['63 bytes, HS512', 63, ['HS512'], 'HS512', 'sha512', ACCEPTED],
    ['40 bytes, HS384 and HS512', 40, ['HS384', 'HS512'], 'HS384', 'sha384', ACCEPTED],
  ])(
    'a key of %s fits no allowed alg: TypeError from src',
    async (_name, size, algorithms, alg, hash, joseVerdict) => {
      const key = new Uint8Array(size).fill(1)
      const token = signed(b64u(JSON.stringify({ alg })), PAYLOAD, key, hash)
      expect(await verdicts(token, key, { algorithms })).toEqual({
        src: 'TypeError',
        jose: joseVerdict,
      })
    },
  )

  test('a key that is not a Uint8Array: TypeError', async () => {
    const token = signed(HS256, PAYLOAD)
    expect(await verdicts(token, 'secret' as unknown as Uint8Array)).toEqual(agree('TypeError'))
  })

  test('a 40-byte key, algorithms [HS256, HS512], an HS512 token: the token asks too much, ERR_JWS_INVALID', async () => {
    const key = new Uint8Array(40).fill(1)
    const options = { algorithms: ['HS256', 'HS512'] }
    const hs512 = signed(b64u('{"alg":"HS512"}'), PAYLOAD, key, 'sha512')
    expect(await verdicts(hs512, key, options)).toEqual({ src: JWS_INVALID, jose: ACCEPTED })
    // Control: the same key and options verify an HS256 token.
    expect(await verdicts(signed(HS256, PAYLOAD, key), key, options)).toEqual(agree(ACCEPTED))
  })
})

describe('MAC comparison (RFC 7515 §5.2 step 8)', () => {
  const signingInput = `${HS256}.${PAYLOAD}`
  const mac = macBytes(signingInput, KEY, 'sha256')
  const flipped = Buffer.from(mac)
  flipped[31] = (flipped[31] as number) ^ 1

  test.each([
    ['empty', new Uint8Array(0)],
    ['1 byte', mac.subarray(0, 1)],
    ['16 bytes (half)', mac.subarray(0, 16)],
    ['31 bytes', mac.subarray(0, 31)],
    ['33 bytes', Buffer.concat([mac, Buffer.from([0])])],
    ['64 bytes (MAC twice)', Buffer.concat([mac, mac])],
    ['32 bytes, last bit flipped', flipped],
    ['the HS512 MAC of the same input', macBytes(signingInput, KEY, 'sha512')],
  ])('a signature of %s: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async (_name, signature) => {
    expect(await verdicts(`${signingInput}.${b64u(signature)}`)).toEqual(agree(SIGNATURE_FAILED))
  })

  test('the MAC is over the received header bytes: a re-spelled header with the old MAC fails', async () => {
    const token = signed(HS256, PAYLOAD)
    const respelled = b64u('{ "alg":"HS256"}')
    const forged = `${respelled}.${token.split('.').slice(1).join('.')}`
    expect(await verdicts(forged)).toEqual(agree(SIGNATURE_FAILED))
  })

  test('the verified payload is the decoded payload segment (control)', () => {
    expect(new TextDecoder().decode(verifyCompact(signed(HS256, PAYLOAD), KEY).payload)).toBe(
      '{"sub":"alice"}',
    )
  })
})

// src/jws.ts: the checks on the caller's side of signCompact and verifyCompact that
// mutation testing found unpinned.
//
// - The header passed to signCompact: missing, empty or non-string `alg` is Invalid (the
// header is malformed), an unknown `alg` NotSupported, and `b64` without `crit` is
// refused on the way out as it is on the way in (RFC 7797 §6).
// - Keys must be bytes: a string of the right length would be taken by node:crypto as
// a key, so signing and verifying with a passphrase string must fail loudly.
// - The `algorithms` option: every entry must be a supported name, not just the first.
// - Every rejection says which part failed; programmer errors name the option.

/** Long enough for every HS algorithm. */
const LONG_KEY = new Uint8Array(64).fill(1)

describe('signCompact: the header decides the algorithm, and must be well formed', () => {
  test('null: ERR_JWS_INVALID, the header must be a JSON object', () => {
    const error = thrown(() => signCompact('x', LONG_KEY, null as unknown as JWSHeader))
    expect(error.code).toBe('ERR_JWS_INVALID')
    expect(error.message).toBe('JWS Protected Header must be a JSON object')
  })

  test.each([
    ['no alg', { typ: 'JWT' }],
    ['an empty alg', { alg: '' }],
    ['a numeric alg', { alg: 256 }],
    ['an array alg', { alg: ['HS256'] }],
  ])('%s: ERR_JWS_INVALID', async (_case, header) => {
    const error = thrown(() => signCompact('x', LONG_KEY, header as unknown as JWSHeader))
    expect(error.code).toBe('ERR_JWS_INVALID')
    expect(error.message).toMatch(/"alg"/)
  })

  test.each(['none', 'RS256', 'hs256', 'HS1024'])(
    'alg %j: ERR_JOSE_NOT_SUPPORTED naming it',
    (alg) => {
      const error = thrown(() => signCompact('x', LONG_KEY, { alg }))
      expect(error.code).toBe('ERR_JOSE_NOT_SUPPORTED')
      expect(error.message).toContain(JSON.stringify(alg))
    },
  )

  test('b64 without crit is refused when signing, as when verifying (RFC 7797 §6)', async () => {
    for (const b64 of [false, true]) {
      const error = thrown(() => signCompact('x', LONG_KEY, { alg: 'HS256', b64 }))
      expect(error.code).toBe('ERR_JWS_INVALID')
      expect(error.message).toMatch(/"b64".*"crit"/)
    }
  })
})

describe('keys are raw bytes, never strings', () => {
  const passphrase = 'k'.repeat(64)

  test('signCompact with a string key: TypeError', () => {
    const error = thrown(() => signCompact('x', passphrase as unknown as Uint8Array))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/Uint8Array/)
  })

  test('verifyCompact with a string key: TypeError, even when that string signed the token', () => {
    const token = forgeJws(b64u('{"alg":"HS256"}'), b64u('x'), Buffer.from(passphrase))
    const error = thrown(() => verifyCompact(token, passphrase as unknown as Uint8Array))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/Uint8Array/)
  })
})

describe('the algorithms option: every entry must be a supported name', () => {
  // Built inside each test: src code run at collection time is "static" for Stryker.
  const token = (): string => signCompact('x', LONG_KEY)

  test.each([
    [[], /^algorithms must be a non-empty array/],
    ['HS256', /^algorithms must be a non-empty array/],
    [['HS256', 'HS1024'], /^algorithms: "HS1024" is not supported/],
    [['HS256', 'none'], /^algorithms: "none" is not supported/],
    [['HS256', 256], /^algorithms: 256 is not supported/],
    [['none'], /^algorithms: "none" is not supported/],
    [['RS256'], /^algorithms: "RS256" is not supported/],
  ])('%j: TypeError naming the problem', (algorithms, message) => {
    const error = thrown(() =>
      verifyCompact(token(), LONG_KEY, { algorithms: algorithms as string[] }),
    )
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(message)
  })

  test('a key too short for every allowed algorithm: the message gives the smallest need', () => {
    const short = new Uint8Array(16)
    const error = thrown(() => verifyCompact(token(), short, { algorithms: ['HS512', 'HS256'] }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(
      /^key has 16 bytes; the allowed algorithms \(HS512, HS256\) need at least 32 /,
    )
  })
})

describe('verifyCompact: each rejection names what failed', () => {
  const payload = b64u('{"sub":"alice"}')

  test.each([
    ['no alg', forgeJws(b64u('{"typ":"JWT"}'), payload, LONG_KEY), 'ERR_JWS_INVALID', /"alg"/],
    [
      'alg not allowed',
      forgeJws(b64u('{"alg":"HS512"}'), payload, LONG_KEY, 'HS512'),
      'ERR_JOSE_ALG_NOT_ALLOWED',
      // jose's message, word for word.
      /^"alg" \(Algorithm\) Header Parameter value not allowed$/,
    ],
    [
      'a non-ASCII payload segment',
      `${b64u('{"alg":"HS256"}')}.${payload}é.${b64u(new Uint8Array(32))}`,
      'ERR_JWS_INVALID',
      /Payload/,
    ],
    [
      'a padded payload segment under a valid MAC',
      forgeJws(b64u('{"alg":"HS256"}'), `${b64u('ab')}=`, LONG_KEY),
      'ERR_JWS_INVALID',
      /Payload/,
    ],
    [
      'a padded signature',
      `${forgeJws(b64u('{"alg":"HS256"}'), payload, LONG_KEY)}=`,
      'ERR_JWS_INVALID',
      /Signature/,
    ],
  ])('%s: %s', async (_case, token, code, message) => {
    expect(await codeOf(() => verifyCompact(token, LONG_KEY))).toBe(code)
    expect(thrown(() => verifyCompact(token, LONG_KEY)).message).toMatch(message)
  })

  test('a key that fits HS256 but not the HS512 token: ERR_JWS_INVALID naming the alg', () => {
    const key = new Uint8Array(32).fill(1)
    const token = forgeJws(b64u('{"alg":"HS512"}'), payload, key, 'HS512')
    const error = thrown(() => verifyCompact(token, key, { algorithms: ['HS256', 'HS512'] }))
    expect(error.code).toBe('ERR_JWS_INVALID')
    expect(error.message).toMatch(/too short for HS512/)
  })
})

// Round trips and refusals run on both implementations: the reference adapter
// (reference/index.ts) must behave as src does wherever the two agree.
describe.each(implementations)('JWS on $name: src and the reference alike', (impl) => {
  const signingKey = patternKey(32, 1)
  const encryptionKey = patternKey(32, 101)
  /** Bytes as hex: a fast comparison with a readable diff. */
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

  describe('JWS compact', () => {
    test('HS256, HS384, HS512 (allowlisted): sign/verify round trip', async () => {
      await fc.assert(
        fc.asyncProperty(arb.hmacAlgAndKey(), arb.bytesUpTo(512), async ({ alg, key }, payload) => {
          const header = { alg }
          const token = await impl.signCompact(payload, key, header)
          const result = await impl.verifyCompact(token, key, { algorithms: [alg] })
          expect(result.payload).toBeInstanceOf(Uint8Array)
          expect(hex(result.payload)).toBe(hex(payload))
          expect(result.protectedHeader).toEqual(header)
        }),
      )
    })

    test('an algorithm not allowlisted: ERR_JOSE_ALG_NOT_ALLOWED', async () => {
      const key = patternKey(64, 3)
      const hs384 = await impl.signCompact('x', key, { alg: 'HS384' })
      expect(await codeOf(() => impl.verifyCompact(hs384, key))).toBe('ERR_JOSE_ALG_NOT_ALLOWED')
      const hs256 = await impl.signCompact('x', key)
      expect(await codeOf(() => impl.verifyCompact(hs256, key, { algorithms: ['HS512'] }))).toBe(
        'ERR_JOSE_ALG_NOT_ALLOWED',
      )
    })

    test('the wrong key: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
      const token = await impl.signCompact('x', signingKey)
      expect(await codeOf(() => impl.verifyCompact(token, encryptionKey))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
    })

    test('any changed payload or signature character: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', async () => {
      const token = await impl.signCompact('{"sub":"user-1","role":"user"}', signingKey)
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(1, 2),
          fc.nat(),
          fc.integer({ min: 1, max: 63 }),
          async (index, at, shift) => {
            // The signature's last character carries unused bits, which jose ignores:
            // changing only those changes no byte, so it is left out here.
            const segment = token.split('.')[index] as string
            const position = at % (index === 2 ? segment.length - 1 : segment.length)
            const forged = tamper(token, index, position, shift)
            expect(await codeOf(() => impl.verifyCompact(forged, signingKey))).toBe(
              'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
            )
          },
        ),
      )
    })

    test('a non-ASCII payload segment: ERR_JWS_INVALID', async () => {
      const [header, payload, signature] = (await impl.signCompact('hi', signingKey)).split('.')
      const token = [header, `${payload}\u00e9`, signature].join('.')
      expect(await codeOf(() => impl.verifyCompact(token, signingKey))).toBe('ERR_JWS_INVALID')
    })

    test('framing and maxTokenLength: ERR_JWS_INVALID', async () => {
      const token = await impl.signCompact('x', signingKey)
      for (const broken of [token.split('.').slice(0, 2).join('.'), `${token}.x`, '']) {
        expect(await codeOf(() => impl.verifyCompact(broken, signingKey))).toBe('ERR_JWS_INVALID')
      }
      const capped = { maxTokenLength: token.length - 1 }
      expect(await codeOf(() => impl.verifyCompact(token, signingKey, capped))).toBe(
        'ERR_JWS_INVALID',
      )
      const exact = { maxTokenLength: token.length }
      expect((await impl.verifyCompact(token, signingKey, exact)).payload).toEqual(
        new TextEncoder().encode('x'),
      )
    })
  })

  test.each(arb.HMAC_ALGS)('%s: signing with a key shorter than the hash', async (alg) => {
    const minimum = arb.HMAC_MIN_KEY_BYTES[alg]
    const short = fc.oneof(
      fc.constantFrom(0, 1, minimum - 1),
      fc.integer({ min: 0, max: minimum - 1 }),
    )
    await fc.assert(
      fc.asyncProperty(short, async (length) => {
        const key = patternKey(length, 4)
        expect(await codeOf(() => impl.signCompact('x', key, { alg }))).toBe('TypeError')
        expect(await codeOf(() => impl.signJwt({}, key, { header: { alg } }))).toBe('TypeError')
      }),
    )
  })

  test('verifying with a key too short for every allowed algorithm', async () => {
    const token = await impl.signCompact('x', signingKey)
    for (const [length, algorithms] of [
      [31, ['HS256']],
      [47, ['HS384', 'HS512']],
    ] as const) {
      const key = patternKey(length, 4)
      const options = { algorithms: [...algorithms] }
      expect(await codeOf(() => impl.verifyCompact(token, key, options))).toBe('TypeError')
      expect(await codeOf(() => impl.verifyJwt(token, key, options))).toBe('TypeError')
    }
  })

  test("a key that fits HS256 but not the HS512 token it is offered is the token's fault", async () => {
    const hs512Key = patternKey(64, 7)
    const token = await impl.signCompact('payload', hs512Key, { alg: 'HS512' })
    const code = await codeOf(() =>
      impl.verifyCompact(token, patternKey(40, 7), { algorithms: ['HS256', 'HS512'] }),
    )
    expect(code).toBe('ERR_JWS_INVALID')
  })

  test('signing with an algorithm outside HS256/384/512 is not supported', async () => {
    const code = await codeOf(() => impl.signCompact('payload', signingKey, { alg: 'RS256' }))
    expect(code).toBe('ERR_JOSE_NOT_SUPPORTED')
  })
})

describe('malformed and malicious tokens at every entry point: alg none, confusion and look-alikes', () => {
  const { ALG, CLAIMS, JWE_HEADER, JWS, SIGNING_KEY, asJws, jws } = corpus
  expectCorpus([
    // alg: none, confusion and look-alikes (RFC 8725 §2.1, §3.1; RFC 7518 §3.6).
    {
      id: 'alg none, empty signature',
      source: 'RFC 8725 §2.1',
      token: `${b64u('{"alg":"none"}')}.${b64u(CLAIMS)}.`,
      expected: asJws(ALG),
    },
    {
      id: 'alg None',
      source: 'RFC 8725 §2.1',
      token: `${b64u('{"alg":"None"}')}.${b64u(CLAIMS)}.`,
      expected: asJws(ALG),
    },
    {
      id: 'alg NONE',
      source: 'RFC 8725 §2.1',
      token: `${b64u('{"alg":"NONE"}')}.${b64u(CLAIMS)}.`,
      expected: asJws(ALG),
    },
    {
      id: 'alg nOnE',
      source: 'RFC 8725 §2.1',
      token: `${b64u('{"alg":"nOnE"}')}.${b64u(CLAIMS)}.`,
      expected: asJws(ALG),
    },
    {
      id: 'alg none with a valid HS256 MAC',
      source: 'RFC 8725 §2.1',
      token: jws('{"alg":"none"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg RS256, HMACed with our key (key confusion)',
      source: 'RFC 8725 §2.1, §3.1',
      token: jws('{"alg":"RS256"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg ES256',
      source: 'RFC 8725 §3.1',
      token: jws('{"alg":"ES256"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg PS256',
      source: 'RFC 8725 §3.1',
      token: jws('{"alg":"PS256"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg HS512 not allowlisted',
      source: 'RFC 8725 §3.1',
      token: jws('{"alg":"HS512"}', CLAIMS, SIGNING_KEY, 'HS512'),
      expected: asJws(ALG),
    },
    {
      id: 'alg "HS256 "',
      source: 'RFC 7515 §4.1.1 (case-sensitive)',
      token: jws('{"alg":"HS256 "}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg hs256',
      source: 'RFC 7515 §4.1.1',
      token: jws('{"alg":"hs256"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg with a Cyrillic Н',
      source: 'RFC 7515 §4.1.1',
      token: jws('{"alg":"\u041dS256"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg "HS256\\u0000"',
      source: 'RFC 7515 §4.1.1',
      token: jws('{"alg":"HS256\\u0000"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg __proto__',
      source: 'prototype lookup',
      token: jws('{"alg":"__proto__"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg constructor',
      source: 'prototype lookup',
      token: jws('{"alg":"constructor"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg toString',
      source: 'prototype lookup',
      token: jws('{"alg":"toString"}'),
      expected: asJws(ALG),
    },
    {
      id: 'alg dir in a JWS',
      source: 'RFC 8725 §3.1',
      token: jws(JWE_HEADER),
      expected: asJws(ALG),
    },
    {
      id: 'alg missing',
      source: 'RFC 7515 §4.1.1',
      token: jws('{"typ":"JWT"}'),
      expected: asJws(JWS),
    },
    { id: 'alg null', source: 'RFC 7515 §4.1.1', token: jws('{"alg":null}'), expected: asJws(JWS) },
    {
      id: 'alg ["HS256"]',
      source: 'RFC 7515 §4.1.1',
      token: jws('{"alg":["HS256"]}'),
      expected: asJws(JWS),
    },
    { id: 'alg {}', source: 'RFC 7515 §4.1.1', token: jws('{"alg":{}}'), expected: asJws(JWS) },
    {
      id: 'alg only inside __proto__',
      source: 'prototype pollution',
      token: jws('{"__proto__":{"alg":"HS256"}}'),
      expected: asJws(JWS),
    },
  ])
})
