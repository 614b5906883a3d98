/**
 * Arbitraries shared by every property suite: keys, payloads, text, headers and claims
 * that reach the boundaries where hand-written JOSE code breaks.
 *
 * fast-check's default size keeps arrays and strings short (about a dozen elements), so a
 * key longer than the 64-byte HMAC block, or a payload of exactly one AES block, would
 * rarely be drawn. Every length here is drawn first, with the boundary values listed
 * explicitly, and the bytes second.
 *
 * The default arbitraries produce only input that both implementations must accept
 * (valid Unicode, no duplicate names, shallow JSON). Input that is meant to be refused
 * lives at the end of this file, under "hostile".
 */

import fc from 'fast-check'
import type { JWTClaimOptions, JWTPayload } from 'jose-by-hand'

// ---------------------------------------------------------------------------------------
// Bytes
// ---------------------------------------------------------------------------------------

/** Above this length, bytes come from a seeded generator instead of one arbitrary per byte. */
const PER_BYTE_LIMIT = 1024

/**
 * Fills `length` bytes from a 32-bit seed (mulberry32). Drawing 64 KiB one fast-check
 * integer at a time costs about 15 ms; this costs well under one. Shrinking then works
 * on the length, which is what matters for a boundary bug.
 */
function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let state = seed >>> 0
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = (t ^ (t >>> 14)) & 0xff
  }
  return out
}

/** Exactly `length` bytes. */
export function bytesOfLength(length: number): fc.Arbitrary<Uint8Array> {
  if (length <= PER_BYTE_LIMIT) return fc.uint8Array({ minLength: length, maxLength: length })
  return fc.integer().map((seed) => seededBytes(length, seed))
}

/** Length first, then bytes: the length arbitrary decides which boundaries are reached. */
export function bytesWithLength(length: fc.Arbitrary<number>): fc.Arbitrary<Uint8Array> {
  return length.chain(bytesOfLength)
}

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

/**
 * HMAC (RFC 2104) zero-pads a key shorter than the hash's block and hashes a longer one:
 * the block is 64 bytes for SHA-256 and 128 bytes for SHA-384/512. 32 is HS256's minimum
 * (RFC 7518 §3.2). A hand-written HMAC that gets any of these cases wrong fails here.
 */
export const HMAC_KEY_LENGTH_BOUNDARIES: readonly number[] = [32, 33, 63, 64, 65, 127, 128, 129]
export const MAX_RANDOM_KEY_LENGTH = 200

/** RFC 7518 §3.2: the key must be at least as long as the hash output. */
export const HMAC_MIN_KEY_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const
export type HmacAlg = keyof typeof HMAC_MIN_KEY_BYTES
export const HMAC_ALGS: readonly HmacAlg[] = ['HS256', 'HS384', 'HS512']

/** An HMAC key of at least `minLength` bytes: every boundary at or above it, or 32..200 at random. */
export function hmacKey(minLength = 32): fc.Arbitrary<Uint8Array> {
  const boundaries = HMAC_KEY_LENGTH_BOUNDARIES.filter((length) => length >= minLength)
  return bytesWithLength(
    fc.oneof(
      fc.constantFrom(...boundaries),
      fc.integer({ min: minLength, max: MAX_RANDOM_KEY_LENGTH }),
    ),
  )
}

export interface HmacAlgAndKey {
  alg: HmacAlg
  key: Uint8Array
}

/** An HS* algorithm and a key long enough for it. */
export function hmacAlgAndKey(): fc.Arbitrary<HmacAlgAndKey> {
  return fc
    .constantFrom(...HMAC_ALGS)
    .chain((alg) => hmacKey(HMAC_MIN_KEY_BYTES[alg]).map((key) => ({ alg, key })))
}

