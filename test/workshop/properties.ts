/**
 * Step-focused properties: cross-checks of the primitives a workshop step writes
 * (base64url, HMAC, the MAC comparison, AES-GCM) and of the mistakes the differential
 * suite (test/differential/properties.ts) cannot see because jose never produces the
 * input that exposes them (a header JSON not spelled the way `JSON.stringify` spells
 * it, a nested token without `cty`).
 *
 * Each compares the participant's code with an independent oracle: jose's public API,
 * the reference adapter (jose configured safely), node:crypto, or WebCrypto. Inputs
 * come from test/support/arbitraries.ts, with the boundary lengths it guarantees. The report
 * format is the differential suite's (`CheckReport`), so one printer serves both.
 */

import assert from 'node:assert/strict'
import { createCipheriv, createHmac, webcrypto } from 'node:crypto'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import fc from 'fast-check'
import { base64url as joseBase64url, SignJWT } from 'jose'
import type { JWSHeader } from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import {
  type CheckParameters,
  type CheckReport,
  type Outcome,
  outcomeOf,
  type Src,
} from '../differential/properties.ts'
import * as arb from '../support/arbitraries.ts'
import { shortenedReport } from '../support/fast-check-report.ts'
import {
  BASE64URL_ALPHABET,
  b64u,
  forgeJwe,
  forgeJws,
  isCanonicalSegment,
  padded,
  withSpareBits,
} from '../support/forge.ts'

// ---------------------------------------------------------------------------------------
// What a focused property runs against
// ---------------------------------------------------------------------------------------

export interface HmacAlgorithm {
  readonly hash: string
  readonly minKeyBytes: number
  readonly macBytes: number
}

export interface GcmAlgorithm {
  readonly cipher: string
  readonly keyBytes: number
}

/** The internal functions of src/hmac.ts and src/aes-gcm.ts that the steps write. */
export interface Internals {
  hmacAlgorithm(alg: string): HmacAlgorithm | undefined
  hmac(algorithm: HmacAlgorithm, key: Uint8Array, signingInput: string): Uint8Array
  macEquals(expected: Uint8Array, received: Uint8Array): boolean
  gcmAlgorithm(enc: string): GcmAlgorithm | undefined
  gcmEncrypt(
    algorithm: GcmAlgorithm,
    key: Uint8Array,
    iv: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): { ciphertext: Uint8Array; tag: Uint8Array }
  gcmDecrypt(
    algorithm: GcmAlgorithm,
    key: Uint8Array,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array,
  ): Uint8Array | undefined
}

/** The GHASH step's functions (src/glass-box/gf128.ts and ghash.ts). */
export interface GhashInternals {
  gf128Multiply(x: Uint8Array, y: Uint8Array): Uint8Array
  ghash(h: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array
}

/** A participant's (or the reference) implementation: the public API and the internals. */
export interface Target {
  readonly subject: Src
  readonly internals: Internals & GhashInternals
}

/** A property's report, with an optional note worth showing even when it passed. */
export interface StepReport extends CheckReport {
  readonly note?: string
}

/** What the workshop runs: a differential property, a focused one, or a bonus check. */
export interface StepProperty {
  readonly id: string
  readonly title: string
  check(parameters?: CheckParameters): Promise<StepReport>
}

interface Definition<T> {
  id: string
  title: string
  arbitrary: fc.Arbitrary<T>
  predicate: (input: T) => Promise<void>
}

function defineProperty<T>(definition: Definition<T>): StepProperty {
  const property = fc.asyncProperty(definition.arbitrary, definition.predicate)
  return {
    id: definition.id,
    title: definition.title,
    async check(parameters: CheckParameters = {}): Promise<CheckReport> {
      const given: CheckParameters = {}
      if (parameters.numRuns !== undefined) given.numRuns = parameters.numRuns
      if (parameters.seed !== undefined) given.seed = parameters.seed
      if (parameters.path !== undefined) given.path = parameters.path
      const details = await fc.check(property, given)
      const message = details.failed
        ? shortenedReport((await fc.asyncDefaultReportMessage(details)) ?? '')
        : ''
      return {
        failed: details.failed,
        numRuns: details.numRuns,
        numSkips: details.numSkips,
        seed: details.seed,
        path: details.counterexamplePath,
        message,
      }
    },
  }
}

// ---------------------------------------------------------------------------------------
// Small helpers for messages
// ---------------------------------------------------------------------------------------

const MAX_HEX = 48

/** Bytes as hex, cut after MAX_HEX bytes so that a 64 KiB value stays readable. */
function hex(bytes: Uint8Array): string {
  if (bytes.length === 0) return '[] (0 bytes)'
  const shown = Buffer.from(bytes.subarray(0, MAX_HEX)).toString('hex')
  return bytes.length > MAX_HEX
    ? `${shown}… (${bytes.length} bytes)`
    : `${shown} (${bytes.length} bytes)`
}

/** A string as JSON, cut after 60 characters so that the verdict after it stays in view. */
function quoted(text: string): string {
  if (text.length <= 60) return JSON.stringify(text)
  return `${JSON.stringify(text.slice(0, 60)).slice(0, -1)}…" (${text.length} characters)`
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  )
}

function describe(outcome: Outcome): string {
  if (outcome.kind === 'accepted') return 'accepted'
  const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error)
  const detail =
    outcome.claim === undefined ? '' : ` (claim ${outcome.claim}, reason ${outcome.reason})`
  return `rejected with ${outcome.code}${detail}: ${message}`
}

function isUint8Array(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array
}

/** Runs `action` and returns its value; a throw becomes an assertion naming `what`. */
async function mustNotThrow<T>(what: string, action: () => T | Promise<T>): Promise<T> {
  try {
    return await action()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    assert.fail(`${what} threw: ${message}`)
  }
}

// ---------------------------------------------------------------------------------------
// Arbitraries these properties share
// ---------------------------------------------------------------------------------------

/**
 * Payload bytes up to `max` long, with every boundary length of test/support/arbitraries.ts,
 * drawn so that shrinking can reach the empty array: arb.payloadBytes keeps its top
 * lengths in a branch that only shrinks to the top, and a 1 KiB counterexample hides
 * a bug that a 1-byte one shows.
 */
function shrinkablePayload(max: number): fc.Arbitrary<Uint8Array> {
  return arb.bytesWithLength(
    fc.oneof(fc.constantFrom(...arb.PAYLOAD_LENGTH_BOUNDARIES), fc.integer({ min: 0, max })),
  )
}

type Respelling =
  | 'canonical'
  | 'padding'
  | 'double-padding'
  | 'whitespace'
  | 'spare-bits'
  | 'standard-alphabet'
  | 'lookalike'
  | 'extra-character'
  | 'dropped-character'

