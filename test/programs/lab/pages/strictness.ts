/**
 * The token debugger's strict profile: which tokens and keys it refuses, and why.
 *
 * One module for two readers: the page imports it in the browser (served as a native
 * ES module, `jose` from an import map) and the tests import it in Node, so the notes
 * the page shows and the notes the tests expect come from the same rules. The rules
 * are the ones `src/` applies (README "What it refuses"), cut down to what a person
 * pasting a token needs to see:
 *
 * - a length cap, then three segments (JWS) or five (JWE), each canonical base64url;
 * - a protected header that is a JSON object in strict UTF-8;
 * - the reader's algorithm allowlist, never the token's: HS256 for a JWS, `dir` with
 *   A128GCM, A192GCM or A256GCM for a JWE, and never `none`;
 * - `crit`, `zip` and `b64` refused;
 * - HS256 keys of at least 32 bytes, `dir` keys of exactly the size `enc` needs;
 * - a nested token says `cty: "JWT"`, and a token that says so holds a JWS.
 *
 * Only `jose`'s base64url helpers are used, so the module runs unchanged in both places.
 */

import { base64url } from 'jose'

/** Each rule, with the short title the page prints before the details. */
export const RULES = {
  'token.length': 'the token is longer than the length cap',
  'token.segments': 'a compact token has 3 segments (JWS) or 5 (JWE)',
  'token.base64url': 'every segment is canonical base64url',
  'header.json': 'the protected header is a JSON object in UTF-8',
  'alg.none': 'alg "none" is never accepted',
  'alg.not-allowed': 'the algorithm is not on the reader’s allowlist',
  'enc.not-allowed': 'the content encryption is not on the reader’s allowlist',
  'jwe.encrypted-key': 'with alg "dir" the encrypted key segment is empty',
  'header.crit': 'crit is refused',
  'header.zip': 'zip is refused',
  'header.b64': 'b64 is refused',
  'cty.missing': 'a nested token says cty "JWT"',
  'cty.not-a-jws': 'cty "JWT" promises a signed JWT inside',
  'key.base64url': 'a base64url key is canonical base64url',
  'key.short': 'an HS256 key has at least 32 bytes',
  'key.size': 'a dir key has exactly the size enc needs',
} as const

export type RuleId = keyof typeof RULES

/** One broken rule, with what exactly is wrong in this token or key. */
export interface Note {
  readonly rule: RuleId
  readonly detail: string
}

/** What the debugger and its tests accept, in one place. */
export const MAX_TOKEN_LENGTH = 65_536
export const JWS_ALGORITHMS: readonly string[] = ['HS256']
export const KEY_MANAGEMENT_ALGORITHMS: readonly string[] = ['dir']
export const CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = ['A128GCM', 'A192GCM', 'A256GCM']
/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
export const MIN_SIGNING_KEY_BYTES = 32
/** RFC 7518 §5.3 and §4.5: with `dir`, the key is the AES key itself. */
export const CONTENT_KEY_BYTES: Readonly<Record<string, number>> = {
  A128GCM: 16,
  A192GCM: 24,
  A256GCM: 32,
}

export type TokenKind = 'JWS' | 'JWE'

/** The names of the segments, in order, as the page labels them. */
export const SEGMENT_NAMES: Readonly<Record<TokenKind, readonly string[]>> = {
  JWS: ['header', 'payload', 'signature'],
  JWE: ['header', 'encrypted key', 'iv', 'ciphertext', 'tag'],
}

const ALPHABET = /^[A-Za-z0-9_-]*$/

/**
 * RFC 7515 §2 and RFC 4648 §5: the URL-safe alphabet, no padding, no whitespace, and
 * unused bits of the last character zero. jose's decoder forgives all of those, so a
 * spelling counts as canonical only if it survives the round trip unchanged.
 */
export function isCanonicalBase64url(text: string): boolean {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return false
  try {
    return base64url.encode(base64url.decode(text)) === text
  } catch {
    return false
  }
}