/** With `dir` the shared key is the CEK: exactly 16, 24 or 32 bytes (RFC 7518 §5.3). */
export const GCM_KEY_BYTES = { A128GCM: 16, A192GCM: 24, A256GCM: 32 } as const
export type GcmEnc = keyof typeof GCM_KEY_BYTES
export const GCM_ENCS: readonly GcmEnc[] = ['A128GCM', 'A192GCM', 'A256GCM']

export interface GcmEncAndKey {
  enc: GcmEnc
  key: Uint8Array
}

export function gcmEncAndKey(): fc.Arbitrary<GcmEncAndKey> {
  return fc
    .constantFrom(...GCM_ENCS)
    .chain((enc) => bytesOfLength(GCM_KEY_BYTES[enc]).map((key) => ({ enc, key })))
}

/** RFC 7518 §5.3: a 96-bit IV. */
export function gcmIv(): fc.Arbitrary<Uint8Array> {
  return bytesOfLength(12)
}

// ---------------------------------------------------------------------------------------
// Payloads and text
// ---------------------------------------------------------------------------------------

/** Empty, one byte, and both sides of one AES block (16 bytes). */
export const PAYLOAD_LENGTH_BOUNDARIES: readonly number[] = [0, 1, 15, 16, 17]
export const MAX_PAYLOAD_BYTES = 65_536

/**
 * Payload lengths, biased toward small ones so that a thousand runs stay fast, with every
 * boundary guaranteed and the 64 KiB end reached in about one run in twenty.
 */
export function payloadLength(max = MAX_PAYLOAD_BYTES): fc.Arbitrary<number> {
  const top = Math.max(max, 1025)
  // withCrossShrink: a counterexample found at 64 KiB may still shrink to a short one.
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 4, arbitrary: fc.constantFrom(...PAYLOAD_LENGTH_BOUNDARIES) },
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 64 }) },
    { weight: 4, arbitrary: fc.integer({ min: 65, max: 1024 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1025, max: top }) },
    { weight: 1, arbitrary: fc.constantFrom(top - 1, top) },
  )
}

export function payloadBytes(max = MAX_PAYLOAD_BYTES): fc.Arbitrary<Uint8Array> {
  return bytesWithLength(payloadLength(max))
}

const asciiChar = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code))
const controlOrLatin1 = fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code))
// U+0080..U+FFFF without the surrogate range: every value is a whole code point.
const nonAsciiBmp = fc
  .oneof(fc.integer({ min: 0x80, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0xffff }))
  .map((code) => String.fromCodePoint(code))
// Astral plane: encoded as a surrogate pair in UTF-16 and four bytes in UTF-8.
const astral = fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code))

/** One code point: ASCII, control/Latin-1, BMP, or astral; never half a surrogate pair. */
export const codePoint: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: asciiChar },
  { weight: 1, arbitrary: controlOrLatin1 },
  { weight: 2, arbitrary: nonAsciiBmp },
  { weight: 2, arbitrary: astral },
)

/** Well-formed text, length first (in code points), with non-ASCII and astral characters. */
export function text(maxLength = 64): fc.Arbitrary<string> {
  return fc
    .oneof(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: maxLength }))
    .chain((length) =>
      fc.oneof(
        fc.string({ unit: codePoint, minLength: length, maxLength: length }),
        fc.string({ unit: 'grapheme', minLength: length, maxLength: length }),
        fc.string({ unit: 'grapheme-ascii', minLength: length, maxLength: length }),
      ),
    )
}

/** A payload as the API takes it: bytes, or a string encoded as UTF-8. */
export function payload(max = MAX_PAYLOAD_BYTES): fc.Arbitrary<Uint8Array | string> {
  return fc.oneof({ weight: 3, arbitrary: payloadBytes(max) }, { weight: 1, arbitrary: text(256) })
}

// ---------------------------------------------------------------------------------------
// JSON, headers
// ---------------------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [name: string]: Json }

/** JSON values nested at most 10 deep, with the same mixed text in their strings. */
export function jsonValue(maxDepth = 10): fc.Arbitrary<Json> {
  return fc.jsonValue({ maxDepth, stringUnit: codePoint }) as fc.Arbitrary<Json>
}