/** A canonical segment, or one re-spelled in a way a lenient decoder accepts. */
function base64urlCandidate(): fc.Arbitrary<{ text: string; how: Respelling | 'noise' }> {
  // Short segments first: a counterexample of 3 characters shows a rule that one of
  // 1,366 characters buries. The boundary lengths still come in the second branch.
  const length = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 8 }) },
    { weight: 1, arbitrary: arb.payloadLength(1024) },
  )
  const respelled = fc
    .tuple(
      arb.bytesWithLength(length),
      fc.constantFrom<Respelling>(
        'canonical',
        'padding',
        'double-padding',
        'whitespace',
        'spare-bits',
        'standard-alphabet',
        'lookalike',
        'extra-character',
        'dropped-character',
      ),
      fc.nat(),
      fc.constantFrom(' ', '\n', '\t', '\r'),
    )
    .map(([bytes, how, at, space]) => ({ text: respell(b64u(bytes), how, at, space), how }))
  const noise = fc
    .string({ unit: fc.constantFrom(...`${BASE64URL_ALPHABET}=+/ .`), maxLength: 24 })
    .map((text) => ({ text, how: 'noise' as const }))
  return fc.oneof({ weight: 5, arbitrary: respelled }, { weight: 1, arbitrary: noise })
}

function respell(segment: string, how: Respelling, at: number, space: string): string {
  const position = segment.length === 0 ? 0 : at % segment.length
  switch (how) {
    case 'canonical':
      return segment
    case 'padding':
      return padded(segment) === segment ? `${segment}=` : padded(segment)
    case 'double-padding':
      return `${segment}==`
    case 'whitespace':
      return segment.slice(0, position) + space + segment.slice(position)
    case 'spare-bits':
      return withSpareBits(segment, at) ?? `${segment}A`
    case 'standard-alphabet': {
      const swapped = segment.replaceAll('-', '+').replaceAll('_', '/')
      return swapped !== segment
        ? swapped
        : `${segment.slice(0, position)}/${segment.slice(position + 1)}`
    }
    case 'lookalike': {
      // U+0100 above an ASCII letter: Node's decoder keeps only the low byte.
      const code = segment.charCodeAt(position)
      const replacement = Number.isNaN(code) ? 'Ů' : String.fromCharCode(code + 0x100)
      return segment.slice(0, position) + replacement + segment.slice(position + 1)
    }
    case 'extra-character':
      return `${segment}${BASE64URL_ALPHABET.charAt(at % 64)}`
    case 'dropped-character':
      return segment.slice(0, -1)
  }
}

/**
 * The rule a non-canonical segment breaks, in the participant's words, when it is
 * the unused bits: a 2- or 3-character tail carries 4 or 2 bits no byte uses, and
 * they must be zero (RFC 4648 §3.5), or one byte string has several spellings.
 */
function ruleBroken(text: string): string {
  const tail = text.length % 4
  const last = BASE64URL_ALPHABET.indexOf(text.charAt(text.length - 1))
  const onlyAlphabet = [...text].every((c) => BASE64URL_ALPHABET.includes(c))
  if (onlyAlphabet && last >= 0 && (tail === 2 || tail === 3)) {
    const unused = tail === 2 ? 4 : 2
    const words = unused === 4 ? 'four' : 'two'
    if ((last & ((1 << unused) - 1)) !== 0)
      return `the ${words} unused bits of the last character must be zero (RFC 4648 §3.5): ${JSON.stringify(text.charAt(text.length - 1))} has value ${last}, binary ${last.toString(2).padStart(6, '0')}`
  }
  if (onlyAlphabet && tail === 1) return 'one character left over carries less than a byte'
  if (/[+/]/.test(text)) return "'+' and '/' belong to base64, not base64url"
  if (text.includes('=')) return 'base64url in JOSE has no padding (RFC 7515 §2)'
  if (/[^\x21-\x7e]/.test(text)) return 'only the 64 base64url characters may appear'
  return 'not the one canonical spelling'
}

/**
 * Header JSON spelled by hand: members in a generated order, JSON whitespace (RFC 8259
 * §2) between tokens, and some characters written as `\u` escapes. All of it is valid
 * JSON with the same meaning, and none of it is how `JSON.stringify` would write it, so
 * a verifier that re-serialises the parsed header computes over other bytes. A member
 * named "1" is also offered: JavaScript objects list integer-like names first, so even
 * a parse-then-stringify round trip reorders it.
 */
function handSpelledHeader(
  required: Readonly<Record<string, string>>,
): fc.Arbitrary<{ json: string; value: Record<string, unknown> }> {
  const extras = fc.record(
    {
      kid: fc.constantFrom('key-1', 'clé 🗝', ''),
      '1': fc.constantFrom('one', 'un'),
      typ: fc.constantFrom('JWT', 'application/jwt'),
    },
    { requiredKeys: [] },
  )
  const space = fc.constantFrom('', '', ' ', '\n', '\r\n', '\t', '  ')
  return extras.chain((chosen) => {
    const entries: [string, string][] = [...Object.entries(required), ...Object.entries(chosen)]
    return fc
      .tuple(
        fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
        fc.array(space, { minLength: 4 * entries.length + 2, maxLength: 4 * entries.length + 2 }),
        fc.array(fc.boolean(), { minLength: entries.length, maxLength: entries.length }),
      )
      .map(([ordered, spaces, escapes]) => {
        let slot = 0
        const next = (): string => spaces[slot++] ?? ''
        const members: string[] = []
        for (let i = 0; i < ordered.length; i++) {
          const [name, value] = ordered[i] as [string, string]
          const literal = escapes[i] === true ? escapedFirst(value) : JSON.stringify(value)
          members.push(`${next()}${JSON.stringify(name)}${next()}:${next()}${literal}${next()}`)
        }
        const json = `{${members.join(',')}${next()}}`
        return { json, value: Object.fromEntries(ordered) as Record<string, unknown> }
      })
  })
}

/** A JSON string literal whose first character is written as a `\uXXXX` escape. */
function escapedFirst(value: string): string {
  if (value === '') return '""'
  const unit = value.charCodeAt(0).toString(16).padStart(4, '0')
  return `"\\u${unit}${JSON.stringify(value.slice(1)).slice(1, -1)}"`
}

// ---------------------------------------------------------------------------------------
// Watching the MAC comparison: is crypto.timingSafeEqual called, and with what?
// ---------------------------------------------------------------------------------------

type TimingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => boolean

// The CommonJS face of node:crypto is writable; syncBuiltinESMExports() then updates the
// ESM named export that participants' code imports. Restored after every call.
const cryptoModule = createRequire(import.meta.url)('node:crypto') as {
  timingSafeEqual: TimingSafeEqual
}

/** Runs `action` (which must not throw) while recording the lengths of every timingSafeEqual call. */
async function watchingTimingSafeEqual<T>(
  action: () => Promise<T>,
): Promise<{ result: T; calls: [number, number][] }> {
  const original = cryptoModule.timingSafeEqual
  const calls: [number, number][] = []
  cryptoModule.timingSafeEqual = function spy(a, b): boolean {
    calls.push([a.byteLength, b.byteLength])
    return original(a, b)
  }
  syncBuiltinESMExports()
  try {
    return { result: await action(), calls }
  } finally {
    cryptoModule.timingSafeEqual = original
    syncBuiltinESMExports()
  }
}

// ---------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------

