/**
 * What the token debugger shows for one token and the keys typed next to it, computed
 * without touching the page: the layers (a JWS, a JWE, or a JWE with a JWS inside),
 * their decoded headers and claims, readable times, the strictness notes, and what
 * jose says when it verifies or decrypts with the reader's allowlists.
 *
 * It runs in the browser, on jose's Web Crypto build, and nowhere else: nothing here
 * opens a connection or stores anything (docs/09-where-the-token-lives.md).
 */

import { base64url, compactDecrypt, compactVerify, jwtDecrypt, jwtVerify } from 'jose'
import {
  announcesNestedJwt,
  CONTENT_ENCRYPTION_ALGORITHMS,
  decodeKey,
  encryptionKeyNotes,
  examineToken,
  JWS_ALGORITHMS,
  KEY_MANAGEMENT_ALGORITHMS,
  type KeyFormat,
  looksLikeJws,
  type Note,
  nestingNotes,
  SEGMENT_NAMES,
  signingKeyNotes,
  type TokenKind,
} from './strictness.ts'

export interface KeyInput {
  readonly text: string
  readonly format: KeyFormat
}

export interface DebuggerKeys {
  /** The HS256 key of a JWS, or of the JWS inside a nested token. */
  readonly signing: KeyInput
  /** The `dir` key of a JWE. */
  readonly encryption: KeyInput
}

export interface Segment {
  readonly name: string
  readonly text: string
  /** Decoded length, when the segment decodes at all. */
  readonly bytes: number | undefined
}

/** One of exp, nbf, iat, as a person reads it. */
export interface TimeClaim {
  readonly claim: 'exp' | 'nbf' | 'iat'
  readonly value: unknown
  /** `2025-01-01 12:00:00 UTC (in 15 min)`, or why it is not a time. */
  readonly reading: string
}

export type Outcome = 'valid' | 'invalid' | 'not checked'

/** One thing jose was asked to do, and its answer. */
export interface Check {
  readonly step: 'signature' | 'decryption' | 'claims'
  readonly outcome: Outcome
  /** jose's error code when it refused, or why the check did not run. */
  readonly detail: string
}

export interface Layer {
  /** `JWS`, `JWE`, or `JWS inside the JWE`. */
  readonly title: string
  readonly kind: TokenKind | undefined
  readonly segments: readonly Segment[]
  readonly header: Record<string, unknown> | undefined
  /** The claims, when the payload (or the plaintext) is a JSON object. */
  readonly claims: Record<string, unknown> | undefined
  /** Who can read them: anyone holding the token, or only whoever holds the dir key. */
  readonly readableBy: string
  /** A payload or plaintext that is not a JSON object, as text. */
  readonly content: string | undefined
  readonly times: readonly TimeClaim[]
  readonly notes: readonly Note[]
  readonly checks: readonly Check[]
}

export interface Analysis {
  readonly layers: readonly Layer[]
  /** Accepted only when no rule is broken and every check ran and passed. */
  readonly verdict: 'accepted' | 'refused' | 'incomplete'
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** A JWE's content is for whoever holds its key, the sender included (`dir` is symmetric). */
const DIR_KEY_HOLDERS = 'whoever holds the dir key'

/** For display only: jose's lenient decoder, so that a misspelt segment is still shown. */
function displayBytes(segment: string): Uint8Array | undefined {
  try {
    return base64url.decode(segment)
  } catch {
    return undefined
  }
}

function asText(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

function asObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return value as Record<string, unknown>
}

function segmentsOf(kind: TokenKind | undefined, texts: readonly string[]): Segment[] {
  const names = kind === undefined ? [] : SEGMENT_NAMES[kind]
  const segments: Segment[] = []
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string
    segments.push({
      name: names[i] ?? `segment ${i + 1}`,
      text,
      bytes: displayBytes(text)?.length,
    })
  }
  return segments
}

const UNITS: readonly [number, string][] = [
  [86_400, 'day'],
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
]