/** Header Parameter names jose gives meaning to; generated extras never use them. */
export const RESERVED_HEADER_NAMES: readonly string[] = ['alg', 'enc', 'crit', 'b64', 'zip']

// Names that have tripped JavaScript implementations before: prototype keys, the empty
// name, registered names in other case.
const TRICKY_NAMES = [
  'kid',
  'typ',
  'cty',
  'jku',
  'x5t',
  'iss',
  'sub',
  'aud',
  'exp',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
  'ALG',
  'Enc',
  'zip ',
]

/** A member name that is not in `exclude`. */
export function memberName(exclude: readonly string[] = []): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(...TRICKY_NAMES),
      fc.string({ unit: codePoint, maxLength: 12 }),
      fc.string({ maxLength: 8 }),
    )
    .filter((name) => !exclude.includes(name))
}

/** Extra members, in order, with distinct names outside `exclude`. */
export function extraMembers(exclude: readonly string[] = []): fc.Arbitrary<[string, Json][]> {
  return fc.uniqueArray(fc.tuple(memberName(exclude), jsonValue()), {
    selector: (entry) => entry[0],
    maxLength: 6,
  })
}

/**
 * A header: the `required` members plus generated extras, all in a generated order, since
 * `JSON.stringify` keeps insertion order and the bytes must match member order too.
 * Extras never use the reserved names, the names in `exclude`, or a required name.
 */
export function header<H extends object>(
  required: Readonly<Record<string, unknown>>,
  exclude: readonly string[] = [],
): fc.Arbitrary<H> {
  const excluded = [...RESERVED_HEADER_NAMES, ...exclude, ...Object.keys(required)]
  return extraMembers(excluded).chain((extras) => {
    const entries: [string, unknown][] = [...Object.entries(required), ...extras]
    return fc
      .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
      .map((ordered) => Object.fromEntries(ordered) as H)
  })
}

// ---------------------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------------------

export const ISSUERS: readonly string[] = [
  'https://issuer.example',
  'urn:example:issuer',
  'émetteur 🗝',
  '',
]
export const SUBJECTS: readonly string[] = ['user-1', 'user-2', '𝔲𝔰𝔢𝔯', '']
export const AUDIENCES: readonly string[] = ['api', 'https://api.example', 'другой', '']
/** Header `typ` values and `typ` options: equal as media types in several spellings. */
export const TYPS: readonly string[] = [
  'JWT',
  'jwt',
  'application/jwt',
  'at+jwt',
  'application/at+JWT',
  'secevent+jwt',
]
export const REGISTERED_CLAIMS: readonly string[] = [
  'iss',
  'sub',
  'aud',
  'jti',
  'exp',
  'nbf',
  'iat',
]
/** Custom claims that `requiredClaims` may name. */
export const CUSTOM_CLAIMS: readonly string[] = ['role', 'scope']

/** Duration strings with their value in seconds, read off RFC-free common sense, not src. */
export const DURATIONS: readonly { text: string; seconds: number }[] = [
  { text: '0s', seconds: 0 },
  { text: '1s', seconds: 1 },
  { text: '2 secs', seconds: 2 },
  { text: '1m', seconds: 60 },
  { text: '1.5 minutes', seconds: 90 },
  { text: '1 hour', seconds: 3600 },
  { text: '1d', seconds: 86_400 },
]

/** NumericDates (RFC 7519 §2) whose span a JavaScript Date can hold, in seconds. */
const DATE_LIMIT_SECONDS = 8.64e12

/**
 * A NumericDate near `base`: whole seconds, fractions (RFC 7519 §2 allows them), and
 * edge values: zero, negative, 2^31, the largest safe integer, the largest double.
 */
