/**
 * A compact token taken apart without any key: its segments, header and (for a JWS)
 * payload, and every strictness rule it breaks. Nothing here verifies anything;
 * verify.ts does that.
 */

import { HMAC_KEY_BYTES, isGcm, isHmac, isNestedJwtType } from './algorithms.ts'
import { kindOf, segmentRoles, type TokenKind } from './anatomy.ts'
import { diagnoseBase64url } from './base64url-lint.ts'
import { type ClaimsReport, lintClaims } from './claims-lint.ts'
import { lintJweHeader, lintJwsHeader } from './header-lint.ts'
import { type Finding, lintJsonBytes } from './json-lint.ts'

/** The length cap both implementations apply before parsing, by default (README, "What it refuses"). */
const DEFAULT_MAX_TOKEN_LENGTH = 65_536
/** AES-GCM in JOSE: a 96-bit IV and a 128-bit tag, exactly (RFC 7518 §5.3). */
const IV_BYTES = 12
const TAG_BYTES = 16

/** More segments than a JWE has, and then some; the rest of a longer token is not examined. */
const MAX_SEGMENTS_EXAMINED = 8

export interface SegmentReport {
  /** header, payload, signature, encryptedKey, iv, ciphertext, tag (or segmentN). */
  readonly name: string
  readonly label: string
  readonly text: string
  readonly chars: number
  /** Decoded size (leniently, when not canonical); null when it cannot be decoded at all. */
  readonly bytes: number | null
  readonly canonical: boolean
}

export interface JweSizes {
  readonly encryptedKeyBytes: number | null
  readonly ivBytes: number | null
  readonly ciphertextBytes: number | null
  readonly tagBytes: number | null
}

export interface TokenReport {
  readonly kind: TokenKind
  readonly length: number
  readonly segments: SegmentReport[]
  /** The header as a lenient parser reads it; null when it cannot be read. */
  readonly header: Record<string, unknown> | null
  /** A JWE whose cty says JWT: the plaintext is a signed JWT. */
  readonly nested: boolean
  /** A JWS's payload; null for a JWE (encrypted) or an unreadable payload. */
  readonly payload: ClaimsReport | null
  /** A JWE's segment sizes; null for a JWS. */
  readonly jwe: JweSizes | null
  /** Everything src would refuse. */
  readonly violations: Finding[]
  /** Worth knowing, but not a reason to refuse. */
  readonly notes: Finding[]
}

/**
 * Takes `token` apart. `scope` prefixes every finding's `where` ("inner." for the
 * token inside a nested JWE); `now` is the clock for exp and nbf.
 */
export function analyseToken(token: string, now: Date, scope = ''): TokenReport {
  const violations: Finding[] = []
  const notes: Finding[] = []
  if (token.length > DEFAULT_MAX_TOKEN_LENGTH) {
    violations.push({
      where: `${scope}token`,
      rule: 'token.length',
      message: `is ${token.length} characters, over the ${DEFAULT_MAX_TOKEN_LENGTH}-character cap both implementations apply by default`,
    })
  }
  const allTexts = token.split('.')
  const kind = kindOf(allTexts.length)
  if (kind === 'unknown') {
    violations.push({
      where: `${scope}token`,
      rule: 'token.segments',
      message: `has ${allTexts.length} segment${allTexts.length === 1 ? ' (no dots)' : 's'}; a compact JWS has 3 and a JWE 5 (RFC 7515 §7.1, RFC 7516 §7.1)`,
    })
  }
  // A string of dots is not a token; examining each of its thousands of segments
  // would only bury the one finding that matters.
  const texts = allTexts.slice(0, MAX_SEGMENTS_EXAMINED)
  if (allTexts.length > MAX_SEGMENTS_EXAMINED) {
    notes.push({
      where: `${scope}token`,
      rule: 'token.segments-examined',
      message: `only the first ${MAX_SEGMENTS_EXAMINED} of ${allTexts.length} segments are examined`,
    })
  }

  const roles = segmentRoles(kind, texts.length)
  const segments: SegmentReport[] = []
  const decoded: (Uint8Array | undefined)[] = []
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string
    const role = roles[i] as { key: string; label: string }
    const diagnosis = diagnoseBase64url(text)
    for (const problem of diagnosis.problems) {
      violations.push({
        where: `${scope}${role.key}`,
        rule: problem.rule,
        message: problem.message,
      })
    }
    decoded.push(diagnosis.lenient)
    segments.push({
      name: role.key,
      label: role.label,
      text,
      chars: text.length,
      bytes: diagnosis.lenient === undefined ? null : diagnosis.lenient.length,
      canonical: diagnosis.problems.length === 0,
    })
  }

  let header: Record<string, unknown> | null = null
  const headerBytes = decoded[0]
  if (headerBytes !== undefined) {
    const where = `${scope}header`
    header = lintJsonBytes(headerBytes, where, violations).value ?? null
    if (header !== null && kind === 'JWS') lintJwsHeader(header, where, violations, notes)
    if (header !== null && kind === 'JWE') lintJweHeader(header, where, violations, notes)
  }

  let payload: ClaimsReport | null = null
  if (kind === 'JWS') {
    const payloadBytes = decoded[1]
    if (payloadBytes !== undefined) {
      payload = lintClaims(payloadBytes, `${scope}payload`, now, violations, notes)
    }
    lintSignatureSize(header, decoded[2], `${scope}signature`, violations)
  }

  let jwe: JweSizes | null = null
  if (kind === 'JWE') jwe = lintJweSizes(header, decoded, scope, violations)

  return {
    kind,
    length: token.length,
    segments,
    header,
    nested: kind === 'JWE' && header !== null && isNestedJwtType(header.cty),
    payload,
    jwe,
    violations,
    notes,
  }
}