/** `in 15 min`, `3 h ago`, `now`: the largest unit that fits, rounded down. */
export function relativeTime(seconds: number, nowSeconds: number): string {
  const difference = seconds - nowSeconds
  if (difference === 0) return 'now'
  const size = Math.abs(difference)
  let phrase = `${size} s`
  for (const [unitSeconds, unit] of UNITS) {
    if (size >= unitSeconds) {
      const count = Math.floor(size / unitSeconds)
      phrase = unit === 'day' ? `${count} day${count === 1 ? '' : 's'}` : `${count} ${unit}`
      break
    }
  }
  return difference > 0 ? `in ${phrase}` : `${phrase} ago`
}

/** RFC 7519 §2: a NumericDate is seconds since 1970-01-01T00:00:00Z, leap seconds ignored. */
export function readTime(value: unknown, now: Date): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not a NumericDate'
  const date = new Date(value * 1000)
  if (Number.isNaN(date.getTime())) return 'out of range'
  const iso = date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC')
  return `${iso} (${relativeTime(Math.floor(value), Math.floor(now.getTime() / 1000))})`
}

function timesOf(claims: Record<string, unknown> | undefined, now: Date): TimeClaim[] {
  const times: TimeClaim[] = []
  if (claims === undefined) return times
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    if (Object.hasOwn(claims, claim)) {
      times.push({ claim, value: claims[claim], reading: readTime(claims[claim], now) })
    }
  }
  return times
}

function codeOf(error: unknown): string {
  const { code, name, message } = (error ?? {}) as {
    code?: unknown
    name?: unknown
    message?: unknown
  }
  if (typeof code === 'string') return `${code}: ${String(message)}`
  return `${String(name)}: ${String(message)}`
}

/** The key bytes for a check, or the notes and the reason the check cannot run. */
function readKey(
  input: KeyInput,
  label: string,
  rules: (bytes: Uint8Array) => Note[],
): { bytes: Uint8Array; notes: Note[] } | { notes: Note[]; skipped: string } {
  if (input.text === '') return { notes: [], skipped: `no ${label} given` }
  const decoded = decodeKey(input.text, input.format)
  if ('note' in decoded) return { notes: [decoded.note], skipped: `the ${label} is not usable` }
  const notes = rules(decoded.bytes)
  if (notes.length > 0) return { notes, skipped: `the ${label} breaks a rule above` }
  return { bytes: decoded.bytes, notes }
}

const notChecked = (step: Check['step'], detail: string): Check => ({
  step,
  outcome: 'not checked',
  detail,
})

/** A JWS, on its own or inside a JWE. */
async function jwsLayer(
  title: string,
  readableBy: string,
  token: string,
  keys: DebuggerKeys,
  now: Date,
): Promise<Layer> {
  const examination = examineToken(token)
  const notes = [...examination.notes]
  const payloadBytes = displayBytes(examination.segments[1] ?? '')
  const payloadText = payloadBytes === undefined ? undefined : asText(payloadBytes)
  const claims = asObject(payloadText)
  const checks: Check[] = []
  const key = readKey(keys.signing, 'HS256 key', signingKeyNotes)
  notes.push(...key.notes)
  if ('skipped' in key) {
    checks.push(notChecked('signature', key.skipped))
  } else {
    try {
      await compactVerify(token, key.bytes, { algorithms: [...JWS_ALGORITHMS] })
      checks.push({ step: 'signature', outcome: 'valid', detail: 'HMAC-SHA-256 matches' })
    } catch (error) {
      checks.push({ step: 'signature', outcome: 'invalid', detail: codeOf(error) })
    }
    if (claims !== undefined && checks[0]?.outcome === 'valid') {
      checks.push(
        await claimsCheck(() =>
          jwtVerify(token, key.bytes, { algorithms: [...JWS_ALGORITHMS], currentDate: now }),
        ),
      )
    }
  }
  return {
    title,
    kind: examination.kind,
    segments: segmentsOf(examination.kind, examination.segments),
    header: examination.header,
    claims,
    readableBy,
    content: claims === undefined ? payloadText : undefined,
    times: timesOf(claims, now),
    notes,
    checks,
  }
}

/** exp and nbf, as jose checks them (RFC 7519 §4.1.4, §4.1.5), with no tolerance. */
async function claimsCheck(run: () => Promise<unknown>): Promise<Check> {
  try {
    await run()
    return { step: 'claims', outcome: 'valid', detail: 'exp and nbf allow this moment' }
  } catch (error) {
    return { step: 'claims', outcome: 'invalid', detail: codeOf(error) }
  }
}