export function numericDate(base: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -300, max: 300 }).map((d) => base + d) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: -300, max: 300 }), fc.constantFrom(0.001, 0.25, 0.5, 0.999))
        .map(([d, fraction]) => base + d + fraction),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        0,
        -1,
        1,
        2 ** 31 - 1,
        2 ** 31,
        Number.MAX_SAFE_INTEGER,
        -Number.MAX_SAFE_INTEGER,
        Number.MAX_VALUE,
        Number.MIN_VALUE,
        1e21,
      ),
    },
  )
}

function stringClaim(pool: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: text(16) },
  )
}

/** `aud`: a string or a list of strings (possibly empty, possibly with repeats). */
function audienceClaim(): fc.Arbitrary<string | string[]> {
  return fc.oneof(stringClaim(AUDIENCES), fc.array(stringClaim(AUDIENCES), { maxLength: 4 }))
}

export interface ClaimsShape {
  /** Include the time claims `exp`, `nbf`, `iat` (near `base`). */
  time: 'with-time-claims' | 'without-time-claims'
}

/**
 * A JWT Claims Set: optional registered claims with edge values and arbitrary custom
 * claims (JSON values up to 10 deep), in a generated member order.
 */
export function claims(
  base: number,
  shape: ClaimsShape = { time: 'with-time-claims' },
): fc.Arbitrary<JWTPayload> {
  const registered: Record<string, fc.Arbitrary<unknown>> = {
    iss: stringClaim(ISSUERS),
    sub: stringClaim(SUBJECTS),
    aud: audienceClaim(),
    jti: text(24),
  }
  if (shape.time === 'with-time-claims') {
    registered.exp = numericDate(base)
    registered.nbf = numericDate(base)
    registered.iat = numericDate(base)
  }
  const custom = fc.uniqueArray(
    fc.tuple(
      fc.oneof(fc.constantFrom(...CUSTOM_CLAIMS), memberName(REGISTERED_CLAIMS)),
      jsonValue(),
    ),
    { selector: (entry) => entry[0], maxLength: 5 },
  )
  return fc.tuple(fc.record(registered, { requiredKeys: [] }), custom).chain(([chosen, extras]) => {
    const entries: [string, unknown][] = [...Object.entries(chosen), ...extras]
    return fc
      .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
      .map((ordered) => Object.fromEntries(ordered) as JWTPayload)
  })
}

/** A moment in time, in seconds, around which claims and clocks are generated. */
export function baseTime(): fc.Arbitrary<number> {
  return fc.integer({ min: 1_000_000_000, max: 3_000_000_000 })
}

function durationOption(
  numbers: fc.Arbitrary<number>,
): fc.Arbitrary<{ value: number | string; seconds: number }> {
  return fc.oneof(
    numbers.map((seconds) => ({ value: seconds, seconds })),
    fc.constantFrom(...DURATIONS).map((d) => ({ value: d.text, seconds: d.seconds })),
  )
}

/** Claim options as jose names them, without the clock (see {@link claimsScenario}). */
export interface GeneratedClaimOptions {
  issuer?: string | string[]
  audience?: string | string[]
  subject?: string
  typ?: string
  clockTolerance?: { value: number | string; seconds: number }
  maxTokenAge?: { value: number | string; seconds: number }
  requiredClaims?: string[]
}

/** Undefined most often, else a value that matches the token (`match`) or one that may not. */
function optionally<T>(
  match: fc.Arbitrary<T> | undefined,
  other: fc.Arbitrary<T>,
): fc.Arbitrary<T | undefined> {
  const choices: fc.WeightedArbitrary<T | undefined>[] = [
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: other },
  ]
  if (match !== undefined) choices.push({ weight: 3, arbitrary: match })
  return fc.oneof(...choices)
}

/** Spellings of one media type that compare equal (RFC 7515 §4.1.9: case, "application/"). */
function sameMediaType(typ: string): string[] {
  const bare = typ.toLowerCase().startsWith('application/') ? typ.slice('application/'.length) : typ
  return [typ, typ.toUpperCase(), bare, `application/${bare}`, `Application/${bare.toUpperCase()}`]
}

