/**
 * Why a segment is not canonical base64url, reason by reason, and what a lenient
 * decoder (jose's, Node's) would read from it anyway.
 *
 * The verdict itself comes from src's decoder (through src-judge.ts): this file only
 * explains it. RFC 7515 §2 and RFC 4648 §5 define the one accepted spelling. Every
 * message is a verb phrase about the text ("has …", "contains …", "sets …"), so that
 * callers can say "<where> <message>" or "it <message>".
 */

import { count } from '../kit/index.ts'
import { strictBase64url } from './src-judge.ts'

const ALPHABET = /^[A-Za-z0-9_-]$/
// Whitespace as atob and Node's decoder skip it.
const WHITESPACE = /\s/u

export interface Base64urlProblem {
  /** Stable rule name for --json: base64url.padding, .whitespace, .characters, .length, .spare-bits */
  readonly rule: string
  readonly message: string
}

export interface Base64urlDiagnosis {
  /** What src's strict decoder reads, or undefined when it refuses the segment. */
  readonly strict: Uint8Array | undefined
  /** What a lenient decoder reads, or undefined when even it cannot (length 1 mod 4). */
  readonly lenient: Uint8Array | undefined
  /** Every reason the segment is not canonical; empty when it is. */
  readonly problems: readonly Base64urlProblem[]
}

function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) as number
  const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
  return codePoint >= 0x21 && codePoint < 0x7f ? `'${character}'` : name
}

const VALUE_OF = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Diagnoses one segment of a compact token. */
export function diagnoseBase64url(segment: string): Base64urlDiagnosis {
  const problems: Base64urlProblem[] = []
  let padding = false
  let whitespace = false
  const strangers = new Set<string>()
  // The data characters, after a lenient decoder's clean-up: padding and whitespace
  // dropped, the standard alphabet's '+' and '/' read as '-' and '_'.
  let data = ''
  for (const character of segment) {
    if (ALPHABET.test(character)) data += character
    else if (character === '=') padding = true
    else if (WHITESPACE.test(character)) whitespace = true
    else {
      strangers.add(character)
      if (character === '+') data += '-'
      else if (character === '/') data += '_'
    }
  }
  if (padding) {
    problems.push({
      rule: 'base64url.padding',
      message: "has '=' padding; JOSE base64url is unpadded (RFC 7515 §2), though jose reads it",
    })
  }
  if (whitespace) {
    problems.push({
      rule: 'base64url.whitespace',
      message:
        'contains whitespace; lenient decoders such as jose skip it, so the same bytes get many spellings',
    })
  }
  if (strangers.size > 0) {
    const listed: string[] = []
    for (const character of strangers) listed.push(describeCharacter(character))
    const standard = strangers.has('+') || strangers.has('/')
    problems.push({
      rule: 'base64url.characters',
      message: `contains ${listed.slice(0, 6).join(', ')}${listed.length > 6 ? ', …' : ''}, outside the base64url alphabet A-Z a-z 0-9 - _${standard ? " ('+' and '/' belong to standard base64)" : ''}`,
    })
  }
  const remainder = data.length % 4
  if (remainder === 1) {
    problems.push({
      rule: 'base64url.length',
      message: `has ${count(data.length, 'character')}, 1 more than a multiple of 4: a lone last character carries 6 bits, less than a byte (RFC 4648 §4)`,
    })
  } else if (remainder !== 0) {
    const last = VALUE_OF.indexOf(data.charAt(data.length - 1))
    const unusedBits = remainder === 2 ? 0b1111 : 0b11
    if ((last & unusedBits) !== 0) {
      problems.push({
        rule: 'base64url.spare-bits',
        message:
          'sets unused low bits in its last character, so other spellings decode to the same bytes (RFC 4648 §3.5); jose ignores them',
      })
    }
  }

  const strict = strictBase64url(segment)
  if (strict === undefined && problems.length === 0) {
    // A safety net: src refused the segment for a reason not named above.
    problems.push({ rule: 'base64url.other', message: 'is not canonical base64url' })
  }
  const lenient = remainder === 1 ? undefined : new Uint8Array(Buffer.from(data, 'base64url'))
  return { strict, lenient: strict ?? lenient, problems }
}
