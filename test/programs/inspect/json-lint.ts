/**
 * Why a header or claims set is not the strict JSON both layers demand: byte-order
 * mark, UTF-8, duplicate names, lone surrogates, nesting, syntax. The JSON judgement
 * is src's (src-judge.ts); this file names the rule that failed, and also returns what
 * a lenient parser (jose's: BOM stripped, last duplicate wins) reads.
 */

import { jsonProblem } from './src-judge.ts'

export interface Finding {
  /** Which part of the token: token, header, payload, signature, iv, … (prefixed "inner." inside a nested token). */
  readonly where: string
  /** Stable rule name for --json, e.g. base64url.padding, json.duplicate-name, claims.exp. */
  readonly rule: string
  readonly message: string
}

export interface DecodedJson {
  /** The text as a lenient decoder reads it (BOM stripped, bad bytes as U+FFFD). */
  readonly text: string
  /** The object JSON.parse builds from that text, or undefined when it is no JSON object. */
  readonly value: Record<string, unknown> | undefined
}

const lenientUtf8 = new TextDecoder()
// RFC 3629: `fatal` refuses ill-formed bytes; `ignoreBOM` keeps a BOM as text, for the rule below.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function isStrictUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

function jsonRule(problem: string): string {
  if (problem.startsWith('has a duplicate member name')) return 'json.duplicate-name'
  if (problem.includes('lone surrogate')) return 'json.lone-surrogate'
  if (problem.startsWith('is not a JSON object')) return 'json.not-object'
  if (problem.startsWith('nests deeper')) return 'json.depth'
  return 'json.syntax'
}

/** Starts with the UTF-8 byte-order mark EF BB BF. */
function hasByteOrderMark(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
}

/**
 * Checks `bytes` as strict UTF-8 JSON, pushing one finding per rule broken onto
 * `violations`, and returns the lenient reading for display.
 */
export function lintJsonBytes(
  bytes: Uint8Array,
  where: string,
  violations: Finding[],
): DecodedJson {
  // RFC 8259 §8.1: no byte-order mark in JSON text; TextDecoder strips one silently.
  if (hasByteOrderMark(bytes)) {
    violations.push({
      where,
      rule: 'utf8.bom',
      message: 'starts with a UTF-8 byte-order mark (RFC 8259 §8.1 forbids it; jose strips it)',
    })
  } else if (!isStrictUtf8(bytes)) {
    violations.push({
      where,
      rule: 'utf8.invalid',
      message: 'is not valid UTF-8 (RFC 3629); a lenient decoder turns the bad bytes into U+FFFD',
    })
  }
  const text = lenientUtf8.decode(bytes)
  const problem = jsonProblem(text)
  if (problem !== undefined) {
    const rule = jsonRule(problem)
    let consequence = ''
    if (rule === 'json.duplicate-name') {
      consequence =
        ' (RFC 7515 §5.2, RFC 7519 §4: jose keeps the last value, so two parsers may disagree)'
    } else if (rule === 'json.lone-surrogate') consequence = ' (RFC 8259 §8.1)'
    violations.push({ where, rule, message: `${problem}${consequence}` })
  }
  let value: Record<string, unknown> | undefined
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      value = parsed as Record<string, unknown>
    }
  } catch {
    value = undefined
  }
  return { text, value }
}