/** A list that contains `value` among others from `pool`. */
function listWith(value: string, pool: readonly string[]): fc.Arbitrary<string[]> {
  return fc
    .subarray([...pool])
    .chain((others) => fc.shuffledSubarray([value, ...others], { minLength: others.length + 1 }))
}

/**
 * Claim options for `payload` and its header `typ`. Each option is absent half the time;
 * when present it usually matches the token, so that most cases get past the typ and
 * presence checks and reach the clock, where the boundaries are.
 */
export function claimOptions(
  payload: JWTPayload,
  headerTyp: string | undefined,
): fc.Arbitrary<GeneratedClaimOptions> {
  const { iss, sub, aud } = payload
  const tokenAudiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  const present = [...REGISTERED_CLAIMS, ...CUSTOM_CLAIMS].filter((name) =>
    Object.hasOwn(payload, name),
  )
  const record = {
    issuer: optionally<string | string[]>(
      typeof iss === 'string' ? fc.oneof(fc.constant(iss), listWith(iss, ISSUERS)) : undefined,
      fc.oneof(fc.constantFrom(...ISSUERS), fc.subarray([...ISSUERS], { minLength: 1 })),
    ),
    audience: optionally<string | string[]>(
      tokenAudiences.length > 0
        ? fc
            .constantFrom(...tokenAudiences)
            .chain((one) => fc.oneof(fc.constant(one), listWith(one, AUDIENCES)))
        : undefined,
      fc.oneof(fc.constantFrom(...AUDIENCES), fc.subarray([...AUDIENCES], { minLength: 1 })),
    ),
    subject: optionally(
      typeof sub === 'string' ? fc.constant(sub) : undefined,
      fc.constantFrom(...SUBJECTS),
    ),
    typ: optionally(
      headerTyp === undefined ? undefined : fc.constantFrom(...sameMediaType(headerTyp)),
      fc.constantFrom(...TYPS),
    ),
    clockTolerance: optionally(
      undefined,
      durationOption(fc.oneof(fc.constantFrom(0, 1, 5, 0.5), fc.integer({ min: 0, max: 120 }))),
    ),
    maxTokenAge: optionally(
      typeof payload.iat === 'number'
        ? durationOption(fc.oneof(fc.constantFrom(0, 1, 60), fc.integer({ min: 0, max: 400 })))
        : undefined,
      durationOption(fc.integer({ min: 0, max: 400 })),
    ),
    requiredClaims: optionally(
      fc.subarray(present),
      fc.subarray([...REGISTERED_CLAIMS, ...CUSTOM_CLAIMS]),
    ),
  }
  return fc.record(record).map((options) => {
    // Drop absent options, so that "not given" and "given as undefined" never differ.
    const out: GeneratedClaimOptions = {}
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined) Object.assign(out, { [name]: value })
    }
    return out
  })
}

/**
 * The instants at which a verdict flips, in seconds (RFC 7519 §4.1.4, §4.1.5; jose's
 * maxTokenAge): expired from exp + tolerance on, not yet valid before nbf - tolerance,
 * too old after iat + maxTokenAge + tolerance, issued in the future before iat - tolerance.
 */
export function clockBoundaries(payload: JWTPayload, options: GeneratedClaimOptions): number[] {
  const tolerance = options.clockTolerance?.seconds ?? 0
  const boundaries: number[] = []
  const { exp, nbf, iat } = payload
  if (typeof exp === 'number') boundaries.push(exp + tolerance)
  if (typeof nbf === 'number') boundaries.push(nbf - tolerance)
  if (typeof iat === 'number') {
    boundaries.push(iat - tolerance)
    if (options.maxTokenAge !== undefined)
      boundaries.push(iat + options.maxTokenAge.seconds + tolerance)
  }
  return boundaries.filter((seconds) => Math.abs(seconds) < DATE_LIMIT_SECONDS)
}