const HASHES = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const

async function webcryptoGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<{ ciphertext: Uint8Array; tag: Uint8Array }> {
  const cryptoKey = await webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt'])
  const sealed = new Uint8Array(
    await webcrypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 },
      cryptoKey,
      plaintext,
    ),
  )
  return { ciphertext: sealed.subarray(0, sealed.length - 16), tag: sealed.subarray(-16) }
}

type GcmTampering =
  | { kind: 'none' }
  | { kind: 'flip-ciphertext' | 'flip-tag' | 'flip-aad' | 'flip-key'; bit: number }
  | { kind: 'truncate-tag'; length: number }

function gcmTampering(): fc.Arbitrary<GcmTampering> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constantFrom(
          'flip-ciphertext' as const,
          'flip-tag' as const,
          'flip-aad' as const,
          'flip-key' as const,
        ),
        bit: fc.nat(),
      }),
    },
    {
      weight: 2,
      // Node accepts GCM tags of 4 to 16 bytes unless authTagLength pins 16.
      arbitrary: fc.record({
        kind: fc.constant('truncate-tag' as const),
        length: fc.oneof(fc.constantFrom(4, 8, 12, 15), fc.integer({ min: 4, max: 15 })),
      }),
    },
  )
}

/** AES-256 of one block with node:crypto (ECB of a single block is the raw cipher). */
function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-ecb', key, null)
  cipher.setAutoPadding(false)
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]))
}

/** GCM's "one": the polynomial 1 is bit 0, the most significant bit of byte 0 (SP 800-38D §6.3). */
function fieldOne(): Uint8Array {
  const one = new Uint8Array(16)
  one[0] = 0x80
  return one
}

/** `bytes` with one bit flipped (or one byte appended when there is no bit to flip). */
function flipped(bytes: Uint8Array, bit: number): Uint8Array {
  if (bytes.length === 0) return Uint8Array.of(1)
  const out = new Uint8Array(bytes)
  const at = bit % (out.length * 8)
  out[at >> 3] = (out[at >> 3] as number) ^ (1 << (at & 7))
  return out
}

type SigningHeaderKind = 'crit-not-understood' | 'b64-without-crit' | 'lone-surrogate' | 'no-alg'

/**
 * Headers signCompact must refuse, each with the rule it breaks and the code src/
 * (the reference solution) refuses it with. jose signs the middle two (its signer does
 * not apply the recipient's rules; docs/divergences.md); a recipient then refuses the
 * token, or reads a header other than the one the signer was given.
 */
const REFUSED_SIGNING_HEADERS: Readonly<
  Record<SigningHeaderKind, { header: Record<string, unknown>; rule: string; code: string }>
> = {
  'crit-not-understood': {
    header: { alg: 'HS256', crit: ['exp'], exp: 1 },
    rule: 'a parameter listed in "crit" that this library does not implement makes the header unusable (RFC 7515 §4.1.11); jose refuses it too',
    code: 'ERR_JOSE_NOT_SUPPORTED',
  },
  'b64-without-crit': {
    header: { alg: 'HS256', b64: false },
    rule: '"b64" changes how the payload is read, so it must be listed in "crit" (RFC 7797 §6)',
    code: 'ERR_JWS_INVALID',
  },
  'lone-surrogate': {
    header: { alg: 'HS256', kid: 'key-\ud800' },
    rule: 'a lone surrogate has no UTF-8 form, so the recipient would read another header than the one given (RFC 8259 §8.1)',
    code: 'ERR_JWS_INVALID',
  },
  'no-alg': {
    header: { typ: 'JWT' },
    rule: 'every JWS header names its "alg" (RFC 7515 §4.1.1); jose refuses it too',
    code: 'ERR_JWS_INVALID',
  },
}

/** A header as JSON, with a lone surrogate kept visible as its escape. */
function showHeader(header: Record<string, unknown>): string {
  return JSON.stringify(header).replace(/[\ud800-\udfff]/g, (unit) => {
    return `\\u${unit.charCodeAt(0).toString(16)}`
  })
}

type JweChange =
  | 'flip-iv'
  | 'flip-ciphertext'
  | 'flip-tag'
  | 'extra-header-member'
  | 'short-tag'
  | 'zip-DEF'
  | 'zip-DEF-and-flip-tag'
  | 'zip-GZIP'

type NestedCty = 'JWT' | 'jwt' | 'application/jwt' | 'json' | 'JWS' | 'absent'
type NestedInner = 'signed' | 'bare-claims' | 'other-signing-key' | 'edited-claims'
type Replicated = 'none' | 'same-iss' | 'other-iss'

