/**
 * The anatomy of a compact token: which segment is which, each in its own colour.
 *
 * A JWS uses jwt.io's colours (header red, payload purple, signature cyan) so that a
 * token looks here as it does there. jwt.io has no scheme for JWE, so its five
 * segments get five distinct colours, and a legend is always printed.
 */

import type { Palette, Style } from '../kit/colour.ts'
import { shorten } from '../kit/format.ts'

export type TokenKind = 'JWS' | 'JWE' | 'unknown'

export interface SegmentRole {
  /** Stable name, used in --json output: header, payload, signature, encryptedKey, iv, ciphertext, tag. */
  readonly key: string
  /** What to call it in prose. */
  readonly label: string
  readonly style: Style | undefined
}

// RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
const JWS_ROLES: readonly SegmentRole[] = [
  { key: 'header', label: 'header', style: 'red' },
  { key: 'payload', label: 'payload', style: 'magenta' },
  { key: 'signature', label: 'signature', style: 'cyan' },
]

// RFC 7516 §7.1: header, encrypted key, IV, ciphertext, tag. The ciphertext stands where
// a JWS payload stands, and the tag authenticates as a signature does: same colours.
const JWE_ROLES: readonly SegmentRole[] = [
  { key: 'header', label: 'header', style: 'red' },
  { key: 'encryptedKey', label: 'encrypted key', style: 'yellow' },
  { key: 'iv', label: 'initialization vector', style: 'green' },
  { key: 'ciphertext', label: 'ciphertext', style: 'magenta' },
  { key: 'tag', label: 'authentication tag', style: 'cyan' },
]

/** A JWS has 3 segments and a JWE 5; any other count is neither. */
export function kindOf(segmentCount: number): TokenKind {
  if (segmentCount === 3) return 'JWS'
  if (segmentCount === 5) return 'JWE'
  return 'unknown'
}

/** The role of each of `count` segments of a token of `kind`. */
export function segmentRoles(kind: TokenKind, count: number): SegmentRole[] {
  if (kind === 'JWS') return [...JWS_ROLES]
  if (kind === 'JWE') return [...JWE_ROLES]
  const roles: SegmentRole[] = []
  for (let i = 0; i < count; i++) {
    // The first segment is a header in both forms; past that, nothing is known.
    roles.push(
      i === 0
        ? { key: 'header', label: 'header', style: 'red' }
        : {
            key: `segment${i + 1}`,
            label: `segment ${i + 1}`,
            style: undefined,
          },
    )
  }
  return roles
}

function paint(text: string, style: Style | undefined, palette: Palette): string {
  return style === undefined ? text : palette[style](text)
}

/**
 * The token with each segment in its colour and the dots left plain. Segments longer
 * than `maxSegmentChars` are shortened in the middle, saying by how much.
 */
export function renderAnatomy(
  segments: readonly string[],
  kind: TokenKind,
  palette: Palette,
  maxSegmentChars = 400,
): string {
  const roles = segmentRoles(kind, segments.length)
  const parts: string[] = []
  for (let i = 0; i < segments.length; i++) {
    parts.push(paint(shorten(segments[i] as string, maxSegmentChars), roles[i]?.style, palette))
  }
  return parts.join(palette.dim('.'))
}

/** "header . payload . signature", each name in its segment's colour. */
export function renderLegend(kind: TokenKind, segmentCount: number, palette: Palette): string {
  const roles = segmentRoles(kind, segmentCount)
  const names: string[] = []
  for (const role of roles) names.push(paint(role.label, role.style, palette))
  return names.join(palette.dim(' . '))
}