/** The bytes of a canonical base64url string, or `undefined` for any other spelling. */
export function decodeCanonical(text: string): Uint8Array | undefined {
  return isCanonicalBase64url(text) ? base64url.decode(text) : undefined
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** RFC 7515 §5.2 steps 2 and 3: the header decodes to UTF-8 of a JSON object. */
function parseHeader(bytes: Uint8Array): Record<string, unknown> | undefined {
  let value: unknown
  try {
    value = JSON.parse(strictUtf8.decode(bytes))
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return value as Record<string, unknown>
}

/** What can be read from a token without any key. */
export interface Examination {
  /** `undefined` when the segment count fits neither form. */
  readonly kind: TokenKind | undefined
  readonly segments: readonly string[]
  /** The protected header, when it decodes to a JSON object. */
  readonly header: Record<string, unknown> | undefined
  readonly notes: readonly Note[]
}

/** Every rule the token breaks before any key is involved. */
export function examineToken(token: string): Examination {
  const notes: Note[] = []
  if (token.length > MAX_TOKEN_LENGTH) {
    notes.push({
      rule: 'token.length',
      detail: `${token.length} characters; the cap is ${MAX_TOKEN_LENGTH}`,
    })
    return { kind: undefined, segments: [], header: undefined, notes }
  }
  const segments = token.split('.')
  let kind: TokenKind | undefined
  if (segments.length === 3) kind = 'JWS'
  else if (segments.length === 5) kind = 'JWE'
  else {
    notes.push({ rule: 'token.segments', detail: `found ${segments.length}` })
    return { kind, segments, header: undefined, notes }
  }
  const names = SEGMENT_NAMES[kind]
  for (let i = 0; i < segments.length; i++) {
    if (!isCanonicalBase64url(segments[i] as string)) {
      notes.push({ rule: 'token.base64url', detail: `the ${names[i]} segment is not` })
    }
  }
  const headerBytes = decodeCanonical(segments[0] as string)
  const header = headerBytes === undefined ? undefined : parseHeader(headerBytes)
  if (header === undefined) {
    notes.push({ rule: 'header.json', detail: 'the header segment does not decode to one' })
    return { kind, segments, header, notes }
  }
  notes.push(...headerNotes(kind, header))
  // RFC 7518 §4.5: with direct encryption there is no key to wrap.
  if (kind === 'JWE' && header.alg === 'dir' && segments[1] !== '') {
    notes.push({ rule: 'jwe.encrypted-key', detail: `it has ${segments[1]?.length} characters` })
  }
  return { kind, segments, header, notes }
}

/** RFC 8725 §3.1: the reader chooses the algorithms; the header only names one. */
export function headerNotes(kind: TokenKind, header: Record<string, unknown>): Note[] {
  const notes: Note[] = []
  const alg = header.alg
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    notes.push({ rule: 'alg.none', detail: `the header says ${JSON.stringify(alg)}` })
  } else {
    const allowed = kind === 'JWS' ? JWS_ALGORITHMS : KEY_MANAGEMENT_ALGORITHMS
    if (typeof alg !== 'string' || !allowed.includes(alg)) {
      notes.push({
        rule: 'alg.not-allowed',
        detail: `${JSON.stringify(alg)}; allowed: ${allowed.join(', ')}`,
      })
    }
  }
  if (kind === 'JWE') {
    const enc = header.enc
    if (typeof enc !== 'string' || !CONTENT_ENCRYPTION_ALGORITHMS.includes(enc)) {
      notes.push({
        rule: 'enc.not-allowed',
        detail: `${JSON.stringify(enc)}; allowed: ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}`,
      })
    }
  }
  // RFC 7515 §4.1.11: a reader that does not implement an extension listed in crit
  // must refuse the token; this one implements none.
  if (Object.hasOwn(header, 'crit')) {
    notes.push({ rule: 'header.crit', detail: `crit is ${JSON.stringify(header.crit)}` })
  }
  // RFC 7516 §4.1.3: compression leaks the plaintext's length through the ciphertext's
  // and invites decompression bombs; it has no meaning on a JWS at all.
  if (Object.hasOwn(header, 'zip')) {
    notes.push({ rule: 'header.zip', detail: `zip is ${JSON.stringify(header.zip)}` })
  }
  // RFC 7797 §3: b64 false changes what is signed; a JWT never needs it.
  if (Object.hasOwn(header, 'b64')) {
    notes.push({ rule: 'header.b64', detail: `b64 is ${JSON.stringify(header.b64)}` })
  }
  return notes
}

/** RFC 7515 §4.1.10: media types compare without case; "JWT" stands for "application/jwt". */
export function announcesNestedJwt(header: Record<string, unknown>): boolean {
  const cty = header.cty
  return typeof cty === 'string' && ['jwt', 'application/jwt'].includes(cty.toLowerCase())
}

/** Whether text has the shape of a compact JWS: three canonical base64url segments. */
export function looksLikeJws(text: string): boolean {
  const segments = text.split('.')
  return segments.length === 3 && segments.every((segment) => isCanonicalBase64url(segment))
}

/**
 * RFC 7519 §5.2: the outer header of a nested JWT says `cty: "JWT"`. A reader that
 * found a JWS inside a JWE without it would be guessing; a header that says it over
 * something else promises a signature that is not there.
 */
export function nestingNotes(outerHeader: Record<string, unknown>, plaintext: string): Note[] {
  const nested = announcesNestedJwt(outerHeader)
  if (!nested && looksLikeJws(plaintext)) {
    return [{ rule: 'cty.missing', detail: 'the plaintext is a JWS, and the header has no cty' }]
  }
  if (nested && !looksLikeJws(plaintext)) {
    return [{ rule: 'cty.not-a-jws', detail: 'the plaintext is not a compact JWS' }]
  }
  return []
}

/** How a key was typed: base64url of the key bytes, or text whose UTF-8 bytes are the key. */
export type KeyFormat = 'base64url' | 'text'

/** The key bytes, or the note that says why the text is not a key. */
export function decodeKey(text: string, format: KeyFormat): { bytes: Uint8Array } | { note: Note } {
  if (format === 'text') return { bytes: new TextEncoder().encode(text) }
  const bytes = decodeCanonical(text)
  if (bytes === undefined) {
    return {
      note: { rule: 'key.base64url', detail: 'the key is not; choose “text” if it is a phrase' },
    }
  }
  return { bytes }
}

/** RFC 7518 §3.2. jose signs and verifies with shorter keys; this profile does not. */
export function signingKeyNotes(key: Uint8Array): Note[] {
  if (key.length >= MIN_SIGNING_KEY_BYTES) return []
  return [{ rule: 'key.short', detail: `${key.length} bytes, at least ${MIN_SIGNING_KEY_BYTES}` }]
}

/** RFC 7518 §5.3: AES-GCM keys have one size per `enc`. */
export function encryptionKeyNotes(key: Uint8Array, enc: unknown): Note[] {
  const needed =
    typeof enc === 'string' && Object.hasOwn(CONTENT_KEY_BYTES, enc)
      ? CONTENT_KEY_BYTES[enc]
      : undefined
  if (needed === undefined || key.length === needed) return []
  return [{ rule: 'key.size', detail: `${key.length} bytes; ${String(enc)} needs ${needed}` }]
}