/** An HMAC is exactly the hash size (RFC 7518 §3.2); any other length can never verify. */
function lintSignatureSize(
  header: Record<string, unknown> | null,
  signature: Uint8Array | undefined,
  where: string,
  violations: Finding[],
): void {
  const alg = header?.alg
  if (!isHmac(alg) || signature === undefined) return
  // The hash size is also the shortest key HMAC accepts: one table serves both.
  const macBytes = HMAC_KEY_BYTES[alg as string] as number
  if (signature.length !== macBytes) {
    violations.push({
      where,
      rule: 'jws.signature-size',
      message: `is ${signature.length} bytes; an ${alg} MAC is ${macBytes} bytes, so this can never verify`,
    })
  }
}

function lintJweSizes(
  header: Record<string, unknown> | null,
  decoded: readonly (Uint8Array | undefined)[],
  scope: string,
  violations: Finding[],
): JweSizes {
  const [, encryptedKey, iv, ciphertext, tag] = decoded
  // RFC 7518 §4.5: with "dir" there is no encrypted key; the shared key is the CEK.
  if (header?.alg === 'dir' && encryptedKey !== undefined && encryptedKey.length !== 0) {
    violations.push({
      where: `${scope}encryptedKey`,
      rule: 'jwe.encrypted-key',
      message: `holds ${encryptedKey.length} bytes; with "dir" it must be empty (RFC 7518 §4.5)`,
    })
  }
  // RFC 7518 §5.3: a 96-bit IV and a 128-bit tag, exactly. Other encs (AES-CBC with
  // HMAC) have sizes of their own, which jose checks.
  const gcm = isGcm(header?.enc)
  if (gcm && iv !== undefined && iv.length !== IV_BYTES) {
    violations.push({
      where: `${scope}iv`,
      rule: 'jwe.iv-size',
      message: `is ${iv.length} bytes; AES-GCM in JOSE uses exactly ${IV_BYTES} (96 bits, RFC 7518 §5.3)`,
    })
  }
  if (gcm && tag !== undefined && tag.length !== TAG_BYTES) {
    violations.push({
      where: `${scope}tag`,
      rule: 'jwe.tag-size',
      message: `is ${tag.length} bytes; the tag must be exactly ${TAG_BYTES} (128 bits, RFC 7518 §5.3): shorter tags are easier to forge`,
    })
  }
  return {
    encryptedKeyBytes: encryptedKey === undefined ? null : encryptedKey.length,
    ivBytes: iv === undefined ? null : iv.length,
    ciphertextBytes: ciphertext === undefined ? null : ciphertext.length,
    tagBytes: tag === undefined ? null : tag.length,
  }
}