/**
 * Chromium's Web Crypto has never implemented 192-bit AES keys (Firefox and Safari
 * have), so there jose cannot even import an A192GCM key. That says nothing about
 * the token: the check did not run.
 */
function decryptionFailure(error: unknown, enc: unknown): Check {
  if (enc === 'A192GCM' && (error as { name?: unknown })?.name === 'OperationError') {
    return notChecked(
      'decryption',
      'this browser’s Web Crypto has no 192-bit AES (Chromium never implemented it; Firefox and Safari decrypt A192GCM)',
    )
  }
  return { step: 'decryption', outcome: 'invalid', detail: codeOf(error) }
}

/** A JWE, and the JWS inside it when it holds one. */
async function jweLayers(token: string, keys: DebuggerKeys, now: Date): Promise<Layer[]> {
  const examination = examineToken(token)
  const notes = [...examination.notes]
  const header = examination.header
  const checks: Check[] = []
  const outer = (claims?: Record<string, unknown>, content?: string): Layer => ({
    title: 'JWE',
    kind: 'JWE',
    segments: segmentsOf('JWE', examination.segments),
    header,
    claims,
    readableBy: DIR_KEY_HOLDERS,
    content,
    times: timesOf(claims, now),
    notes,
    checks,
  })
  const key = readKey(keys.encryption, 'dir key', (bytes) => encryptionKeyNotes(bytes, header?.enc))
  notes.push(...key.notes)
  if ('skipped' in key) {
    checks.push(notChecked('decryption', key.skipped))
    return [outer()]
  }
  const options = {
    keyManagementAlgorithms: [...KEY_MANAGEMENT_ALGORITHMS],
    contentEncryptionAlgorithms: [...CONTENT_ENCRYPTION_ALGORITHMS],
    maxDecompressedLength: 0,
  }
  let plaintext: Uint8Array
  try {
    plaintext = (await compactDecrypt(token, key.bytes, options)).plaintext
    checks.push({ step: 'decryption', outcome: 'valid', detail: 'the AES-GCM tag matches' })
  } catch (error) {
    checks.push(decryptionFailure(error, header?.enc))
    return [outer()]
  }
  const text = asText(plaintext)
  notes.push(...nestingNotes(header ?? {}, text ?? ''))
  if (
    header !== undefined &&
    announcesNestedJwt(header) &&
    text !== undefined &&
    looksLikeJws(text)
  ) {
    return [
      outer(undefined, undefined),
      await jwsLayer('JWS inside the JWE', DIR_KEY_HOLDERS, text, keys, now),
    ]
  }
  const claims = asObject(text)
  if (claims !== undefined) {
    checks.push(
      await claimsCheck(() => jwtDecrypt(token, key.bytes, { ...options, currentDate: now })),
    )
  }
  return [
    outer(
      claims,
      claims === undefined ? (text ?? `${plaintext.length} bytes, not UTF-8`) : undefined,
    ),
  ]
}

function verdictOf(layers: readonly Layer[]): Analysis['verdict'] {
  let incomplete = false
  for (const layer of layers) {
    if (layer.notes.length > 0) return 'refused'
    for (const check of layer.checks) {
      if (check.outcome === 'invalid') return 'refused'
      if (check.outcome === 'not checked') incomplete = true
    }
  }
  return incomplete ? 'incomplete' : 'accepted'
}

/** Everything the page shows for `token`, read at the moment `now`. */
export async function analyse(token: string, keys: DebuggerKeys, now: Date): Promise<Analysis> {
  const examination = examineToken(token)
  let layers: Layer[]
  if (examination.kind === 'JWS')
    layers = [await jwsLayer('JWS', 'anyone holding the token', token, keys, now)]
  else if (examination.kind === 'JWE') layers = await jweLayers(token, keys, now)
  else {
    layers = [
      {
        title: 'Not a compact token',
        kind: undefined,
        segments: segmentsOf(undefined, examination.segments),
        header: undefined,
        claims: undefined,
        readableBy: 'anyone holding the token',
        content: undefined,
        times: [],
        notes: examination.notes,
        checks: [],
      },
    ]
  }
  return { layers, verdict: verdictOf(layers) }
}
