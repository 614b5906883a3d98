/**
 * The ways to re-spell a base64url segment that the JWS and JWE strictness suites try on
 * every segment. RFC 4648 §3.5 and RFC 7515 §2: each mutation breaks exactly one property
 * of canonical base64url. Where Node's decoder is lenient the mutated segment decodes to
 * the very same bytes, which is why each needs its own guard in src/base64url.ts.
 */

import { BASE64URL_ALPHABET } from '../verdict.ts'

/** True when `text` passes the O(1) checks (length not 1 mod 4, zero spare bits), so a later guard must catch it. */
function passesCheapChecks(text: string): boolean {
  const remainder = text.length % 4
  if (remainder === 1) return false
  if (remainder === 0) return true
  const value = BASE64URL_ALPHABET.indexOf(text.charAt(text.length - 1))
  return value >= 0 && (value & (remainder === 2 ? 0b1111 : 0b11)) === 0
}

/** Inserts `char` (1–3 times) mid-segment, keeping the cheap checks green. */
function insertMiddle(segment: string, char: string): string | undefined {
  const middle = Math.floor(segment.length / 2)
  for (let count = 1; count <= 3; count++) {
    const candidate = segment.slice(0, middle) + char.repeat(count) + segment.slice(middle)
    if (passesCheapChecks(candidate)) return candidate
  }
  return undefined
}

/** Replaces the first `from` with `to`, when that keeps the cheap checks green. */
function replaceFirst(segment: string, from: string, to: string): string | undefined {
  const at = segment.indexOf(from)
  if (at === -1) return undefined
  const candidate = segment.slice(0, at) + to + segment.slice(at + 1)
  return passesCheapChecks(candidate) ? candidate : undefined
}

export interface Respelling {
  readonly name: string
  /** The re-spelled segment, or `undefined` when this segment does not admit it. */
  readonly apply: (segment: string) => string | undefined
  /** Raw jose decodes with atob: it strips whitespace and padding and ignores spare bits. */
  readonly jose: 'accepted' | 'rejected'
  /** Node's Buffer decoder reads the mutated segment as the original bytes. */
  readonly nodeReadsSameBytes: boolean
}

export const RESPELLINGS: readonly Respelling[] = [
  {
    name: "padding '='",
    apply: (s) => (s.length % 4 === 0 ? undefined : s + '='.repeat(4 - (s.length % 4))),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a space',
    apply: (s) => insertMiddle(s, ' '),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a line feed',
    apply: (s) => insertMiddle(s, '\n'),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a tab',
    apply: (s) => insertMiddle(s, '\t'),
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
  {
    name: 'a NUL',
    apply: (s) => insertMiddle(s, '\0'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: "'+' for '-'",
    apply: (s) => replaceFirst(s, '-', '+'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: "'/' for '_'",
    apply: (s) => replaceFirst(s, '_', '/'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: "'Ů' (U+016E) for 'n'",
    apply: (s) => replaceFirst(s, 'n', '\u016e'),
    jose: 'rejected',
    nodeReadsSameBytes: true,
  },
  {
    name: 'length 1 mod 4',
    apply: (s) => s + 'A'.repeat((5 - (s.length % 4)) % 4 || 4),
    jose: 'rejected',
    nodeReadsSameBytes: false,
  },
  {
    name: 'non-zero spare bits',
    apply: (s) => {
      if (s.length % 4 === 0) return undefined
      const value = BASE64URL_ALPHABET.indexOf(s.charAt(s.length - 1))
      return s.slice(0, -1) + BASE64URL_ALPHABET.charAt(value | 1)
    },
    jose: 'accepted',
    nodeReadsSameBytes: true,
  },
]
