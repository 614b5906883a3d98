/**
 * The divergence ledger in code: every known input class on which src/ and jose disagree,
 * with the error codes src gives for it, and a classifier that says which rows a given
 * token falls under. docs/divergences.md is the prose version of the same rows (same ids);
 * test/differential/divergences.test.ts pins each row; the differential properties and the fuzz
 * campaign use the classifier to tell an explained divergence from a bug.
 */

import { base64url as joseBase64url } from 'jose'
import { isCanonicalSegment } from './forge.ts'

export type LedgerRowId =
  | 'lenient-base64url'
  | 'respelled-header'
  | 'non-canonical-payload'
  | 'bom'
  | 'duplicate-names'
  | 'lone-surrogates'
  | 'json-depth'
  | 'non-finite-numeric-date'
  | 'registered-claim-types'
  | 'short-hmac-key'
  | 'key-short-for-token-alg'
  | 'default-algorithms'
  | 'wrong-size-content-key'
  | 'zip-def'
  | 'token-length'
  | 'bare-claims-under-cty-jwt'
  | 'cty-jwt-in-jws'
  | 'crit-b64'
  | 'b64-without-crit'
  | 'default-content-encryption'
  | 'nested-inner-bom'
  | 'token-as-bytes'
  | 'producer-refusals'

export interface LedgerRow {
  readonly id: LedgerRowId
  /** The codes src gives for inputs of this row ('TypeError' for a programmer error). */
  readonly srcCodes: readonly string[]
}

const INVALID = ['ERR_JWS_INVALID', 'ERR_JWE_INVALID', 'ERR_JWT_INVALID'] as const

/**
 * Every row of docs/divergences.md, by id, with src's codes. `ledgerRowsOf` recognises
 * each row a received token can show; four rows live in what the caller passes instead
 * (a key size, a `Uint8Array` token, a nested plaintext, the signing side's input), and
 * the properties that generate those inputs name their row themselves.
 */
export const LEDGER: readonly LedgerRow[] = [
  { id: 'lenient-base64url', srcCodes: ['ERR_JWS_INVALID', 'ERR_JWE_INVALID'] },
  { id: 'respelled-header', srcCodes: ['ERR_JWS_INVALID', 'ERR_JWE_INVALID'] },
  { id: 'non-canonical-payload', srcCodes: ['ERR_JWS_INVALID'] },
  { id: 'bom', srcCodes: INVALID },
  { id: 'duplicate-names', srcCodes: INVALID },
  { id: 'lone-surrogates', srcCodes: INVALID },
  { id: 'json-depth', srcCodes: INVALID },
  { id: 'non-finite-numeric-date', srcCodes: ['ERR_JWT_CLAIM_VALIDATION_FAILED'] },
  { id: 'registered-claim-types', srcCodes: ['ERR_JWT_CLAIM_VALIDATION_FAILED'] },
  { id: 'short-hmac-key', srcCodes: ['TypeError'] },
  { id: 'key-short-for-token-alg', srcCodes: ['ERR_JWS_INVALID'] },
  { id: 'default-algorithms', srcCodes: ['ERR_JOSE_ALG_NOT_ALLOWED'] },
  { id: 'wrong-size-content-key', srcCodes: ['TypeError'] },
  { id: 'zip-def', srcCodes: ['ERR_JOSE_NOT_SUPPORTED'] },
  { id: 'token-length', srcCodes: ['ERR_JWS_INVALID', 'ERR_JWE_INVALID'] },
  { id: 'bare-claims-under-cty-jwt', srcCodes: ['ERR_JWT_INVALID'] },
  { id: 'cty-jwt-in-jws', srcCodes: ['ERR_JWT_INVALID'] },
  { id: 'crit-b64', srcCodes: ['ERR_JOSE_NOT_SUPPORTED'] },
  { id: 'b64-without-crit', srcCodes: ['ERR_JWS_INVALID'] },
  { id: 'default-content-encryption', srcCodes: ['ERR_JOSE_ALG_NOT_ALLOWED', 'TypeError'] },
  { id: 'nested-inner-bom', srcCodes: ['ERR_JWT_INVALID'] },
  { id: 'token-as-bytes', srcCodes: ['ERR_JWS_INVALID', 'ERR_JWE_INVALID'] },
  { id: 'producer-refusals', srcCodes: ['TypeError', 'ERR_JWS_INVALID', 'ERR_JWE_INVALID'] },
]

export function ledgerRow(id: LedgerRowId): LedgerRow {
  const row = LEDGER.find((candidate) => candidate.id === id)
  if (row === undefined) throw new Error(`no ledger row ${id}`)
  return row
}

// ---------------------------------------------------------------------------------------
// Counting divergences
// ---------------------------------------------------------------------------------------

/** Counts explained divergences per ledger row, for the campaign's summary. */
export interface DivergenceLog {
  readonly counts: Map<LedgerRowId, number>
}

export function createDivergenceLog(): DivergenceLog {
  return { counts: new Map() }
}

export function recordDivergence(
  log: DivergenceLog | undefined,
  ids: readonly LedgerRowId[],
): void {
  if (log === undefined) return
  for (const id of ids) log.counts.set(id, (log.counts.get(id) ?? 0) + 1)
}

// ---------------------------------------------------------------------------------------
// Classifying a token
// ---------------------------------------------------------------------------------------

/** What a JSON text contains that JSON.parse lets through and the strict parser refuses. */
export interface JsonFeatures {
  duplicateNames: boolean
  loneSurrogate: boolean
  /** The deepest container, counting the top-level object as depth 1; scalars do not nest. */
  maxDepth: number
}