/**
 * A clock at ±1 s of one of `boundaries` (or at `base`), with a millisecond part, since
 * both implementations floor the clock to whole seconds before comparing.
 */
export function clockNear(boundaries: readonly number[], base: number): fc.Arbitrary<Date> {
  return fc
    .tuple(
      fc.constantFrom(base, ...boundaries),
      fc.constantFrom(-1, 0, 1, 2),
      fc.constantFrom(0, 1, 500, 999),
    )
    .map(([boundary, delta, ms]) => new Date((Math.floor(boundary) + delta) * 1000 + ms))
}

/** Turns generated options and a clock into the `JWTClaimOptions` both APIs take. */
export function toClaimOptions(options: GeneratedClaimOptions, currentDate: Date): JWTClaimOptions {
  const result: JWTClaimOptions = { currentDate }
  if (options.issuer !== undefined) result.issuer = options.issuer
  if (options.audience !== undefined) result.audience = options.audience
  if (options.subject !== undefined) result.subject = options.subject
  if (options.typ !== undefined) result.typ = options.typ
  if (options.clockTolerance !== undefined) result.clockTolerance = options.clockTolerance.value
  if (options.maxTokenAge !== undefined) result.maxTokenAge = options.maxTokenAge.value
  if (options.requiredClaims !== undefined) result.requiredClaims = options.requiredClaims
  return result
}

export interface ClaimsScenario {
  claims: JWTPayload
  /** The header's `typ`, or undefined for none. */
  headerTyp: string | undefined
  options: JWTClaimOptions
}

/** Claims, options and a clock placed at ±1 s of one of the claims' boundaries. */
export function claimsScenario(): fc.Arbitrary<ClaimsScenario> {
  return baseTime().chain((base) =>
    fc
      .tuple(claims(base), fc.option(fc.constantFrom(...TYPS), { nil: undefined }))
      .chain(([payload, headerTyp]) =>
        claimOptions(payload, headerTyp).chain((options) =>
          clockNear(clockBoundaries(payload, options), base).map((currentDate) => ({
            claims: payload,
            headerTyp,
            options: toClaimOptions(options, currentDate),
          })),
        ),
      ),
  )
}

// ---------------------------------------------------------------------------------------
// Hostile input, for the divergence ledger and the tampering suite only
// ---------------------------------------------------------------------------------------

/** Registered claims of the wrong type (RFC 7519 §4.1): src says reason 'invalid'. */
export function wronglyTypedClaim(): fc.Arbitrary<{ name: string; json: string }> {
  const notString = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom('true', 'false', 'null', '{}', '[]', '["a"]', '1.5', '0'),
  )
  const notAudience = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom('true', 'null', '{}', '[1]', '["a",2]', '[null]', '[["a"]]', '{"0":"a"}'),
  )
  const notNumericDate = fc.oneof(
    fc.integer().map((n) => JSON.stringify(String(n))),
    fc.constantFrom('"1"', 'true', 'null', '{}', '[]', '[1]', '1e400', '-1e400', '"Infinity"'),
  )
  return fc.oneof(
    fc.record({ name: fc.constantFrom('iss', 'sub', 'jti'), json: notString }),
    fc.record({ name: fc.constant('aud'), json: notAudience }),
    fc.record({ name: fc.constantFrom('exp', 'nbf', 'iat'), json: notNumericDate }),
  )
}

/** Claims/header JSON text of one hostile kind, each a divergence ledger row. */
export type HostileJsonKind = 'bom' | 'duplicate-names' | 'lone-surrogate' | 'depth'

/**
 * JSON object text that `JSON.parse` reads but the strict parser refuses: a leading
 * byte-order mark, a repeated member name, an escaped lone surrogate, or nesting deeper
 * than 64. `base` holds members that must survive (such as `alg`); the hostile part is
 * added to it, under names that are neither reserved header names nor registered claims,
 * so that the hostile part is the only thing wrong.
 */