/** Every focused property, run against `target`. */
export function focusedProperties(target: Target): StepProperty[] {
  const { subject, internals } = target
  return [
    // Step 1 ------------------------------------------------------------------------------
    defineProperty({
      id: 'base64url/encode-matches-jose',
      title: 'base64url.encode equals jose base64url.encode for bytes and for text',
      arbitrary: fc.oneof(
        { weight: 3, arbitrary: shrinkablePayload(4096) },
        { weight: 1, arbitrary: arb.text(64) },
      ),
      predicate: async (input) => {
        const ours = await mustNotThrow('base64url.encode', () => subject.base64url.encode(input))
        const theirs = joseBase64url.encode(input)
        assert.equal(
          ours,
          theirs,
          `base64url.encode(${typeof input === 'string' ? quoted(input) : hex(input)}): expected (jose) ${JSON.stringify(theirs)}, got ${JSON.stringify(ours)}`,
        )
      },
    }),
    defineProperty({
      id: 'base64url/decode-is-canonical',
      title:
        'base64url.decode returns the exact bytes of a canonical segment, and throws a TypeError for any other spelling',
      arbitrary: base64urlCandidate(),
      predicate: async ({ text, how }) => {
        const ours = await outcomeOf(() => subject.base64url.decode(text))
        const shown = `base64url.decode(${quoted(text)}) [${how}]`
        if (isCanonicalSegment(text)) {
          const expected = new Uint8Array(Buffer.from(text, 'base64url'))
          if (ours.kind === 'rejected')
            assert.fail(`${shown}: expected (jose) ${hex(expected)}, but ${describe(ours)}`)
          assert.ok(isUint8Array(ours.value), `${shown}: expected a Uint8Array`)
          assert.ok(
            sameBytes(ours.value, expected),
            `${shown}: expected (jose) ${hex(expected)}, got ${hex(ours.value)}`,
          )
        } else {
          const lenient = await outcomeOf(() => joseBase64url.decode(text))
          const joseSays =
            lenient.kind === 'accepted' && isUint8Array(lenient.value)
              ? `jose's lenient decoder reads ${hex(lenient.value)} (docs/divergences.md)`
              : 'jose refuses it too'
          if (ours.kind === 'accepted') {
            const got = isUint8Array(ours.value) ? hex(ours.value) : String(ours.value)
            assert.fail(
              `${shown}: not canonical base64url (${ruleBroken(text)}), expected a TypeError, got ${got}; ${joseSays}`,
            )
          }
          assert.ok(
            ours.error instanceof TypeError,
            `${shown}: expected a TypeError, but ${describe(ours)}`,
          )
        }
      },
    }),

    // Step 2 ------------------------------------------------------------------------------
    defineProperty({
      id: 'hmac/matches-node-crypto',
      title: 'hmac() equals node:crypto HMAC over the ASCII signing input, for every key length',
      arbitrary: arb.hmacAlgAndKey().chain(({ alg, key }) =>
        fc.record({
          alg: fc.constant(alg),
          key: fc.constant(key),
          input: fc.string({
            unit: fc.constantFrom(...`${BASE64URL_ALPHABET}.`),
            maxLength: 300,
          }),
        }),
      ),
      predicate: async ({ alg, key, input }) => {
        const algorithm = internals.hmacAlgorithm(alg)
        assert.ok(algorithm !== undefined, `hmacAlgorithm(${alg}) is undefined`)
        const ours = await mustNotThrow('hmac', () => internals.hmac(algorithm, key, input))
        const theirs = createHmac(HASHES[alg], key).update(input, 'latin1').digest()
        assert.ok(
          sameBytes(ours, theirs),
          `${alg} with a ${key.length}-byte key over ${quoted(input)}: expected (node:crypto) ${hex(theirs)}, got ${hex(ours)}`,
        )
      },
    }),

    defineProperty({
      id: 'sign/refuses-headers-a-recipient-refuses',
      title:
        'signCompact refuses a header that a careful recipient would refuse (an unknown crit, b64 without crit, a lone surrogate, no alg), and signs the same header without them',
      arbitrary: fc.record({
        kind: fc.constantFrom<SigningHeaderKind>(
          'crit-not-understood',
          'b64-without-crit',
          'lone-surrogate',
          'no-alg',
        ),
        key: arb.hmacKey(32),
        payload: shrinkablePayload(64),
      }),
      predicate: async ({ kind, key, payload }) => {
        const { header, rule, code } = REFUSED_SIGNING_HEADERS[kind]
        const ours = await outcomeOf(() =>
          subject.signCompact(payload, key, { ...header } as unknown as JWSHeader),
        )
        const shown = `signCompact(payload, key, ${showHeader(header)})`
        if (ours.kind === 'accepted') {
          assert.fail(
            `${shown}: signed it, expected a refusal with ${code}. The rule: ${rule}. Serialise the header with serializeProtectedHeader, then run the recipient's checks on it (checkCrit, checkNoBareB64) before you sign.`,
          )
        }
        assert.equal(ours.code, code, `${shown}: expected ${code} (${rule}), but ${describe(ours)}`)
        // Without the offending member the same header must sign: the refusal is for
        // the rule, not for every header.
        const plain = await outcomeOf(() => subject.signCompact(payload, key, { alg: 'HS256' }))
        assert.equal(
          plain.kind,
          'accepted',
          `signCompact(payload, key, {"alg":"HS256"}): expected a token, but ${describe(plain)}`,
        )
      },
    }),

    // Step 3 ------------------------------------------------------------------------------
    defineProperty({
      id: 'mac-compare/is-byte-equality',
      title:
        'macEquals is true exactly when both MACs have the same length and bytes, and never throws',
      arbitrary: fc
        .tuple(
          arb.bytesWithLength(fc.constantFrom(32, 48, 64)),
          fc.oneof(
            fc.record({ kind: fc.constant('same' as const) }),
            fc.record({ kind: fc.constant('prefix' as const), length: fc.nat({ max: 63 }) }),
            fc.record({
              kind: fc.constant('longer' as const),
              extra: arb.bytesWithLength(fc.integer({ min: 1, max: 4 })),
            }),
            fc.record({ kind: fc.constant('bit-flip' as const), bit: fc.nat() }),
            fc.record({ kind: fc.constant('other' as const), bytes: arb.bytesOfLength(32) }),
          ),
        )
        .map(([expected, change]) => {
          let received: Uint8Array
          if (change.kind === 'same') received = new Uint8Array(expected)
          else if (change.kind === 'prefix')
            received = expected.slice(0, change.length % expected.length)
          else if (change.kind === 'longer')
            received = new Uint8Array([...expected, ...change.extra])
          else if (change.kind === 'bit-flip') received = flipped(expected, change.bit)
          else received = change.bytes
          return { expected, received, kind: change.kind }
        }),
      predicate: async ({ expected, received, kind }) => {
        const equal = sameBytes(expected, received)
        const ours = await mustNotThrow(
          `macEquals(${hex(expected)}, ${hex(received)}) [${kind}]`,
          () => internals.macEquals(expected, received),
        )
        assert.equal(
          ours,
          equal,
          `macEquals(expected ${hex(expected)}, received ${hex(received)}) [${kind}]: expected ${equal}, got ${String(ours)}`,
        )
      },
    }),
    defineProperty({
      id: 'verify/uses-timing-safe-equal',
      title:
        'verifyCompact compares the full-length MACs with crypto.timingSafeEqual, whether they match or not',
      arbitrary: arb.hmacAlgAndKey().chain(({ alg, key }) =>
        fc.record({
          alg: fc.constant(alg),
          key: fc.constant(key),
          payload: shrinkablePayload(256),
          wrong: fc.option(fc.nat(), { nil: undefined }),
        }),
      ),
      predicate: async ({ alg, key, payload, wrong }) => {
        const valid = forgeJws(b64u(JSON.stringify({ alg })), b64u(payload), key, alg)
        const [header, body, signature] = valid.split('.') as [string, string, string]
        const token =
          wrong === undefined
            ? valid
            : `${header}.${body}.${b64u(flipped(Buffer.from(signature, 'base64url'), wrong))}`
        const macBytes = { HS256: 32, HS384: 48, HS512: 64 }[alg]
        const { result: outcome, calls } = await watchingTimingSafeEqual(() =>
          outcomeOf(() => subject.verifyCompact(token, key, { algorithms: [alg] })),
        )
        const expected = wrong === undefined ? 'accepted' : 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
        const got = outcome.kind === 'accepted' ? 'accepted' : outcome.code
        assert.equal(
          got,
          expected,
          `${alg} token, ${wrong === undefined ? 'valid MAC' : 'one MAC bit flipped'}: expected (jose) ${expected}, got ${describe(outcome)}`,
        )
        const fullLength = calls.some(([a, b]) => a === macBytes && b === macBytes)
        assert.ok(
          fullLength,
          `verifyCompact never passed the two ${macBytes}-byte MACs to crypto.timingSafeEqual (calls: ${JSON.stringify(calls)}). The rule of this step: use crypto.timingSafeEqual for the MAC comparison. === and Buffer.equals stop at the first difference and tell a timing attacker how many bytes matched; a hand-written loop may or may not, and no test can tell which, so this workshop asks for the library call (docs/02-jws-hs256.md, "Constant-time comparison").`,
        )
      },
    }),
    defineProperty({
      id: 'verify/allowlist-decides-the-algorithm',
      title:
        "verifyCompact lets the caller's algorithms list, never the token's alg, decide: same verdict and code as jose",
      arbitrary: fc.record({
        alg: fc.constantFrom('HS256', 'HS384', 'HS512', 'none'),
        key: arb.hmacKey(64),
        payload: shrinkablePayload(64),
        algorithms: fc.subarray([...arb.HMAC_ALGS], { minLength: 1 }),
      }),
      predicate: async ({ alg, key, payload, algorithms }) => {
        // alg "none" (RFC 7518 §3.6) has an empty signature; forge the rest with its MAC.
        const header = b64u(JSON.stringify({ alg }))
        const token =
          alg === 'none' ? `${header}.${b64u(payload)}.` : forgeJws(header, b64u(payload), key, alg)
        const options = { algorithms: [...algorithms] }
        const ours = await outcomeOf(() => subject.verifyCompact(token, key, options))
        const theirs = await outcomeOf(() => reference.verifyCompact(token, key, options))
        const context = `a valid ${alg} token, algorithms ${JSON.stringify(algorithms)}: ours ${describe(ours)}; expected (jose) ${describe(theirs)}`
        assert.equal(ours.kind, theirs.kind, context)
        if (ours.kind === 'rejected' && theirs.kind === 'rejected')
          assert.equal(ours.code, theirs.code, context)
      },
    }),
    defineProperty({
      id: 'verify/macs-the-received-header',
      title:
        'verifyCompact accepts a valid token whose header JSON is spelled by hand (spaces, escapes, member order), as jose does',
      arbitrary: arb.hmacAlgAndKey().chain(({ alg, key }) =>
        fc.record({
          alg: fc.constant(alg),
          key: fc.constant(key),
          header: handSpelledHeader({ alg }),
          payload: shrinkablePayload(256),
        }),
      ),
      predicate: async ({ alg, key, header, payload }) => {
        const token = forgeJws(b64u(header.json), b64u(payload), key, alg)
        const options = { algorithms: [alg] }
        const theirs = await outcomeOf(() => reference.verifyCompact(token, key, options))
        const ours = await outcomeOf(() => subject.verifyCompact(token, key, options))
        const context = `header ${JSON.stringify(header.json)}: ours ${describe(ours)}; jose ${describe(theirs)}`
        assert.equal(
          theirs.kind,
          'accepted',
          `jose must accept (a bug in this property): ${context}`,
        )
        assert.equal(
          ours.kind,
          'accepted',
          `${context}. The MAC covers the header segment as received: never re-serialise the parsed header (docs/02-jws-hs256.md, "Verifying: MAC the received bytes").`,
        )
        const value = ours.kind === 'accepted' ? ours.value : undefined
        const bytes = (value as { payload?: unknown } | undefined)?.payload
        assert.ok(isUint8Array(bytes) && sameBytes(bytes, payload), `payload differs: ${context}`)
      },
    }),

    // Step 4 ------------------------------------------------------------------------------
    defineProperty({
      id: 'claims/registered-claim-types',
      title:
        "verifyJwt refuses a wrongly typed registered claim (1e400 included) with reason 'invalid' and that claim's name",
      arbitrary: fc.record({
        base: arb.baseTime(),
        wrong: fc.oneof(
          // JSON 1e400 parses to Infinity: a NumericDate that never arrives.
          {
            weight: 2,
            arbitrary: fc.record({
              name: fc.constantFrom('exp', 'nbf', 'iat'),
              json: fc.constantFrom('1e400', '-1e400'),
            }),
          },
          { weight: 3, arbitrary: arb.wronglyTypedClaim() },
        ),
        key: arb.hmacKey(32),
      }),
      predicate: async ({ base, wrong, key }) => {
        const members: string[] = []
        for (const [name, value] of Object.entries({ sub: 'user-1', iat: base })) {
          if (name !== wrong.name) members.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`)
        }
        members.push(`${JSON.stringify(wrong.name)}:${wrong.json}`)
        const fixed = `{${members.join(',')}}`
        const token = forgeJws(b64u('{"alg":"HS256"}'), b64u(fixed), key)
        const ours = await outcomeOf(() =>
          subject.verifyJwt(token, key, { currentDate: new Date(base * 1000) }),
        )
        const context = `claims ${fixed}: ours ${describe(ours)}; expected ERR_JWT_CLAIM_VALIDATION_FAILED (claim ${wrong.name}, reason invalid), RFC 7519 §4.1 (jose itself reads some of these leniently: docs/divergences.md)`
        assert.equal(ours.kind, 'rejected', context)
        if (ours.kind !== 'rejected') return
        assert.equal(ours.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED', context)
        assert.equal(ours.claim, wrong.name, context)
        assert.equal(ours.reason, 'invalid', context)
      },
    }),
    defineProperty({
      id: 'claims/clock-boundaries-agree',
      title:
        'verifyJwt and jose agree at every second around exp, nbf and iat, with and without clockTolerance and maxTokenAge',
      // No chain: every field shrinks on its own, so a failure shrinks to one claim at
      // offset 0 and a clock on its edge.
      arbitrary: fc
        .record({
          base: arb.baseTime(),
          offsets: fc.record(
            {
              exp: fc.integer({ min: -120, max: 120 }),
              nbf: fc.integer({ min: -120, max: 120 }),
              iat: fc.integer({ min: -120, max: 120 }),
            },
            { requiredKeys: [] },
          ),
          tolerance: fc.option(fc.constantFrom(0, 1, 5, 60), { nil: undefined }),
          maxAge: fc.option(fc.constantFrom(0, 1, 30, 90), { nil: undefined }),
          // Which instant the clock sits on: where a verdict flips (RFC 7519 §4.1.4, §4.1.5).
          edge: fc.constantFrom('exp', 'nbf', 'iat', 'iat+maxTokenAge'),
          delta: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, fc.constantFrom(-1, 1)),
          ms: fc.constantFrom(0, 999, 1, 500),
          key: arb.hmacKey(32),
        })
        .map(({ base, offsets, tolerance, maxAge, edge, delta, ms, key }) => {
          const claims: Record<string, number> = {}
          for (const [name, offset] of Object.entries(offsets)) claims[name] = base + offset
          const slack = tolerance ?? 0
          let at = base
          if (edge === 'exp' && claims.exp !== undefined) at = claims.exp + slack
          if (edge === 'nbf' && claims.nbf !== undefined) at = claims.nbf - slack
          if (edge === 'iat' && claims.iat !== undefined) at = claims.iat - slack
          if (edge === 'iat+maxTokenAge' && claims.iat !== undefined)
            at = claims.iat + (maxAge ?? 0) + slack
          const currentDate = new Date((at + delta) * 1000 + ms)
          return { claims, tolerance, maxAge, key, currentDate }
        }),
      predicate: async ({ claims, tolerance, maxAge, key, currentDate }) => {
        const token = forgeJws(b64u('{"alg":"HS256"}'), b64u(JSON.stringify(claims)), key)
        const options: { currentDate: Date; clockTolerance?: number; maxTokenAge?: number } = {
          currentDate,
        }
        if (tolerance !== undefined) options.clockTolerance = tolerance
        if (maxAge !== undefined) options.maxTokenAge = maxAge
        const ours = await outcomeOf(() => subject.verifyJwt(token, key, options))
        const theirs = await outcomeOf(() => reference.verifyJwt(token, key, options))
        const now = Math.floor(currentDate.getTime() / 1000)
        const context = `claims ${JSON.stringify(claims)}, now ${now} (${currentDate.toISOString()}), clockTolerance ${tolerance}, maxTokenAge ${maxAge}: ours ${describe(ours)}; expected (jose) ${describe(theirs)}`
        assert.equal(ours.kind, theirs.kind, context)
        if (ours.kind === 'rejected' && theirs.kind === 'rejected') {
          assert.equal(ours.code, theirs.code, context)
          assert.equal(ours.claim, theirs.claim, context)
        }
      },
    }),

    defineProperty({
      id: 'claims/first-missing-claim-agrees',
      title:
        'verifyJwt names the same missing claim as jose when several are missing: iss, sub, aud, iat (for maxTokenAge), then requiredClaims from the last',
      arbitrary: fc.record({
        base: arb.baseTime(),
        present: fc.subarray(['iss', 'sub', 'aud', 'iat', 'jti', 'role'], { maxLength: 2 }),
        issuer: fc.boolean(),
        subject: fc.boolean(),
        audience: fc.boolean(),
        maxTokenAge: fc.boolean(),
        requiredClaims: fc.shuffledSubarray(['iss', 'sub', 'aud', 'iat', 'jti', 'role'], {
          maxLength: 4,
        }),
        key: arb.hmacKey(32),
      }),
      predicate: async ({
        base,
        present,
        issuer,
        subject: sub,
        audience,
        maxTokenAge,
        requiredClaims,
        key,
      }) => {
        const values: Record<string, string | number> = {
          iss: 'https://auth.example',
          sub: 'user-1',
          aud: 'api',
          iat: base,
          jti: 'id-1',
          role: 'user',
        }
        const claims: Record<string, string | number> = {}
        for (const name of present) claims[name] = values[name] as string | number
        const token = forgeJws(b64u('{"alg":"HS256"}'), b64u(JSON.stringify(claims)), key)
        const options: Record<string, unknown> = { currentDate: new Date(base * 1000) }
        if (issuer) options.issuer = values.iss
        if (sub) options.subject = values.sub
        if (audience) options.audience = values.aud
        if (maxTokenAge) options.maxTokenAge = 60
        if (requiredClaims.length > 0) options.requiredClaims = requiredClaims
        const ours = await outcomeOf(() => subject.verifyJwt(token, key, options))
        const theirs = await outcomeOf(() => reference.verifyJwt(token, key, options))
        const context = `claims ${JSON.stringify(claims)}, options ${JSON.stringify({ ...options, currentDate: undefined })}: ours ${describe(ours)}; expected (jose) ${describe(theirs)}. jose checks presence for iss, sub, aud, then iat (maxTokenAge), then requiredClaims from the last one listed, and names the first claim missing (docs/03-jwt-claims.md, "The order of the claim checks")`
        assert.equal(ours.kind, theirs.kind, context)
        if (ours.kind === 'rejected' && theirs.kind === 'rejected') {
          assert.equal(ours.code, theirs.code, context)
          assert.equal(ours.claim, theirs.claim, context)
          assert.equal(ours.reason, theirs.reason, context)
        }
      },
    }),

    // Step 5 ------------------------------------------------------------------------------
    defineProperty({
      id: 'jwe/aad-is-the-received-header',
      title:
        'decryptCompact decrypts a valid JWE whose header JSON is spelled by hand, as jose does: the AAD is the received segment',
      arbitrary: arb.gcmEncAndKey().chain(({ enc, key }) =>
        fc.record({
          enc: fc.constant(enc),
          key: fc.constant(key),
          header: handSpelledHeader({ alg: 'dir', enc }),
          plaintext: shrinkablePayload(1024),
          iv: arb.gcmIv(),
        }),
      ),
      predicate: async ({ enc, key, header, plaintext, iv }) => {
        const token = forgeJwe(b64u(header.json), plaintext, key, iv)
        const options = { contentEncryptionAlgorithms: [enc] }
        const theirs = await outcomeOf(() => reference.decryptCompact(token, key, options))
        const ours = await outcomeOf(() => subject.decryptCompact(token, key, options))
        const context = `header ${JSON.stringify(header.json)}: ours ${describe(ours)}; jose ${describe(theirs)}`
        assert.equal(
          theirs.kind,
          'accepted',
          `jose must accept (a bug in this property): ${context}`,
        )
        assert.equal(
          ours.kind,
          'accepted',
          `${context}. The AAD is the header segment exactly as received (RFC 7516 §5.2 step 14; docs/04-jwe-dir-a256gcm.md, "The AAD is the received header segment").`,
        )
        const value = ours.kind === 'accepted' ? ours.value : undefined
        const bytes = (value as { plaintext?: unknown } | undefined)?.plaintext
        assert.ok(
          isUint8Array(bytes) && sameBytes(bytes, plaintext),
          `plaintext differs: ${context}`,
        )
      },
    }),

    defineProperty({
      id: 'jwe/tampered-tokens-are-refused-like-jose',
      title:
        'decryptCompact refuses a JWE with one changed bit (IV, ciphertext, tag, header) or a shortened tag, with the same code as jose; zip is judged as jose judges it, DEF only after the tag verified',
      arbitrary: fc.record({
        key: arb.bytesOfLength(32),
        plaintext: shrinkablePayload(64),
        change: fc.constantFrom<JweChange>(
          'flip-iv',
          'flip-ciphertext',
          'flip-tag',
          'extra-header-member',
          'short-tag',
          'zip-DEF',
          'zip-DEF-and-flip-tag',
          'zip-GZIP',
        ),
        bit: fc.nat(),
      }),
      predicate: async ({ key, plaintext, change, bit }) => {
        const iv = new Uint8Array(12).fill(9)
        const header: Record<string, string> = { alg: 'dir', enc: 'A256GCM' }
        if (change === 'zip-DEF' || change === 'zip-DEF-and-flip-tag') header.zip = 'DEF'
        if (change === 'zip-GZIP') header.zip = 'GZIP'
        const token = forgeJwe(b64u(JSON.stringify(header)), plaintext, key, iv)
        const parts = token.split('.') as [string, string, string, string, string]
        const bytesOf = (segment: string): Uint8Array =>
          new Uint8Array(Buffer.from(segment, 'base64url'))
        if (change === 'flip-iv') parts[2] = b64u(flipped(bytesOf(parts[2]), bit))
        if (change === 'flip-ciphertext') parts[3] = b64u(flipped(bytesOf(parts[3]), bit))
        if (change === 'flip-tag' || change === 'zip-DEF-and-flip-tag')
          parts[4] = b64u(flipped(bytesOf(parts[4]), bit))
        if (change === 'short-tag') parts[4] = b64u(bytesOf(parts[4]).subarray(0, 15))
        if (change === 'extra-header-member')
          parts[0] = b64u(JSON.stringify({ ...header, kid: 'added' }))
        const tampered = parts.join('.')
        const options = { contentEncryptionAlgorithms: ['A256GCM'] }
        const ours = await outcomeOf(() => subject.decryptCompact(tampered, key, options))
        const theirs = await outcomeOf(() => reference.decryptCompact(tampered, key, options))
        const context = `${change} (${tampered.length}-character token ${quoted(tampered)}): ours ${describe(ours)}; expected (jose) ${describe(theirs)}`
        const why = change.startsWith('zip')
          ? '. A zip other than DEF is refused at once (JOSENotSupported); DEF is refused only after the tag verified, so that a forged token learns nothing but "decryption failed" (docs/04-jwe-dir-a256gcm.md, "The decryption decision flow")'
          : ''
        assert.equal(ours.kind, theirs.kind, `${context}${why}`)
        if (ours.kind === 'rejected' && theirs.kind === 'rejected')
          assert.equal(ours.code, theirs.code, `${context}${why}`)
      },
    }),

    // Step 6 ------------------------------------------------------------------------------
    defineProperty({
      id: 'gcm/encrypt-matches-webcrypto',
      title: 'gcmEncrypt gives the same ciphertext and 128-bit tag as WebCrypto AES-GCM',
      arbitrary: arb.gcmEncAndKey().chain(({ enc, key }) =>
        fc.record({
          enc: fc.constant(enc),
          key: fc.constant(key),
          iv: arb.gcmIv(),
          plaintext: shrinkablePayload(4096),
          aad: arb.bytesWithLength(fc.integer({ min: 0, max: 100 })),
        }),
      ),
      predicate: async ({ enc, key, iv, plaintext, aad }) => {
        const algorithm = internals.gcmAlgorithm(enc)
        assert.ok(algorithm !== undefined, `gcmAlgorithm(${enc}) is undefined`)
        const ours = await mustNotThrow('gcmEncrypt', () =>
          internals.gcmEncrypt(algorithm, key, iv, plaintext, aad),
        )
        const theirs = await webcryptoGcmEncrypt(key, iv, plaintext, aad)
        const context = `${enc}, ${plaintext.length}-byte plaintext, ${aad.length}-byte AAD`
        assert.ok(
          sameBytes(ours.ciphertext, theirs.ciphertext),
          `${context}: ciphertext expected (WebCrypto) ${hex(theirs.ciphertext)}, got ${hex(ours.ciphertext)}`,
        )
        assert.ok(
          sameBytes(ours.tag, theirs.tag),
          `${context}: tag expected (WebCrypto) ${hex(theirs.tag)}, got ${hex(ours.tag)}`,
        )
      },
    }),
    defineProperty({
      id: 'gcm/decrypt-releases-only-authentic-plaintext',
      title:
        'gcmDecrypt returns WebCrypto-made plaintext, and no plaintext at all once any bit of key, ciphertext, tag or AAD changed or the tag was cut short',
      arbitrary: arb.gcmEncAndKey().chain(({ enc, key }) =>
        fc.record({
          enc: fc.constant(enc),
          key: fc.constant(key),
          iv: arb.gcmIv(),
          plaintext: shrinkablePayload(1024),
          aad: arb.bytesWithLength(fc.integer({ min: 0, max: 100 })),
          tampering: gcmTampering(),
        }),
      ),
      predicate: async ({ enc, key, iv, plaintext, aad, tampering }) => {
        const algorithm = internals.gcmAlgorithm(enc)
        assert.ok(algorithm !== undefined, `gcmAlgorithm(${enc}) is undefined`)
        const sealed = await webcryptoGcmEncrypt(key, iv, plaintext, aad)
        let { ciphertext, tag } = sealed
        let usedKey = key
        let usedAad = aad
        if (tampering.kind === 'flip-ciphertext') ciphertext = flipped(ciphertext, tampering.bit)
        else if (tampering.kind === 'flip-tag') tag = flipped(tag, tampering.bit)
        else if (tampering.kind === 'flip-aad') usedAad = flipped(aad, tampering.bit)
        else if (tampering.kind === 'flip-key')
          usedKey = flipped(key, tampering.bit % (key.length * 8))
        else if (tampering.kind === 'truncate-tag') tag = tag.slice(0, tampering.length)
        const ours = await outcomeOf(() =>
          internals.gcmDecrypt(algorithm, usedKey, iv, ciphertext, tag, usedAad),
        )
        const context = `${enc}, ${plaintext.length}-byte plaintext, ${JSON.stringify(tampering)}`
        if (tampering.kind === 'none') {
          if (ours.kind === 'rejected')
            assert.fail(`${context}: expected the plaintext, but ${describe(ours)}`)
          assert.ok(
            isUint8Array(ours.value) && sameBytes(ours.value, plaintext),
            `${context}: expected (WebCrypto) ${hex(plaintext)}, got ${isUint8Array(ours.value) ? hex(ours.value) : String(ours.value)}`,
          )
          return
        }
        if (ours.kind === 'accepted' && ours.value !== undefined) {
          const got = isUint8Array(ours.value)
            ? ours.value.length === 0
              ? 'an empty Uint8Array (the plaintext was empty; still, only undefined says "not authentic")'
              : `${hex(ours.value)}, the unauthenticated output of update()`
            : String(ours.value)
          assert.fail(
            `${context}: the tag cannot verify, yet gcmDecrypt returned ${got}; expected undefined (docs/04-jwe-dir-a256gcm.md, "The 128-bit tag is checked before any plaintext is released")`,
          )
        }
        // Every failure, a short tag included, is the quiet `undefined` of the doc
        // comment, which decryptCompact turns into one vague error.
        if (ours.kind === 'rejected') {
          const short =
            tampering.kind === 'truncate-tag'
              ? ` With authTagLength 16, setAuthTag throws for a ${tampering.length}-byte tag: call it inside the try, so that a short tag is answered like any forgery.`
              : ''
          assert.fail(
            `${context}: expected undefined (the tag does not verify), but gcmDecrypt ${describe(ours)}.${short}`,
          )
        }
      },
    }),

    // Step 7 ------------------------------------------------------------------------------
    defineProperty({
      id: 'nested/verdicts-agree-with-jose',
      title:
        'decryptThenVerify agrees with jose (safely configured) on nested tokens with or without cty JWT, unsigned, re-signed, edited or with replicated claims',
      arbitrary: fc.record({
        base: arb.baseTime(),
        signingKey: arb.hmacKey(32),
        otherKey: arb.hmacKey(32),
        encryptionKey: arb.bytesOfLength(32),
        // Mostly well-formed nested tokens, so that the checks after cty are reached too.
        cty: fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom<NestedCty>('JWT', 'jwt', 'application/jwt') },
          { weight: 1, arbitrary: fc.constantFrom<NestedCty>('absent', 'json', 'JWS') },
        ),
        inner: fc.oneof(
          { weight: 3, arbitrary: fc.constant<NestedInner>('signed') },
          {
            weight: 1,
            arbitrary: fc.constantFrom<NestedInner>(
              'bare-claims',
              'other-signing-key',
              'edited-claims',
            ),
          },
        ),
        replicated: fc.constantFrom<Replicated>('none', 'same-iss', 'other-iss'),
        iss: fc.constantFrom(...arb.ISSUERS),
      }),
      predicate: async ({
        base,
        signingKey,
        otherKey,
        encryptionKey,
        cty,
        inner,
        replicated,
        iss,
      }) => {
        fc.pre(inner !== 'other-signing-key' || !sameBytes(signingKey, otherKey))
        const claims = { iss, sub: 'user-1', role: 'user', exp: base + 60 }
        const key = inner === 'other-signing-key' ? otherKey : signingKey
        let plaintext = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .sign(key)
        if (inner === 'bare-claims') plaintext = JSON.stringify(claims)
        if (inner === 'edited-claims') {
          const [header, , signature] = plaintext.split('.')
          plaintext = `${header}.${b64u(JSON.stringify({ ...claims, role: 'admin' }))}.${signature}`
        }
        const outer: Record<string, string> = { alg: 'dir', enc: 'A256GCM' }
        if (cty !== 'absent') outer.cty = cty
        if (replicated === 'same-iss') outer.iss = iss
        if (replicated === 'other-iss') outer.iss = `${iss}.other`
        const token = forgeJwe(
          b64u(JSON.stringify(outer)),
          plaintext,
          encryptionKey,
          new Uint8Array(12).fill(3),
        )
        const keys = { signingKey, encryptionKey }
        const options = { currentDate: new Date(base * 1000) }
        const ours = await outcomeOf(() => subject.decryptThenVerify(token, keys, options))
        const theirs = await outcomeOf(() => reference.decryptThenVerify(token, keys, options))
        const context = `outer ${JSON.stringify(outer)}, inner ${inner}: ours ${describe(ours)}; expected (jose) ${describe(theirs)}`
        assert.equal(ours.kind, theirs.kind, context)
        if (ours.kind === 'rejected' && theirs.kind === 'rejected') {
          assert.equal(ours.code, theirs.code, context)
          assert.equal(ours.claim, theirs.claim, context)
          assert.equal(ours.reason, theirs.reason, context)
        }
        if (ours.kind === 'accepted' && theirs.kind === 'accepted') {
          const payloadOf = (value: unknown): string =>
            JSON.stringify((value as { payload?: unknown }).payload)
          assert.equal(payloadOf(ours.value), payloadOf(theirs.value), `claims differ: ${context}`)
        }
      },
    }),
    // The GHASH step -----------------------------------------------------------------------
    defineProperty({
      id: 'ghash/one-is-0x80-then-zeros',
      title:
        "gf128Multiply(x, one) is x, where GCM's one is the byte 0x80 and fifteen zeros, and multiplication commutes",
      arbitrary: fc.record({ x: arb.bytesOfLength(16), y: arb.bytesOfLength(16) }),
      predicate: async ({ x, y }) => {
        const one = fieldOne()
        const byOne = await mustNotThrow('gf128Multiply', () => internals.gf128Multiply(x, one))
        assert.ok(
          sameBytes(byOne, x),
          `gf128Multiply(${hex(x)}, one = ${hex(one)}): expected ${hex(x)} back, got ${hex(byOne)}. In GCM's reflected bit order (NIST SP 800-38D §6.3) bit 0, the coefficient of x^0, is the MOST significant bit of byte 0: read X's bits from 0x80 of byte 0 down to 0x01 of byte 15, and shift V to the right`,
        )
        const xy = internals.gf128Multiply(x, y)
        const yx = internals.gf128Multiply(y, x)
        assert.ok(
          sameBytes(xy, yx),
          `gf128Multiply(x, y) = ${hex(xy)} but gf128Multiply(y, x) = ${hex(yx)} for x ${hex(x)}, y ${hex(y)}: multiplication in a field commutes`,
        )
      },
    }),
    defineProperty({
      id: 'ghash/tags-match-node-crypto',
      title:
        "ghash(H, aad, ciphertext) XOR AES_K(J0) equals node:crypto's AES-256-GCM tag, with H = AES_K(0^128)",
      arbitrary: fc.record({
        key: arb.bytesOfLength(32),
        iv: arb.gcmIv(),
        plaintext: arb.bytesWithLength(
          fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(15, 16, 17, 32, 33)),
        ),
        aad: arb.bytesWithLength(fc.integer({ min: 0, max: 40 })),
      }),
      predicate: async ({ key, iv, plaintext, aad }) => {
        const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
        cipher.setAAD(aad)
        const ciphertext = new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final()]))
        const tag = new Uint8Array(cipher.getAuthTag())
        const h = aesBlock(key, new Uint8Array(16))
        const j0 = new Uint8Array(16)
        j0.set(iv)
        j0[15] = 1
        const mask = aesBlock(key, j0)
        const expected = tag.map((byte, i) => byte ^ (mask[i] as number))
        const ours = await mustNotThrow('ghash', () => internals.ghash(h, aad, ciphertext))
        assert.ok(
          sameBytes(ours, expected),
          `${aad.length}-byte AAD, ${ciphertext.length}-byte ciphertext, H ${hex(h)}: GHASH expected (node:crypto's tag XOR AES_K(J0)) ${hex(expected)}, got ${hex(ours)}. GHASH is Y = (Y XOR block) • H for every 16-byte block of the input, starting from Y = 0 (SP 800-38D §6.4)`,
        )
      },
    }),
    defineProperty({
      id: 'nested/inner-token-bounded-by-the-outer',
      title:
        "decryptThenVerify reads an inner JWT as long as the caller's maxTokenLength allows for the outer token, as jose does",
      arbitrary: fc.record({
        base: arb.baseTime(),
        size: fc.constantFrom(10, 70_000),
        maxTokenLength: fc.constantFrom(Number.POSITIVE_INFINITY, 200_000),
        signingKey: arb.hmacKey(32),
        encryptionKey: arb.bytesOfLength(32),
      }),
      predicate: async ({ base, size, maxTokenLength, signingKey, encryptionKey }) => {
        const claims = { sub: 'user-1', exp: base + 60, note: 'n'.repeat(size) }
        const keys = { signingKey, encryptionKey }
        const token = await reference.signThenEncrypt(claims, keys)
        const options = { currentDate: new Date(base * 1000), maxTokenLength }
        const ours = await outcomeOf(() => subject.decryptThenVerify(token, keys, options))
        const theirs = await outcomeOf(() => reference.decryptThenVerify(token, keys, options))
        const context = `a ${token.length}-character nested token with a ${size}-character claim, maxTokenLength ${maxTokenLength}: ours ${describe(ours)}; expected (jose) ${describe(theirs)}. The caller's maxTokenLength bounds the outer token; the inner one is shorter, so pass maxTokenLength: Infinity to the inner verification, or the default cap of 65,536 characters refuses what the caller allowed`
        assert.equal(ours.kind, theirs.kind, context)
        if (ours.kind === 'rejected' && theirs.kind === 'rejected')
          assert.equal(ours.code, theirs.code, context)
      },
    }),
  ]
}