/**
 * Scans JSON text that `JSON.parse` has already accepted. Written apart from src/json.ts
 * on purpose: the classifier must not inherit a bug of the code it judges.
 */
export function jsonFeatures(text: string): JsonFeatures {
  const features: JsonFeatures = { duplicateNames: false, loneSurrogate: false, maxDepth: 0 }
  // One entry per open container: the names seen so far (objects) or null (arrays).
  const stack: (Set<string> | null)[] = []
  let expectName = false
  let i = 0
  while (i < text.length) {
    const char = text.charAt(i)
    if (char === '{' || char === '[') {
      stack.push(char === '{' ? new Set() : null)
      features.maxDepth = Math.max(features.maxDepth, stack.length)
      expectName = char === '{'
      i++
    } else if (char === '}' || char === ']') {
      stack.pop()
      expectName = false
      i++
    } else if (char === ',') {
      expectName = stack[stack.length - 1] instanceof Set
      i++
    } else if (char === '"') {
      let end = i + 1
      while (text.charAt(end) !== '"') end += text.charAt(end) === '\\' ? 2 : 1
      const value = JSON.parse(text.slice(i, end + 1)) as string
      if (!value.isWellFormed()) features.loneSurrogate = true
      const names = stack[stack.length - 1]
      if (expectName && names instanceof Set) {
        if (names.has(value)) features.duplicateNames = true
        names.add(value)
      }
      expectName = false
      i = end + 1
    } else if (char === ':' || char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i++
    } else {
      // A number or a literal: skip it.
      while (i < text.length && !',}] \t\n\r'.includes(text.charAt(i))) i++
    }
  }
  return features
}

/** jose's own base64url decoder (lenient), or undefined where even it refuses. */
export function joseDecodes(segment: string): Uint8Array | undefined {
  try {
    return joseBase64url.decode(segment)
  } catch {
    return undefined
  }
}

/** `JWT` in any case, or `application/jwt`: written here apart from src/jwt.ts, on purpose. */
function isJwtMediaType(cty: string): boolean {
  const lower = cty.toLowerCase()
  return lower === 'jwt' || lower === 'application/jwt'
}

const BOM = [0xef, 0xbb, 0xbf]
const lenientUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The rows a header's JSON falls under, as jose would read it. */
function headerRows(bytes: Uint8Array, kind: 'jws' | 'jwe'): LedgerRowId[] {
  const rows: LedgerRowId[] = []
  if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) rows.push('bom')
  let text: string
  let header: unknown
  try {
    // jose's decoder: fatal on malformed UTF-8, but it strips a leading BOM.
    text = lenientUtf8.decode(bytes)
    header = JSON.parse(text)
  } catch {
    return rows
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return rows
  const features = jsonFeatures(text)
  if (features.duplicateNames) rows.push('duplicate-names')
  if (features.loneSurrogate) rows.push('lone-surrogates')
  if (features.maxDepth > 64) rows.push('json-depth')
  const members = header as Record<string, unknown>
  // RFC 7797 defines "b64" for JWS only; in a JWE both ignore it.
  if (kind === 'jws' && Object.hasOwn(members, 'b64') && !Object.hasOwn(members, 'crit'))
    rows.push('b64-without-crit')
  if (Array.isArray(members.crit) && members.crit.includes('b64')) rows.push('crit-b64')
  // verifyJwt refuses a JWS whose cty announces a nested JWT; jwtVerify reads its claims.
  if (kind === 'jws' && typeof members.cty === 'string' && isJwtMediaType(members.cty))
    rows.push('cty-jwt-in-jws')
  if (kind === 'jwe' && members.zip === 'DEF') rows.push('zip-def')
  // Raw jose allows every enc it implements; src allows A256GCM unless told otherwise.
  if (kind === 'jwe' && (members.enc === 'A128GCM' || members.enc === 'A192GCM'))
    rows.push('default-content-encryption')
  return rows
}

/**
 * The ledger rows a compact token falls under, looking at it the way jose does: which
 * segments are spelled non-canonically yet still decode under jose's lenient base64url,
 * and what the header's JSON holds. An empty list means "no known reason to disagree".
 */
export function ledgerRowsOf(
  token: string | Uint8Array,
  kind: 'jws' | 'jwe',
  maxTokenLength = 65_536,
): LedgerRowId[] {
  // jose reads a token given as bytes; src takes only strings.
  if (typeof token !== 'string') return ['token-as-bytes']
  const rows: LedgerRowId[] = []
  if (token.length > maxTokenLength) rows.push('token-length')
  const segments = token.split('.')
  if (segments.length !== (kind === 'jws' ? 3 : 5)) return rows
  const [headerSegment = ''] = segments
  const headerBytes = joseDecodes(headerSegment)
  if (headerBytes !== undefined) {
    if (!isCanonicalSegment(headerSegment)) rows.push('respelled-header')
    rows.push(...headerRows(headerBytes, kind))
  }
  const lenientSegments = kind === 'jws' ? [2] : [2, 3, 4]
  for (const index of lenientSegments) {
    const segment = segments[index] as string
    if (!isCanonicalSegment(segment) && joseDecodes(segment) !== undefined) {
      rows.push('lenient-base64url')
      break
    }
  }
  if (kind === 'jws') {
    const payloadSegment = segments[1] as string
    if (!isCanonicalSegment(payloadSegment) && joseDecodes(payloadSegment) !== undefined)
      rows.push('non-canonical-payload')
  }
  return rows
}

/** The union of src's codes over `rows`. */
export function srcCodesOf(rows: readonly LedgerRowId[]): Set<string> {
  const codes = new Set<string>()
  for (const id of rows) for (const code of ledgerRow(id).srcCodes) codes.add(code)
  return codes
}