export function hostileJsonText(
  kind: HostileJsonKind,
  base: Readonly<Record<string, unknown>>,
): fc.Arbitrary<string> {
  const baseText = JSON.stringify(base).slice(1, -1)
  const joiner = baseText === '' ? '' : ','
  switch (kind) {
    case 'bom':
      return fc.constant(`\ufeff{${baseText}}`)
    case 'duplicate-names':
      return fc
        .tuple(
          memberName([...RESERVED_HEADER_NAMES, ...REGISTERED_CLAIMS, ...Object.keys(base)]),
          jsonValue(3),
          jsonValue(3),
        )
        .map(
          ([name, first, second]) =>
            `{${baseText}${joiner}${JSON.stringify(name)}:${JSON.stringify(first)},${JSON.stringify(name)}:${JSON.stringify(second)}}`,
        )
    case 'lone-surrogate':
      return fc
        .tuple(fc.integer({ min: 0xd800, max: 0xdfff }), text(4), fc.constantFrom('value', 'name'))
        .map(([unit, around, where]) => {
          const escaped = `"${JSON.stringify(around).slice(1, -1)}\\u${unit.toString(16)}"`
          return where === 'value'
            ? `{${baseText}${joiner}"x":${escaped}}`
            : `{${baseText}${joiner}${escaped}:1}`
        })
    case 'depth':
      return fc
        .tuple(fc.integer({ min: 65, max: 400 }), fc.constantFrom('[', '{"a":'))
        .map(([depth, open]) => {
          const close = open === '[' ? ']' : '}'
          // The top-level object is depth 1: `depth` more containers put the deepest past 64.
          return `{${baseText}${joiner}"x":${open.repeat(depth)}1${close.repeat(depth)}}`
        })
  }
}

// ---------------------------------------------------------------------------------------
// Round trips on both implementations
// ---------------------------------------------------------------------------------------

/** Bytes of every length from 0 to `max`, the boundaries listed explicitly. */
export function bytesUpTo(max: number): fc.Arbitrary<Uint8Array> {
  return bytesWithLength(fc.oneof(fc.constantFrom(0, 1, 2, 3, max), fc.integer({ min: 0, max })))
}

const REGISTERED = new Set(REGISTERED_CLAIMS)

// Claim names and values both implementations serialise the same way: no registered
// names (their types are checked separately), well-formed Unicode, shallow nesting.
const customClaimName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  .filter((name) => !REGISTERED.has(name) && name !== '__proto__')

export const customClaims: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  customClaimName,
  fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' }),
  { maxKeys: 6 },
)

export const identityClaims: fc.Arbitrary<JWTPayload> = fc.record(
  {
    iss: fc.string({ unit: 'grapheme' }),
    sub: fc.string({ unit: 'grapheme' }),
    aud: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
    jti: fc.string(),
  },
  { requiredKeys: [] },
)

/** Claims that verify at any time: no exp, nbf or iat. */
export const timelessClaims: fc.Arbitrary<JWTPayload> = fc
  .tuple(identityClaims, customClaims)
  .map(([identity, custom]): JWTPayload => ({ ...identity, ...custom }))

/** Which JWT form a run exercises: a JWS, a JWE of bare claims, or a nested token. */
export const jwtKind: fc.Arbitrary<'jws' | 'jwe' | 'nested'> = fc.constantFrom(
  'jws',
  'jwe',
  'nested',
)

/**
 * Near misses of the texts `texts` draws: each with one character of `alphabet`
 * inserted, or one character deleted or replaced, at a generated position.
 */
export function oneEditAway(texts: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      texts,
      fc.nat(),
      fc.constantFrom(...alphabet),
      fc.constantFrom('insert', 'delete', 'replace'),
    )
    .map(([text, at, char, edit]) => {
      const i = at % (text.length + 1)
      if (edit === 'insert') return text.slice(0, i) + char + text.slice(i)
      if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1)
      return text.slice(0, i) + char + text.slice(i + 1)
    })
}
