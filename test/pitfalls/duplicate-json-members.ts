/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 11: duplicate JSON member names read differently by two components.
 * See docs/pitfalls/duplicate-json-members.md.
 * ============================================================================
 *
 * RFC 8259 §4 only says names SHOULD be unique and that parsers then disagree.
 * RFC 7515 §4 and RFC 7519 §4 let a JOSE parser either reject duplicates or keep the
 * lexically last one (JSON.parse does that, and so does jose). Both are safe alone.
 * The danger is a system where one component keeps the first value and another the
 * last: the same MAC-verified token then says two different things.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'
import fc from 'fast-check'

// ---------------------------------------------------------------------------
// A small JSON reader that keeps the FIRST value of a repeated name, as some
// streaming and hand-written parsers do.
// ---------------------------------------------------------------------------

class FirstWinsReader {
  private position = 0
  private readonly text: string

  constructor(text: string) {
    this.text = text
  }

  read(): unknown {
    const value = this.value()
    this.skipWhitespace()
    if (this.position !== this.text.length) throw new SyntaxError('trailing characters')
    return value
  }

  private skipWhitespace(): void {
    while (/\s/.test(this.text.charAt(this.position))) this.position++
  }

  private value(): unknown {
    this.skipWhitespace()
    const char = this.text.charAt(this.position)
    if (char === '{') return this.object()
    if (char === '[') return this.array()
    // A string, number or literal: find where it ends, then let JSON.parse read it.
    const match = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.position),
    )
    if (match === null) throw new SyntaxError(`unexpected ${JSON.stringify(char)}`)
    this.position += (match[1] as string).length
    return JSON.parse(match[1] as string)
  }

  private expect(char: string): void {
    this.skipWhitespace()
    if (this.text.charAt(this.position) !== char) throw new SyntaxError(`expected ${char}`)
    this.position++
  }

  private object(): Record<string, unknown> {
    this.expect('{')
    const members = new Map<string, unknown>()
    this.skipWhitespace()
    if (this.text.charAt(this.position) === '}') {
      this.position++
      return {}
    }
    for (;;) {
      const name = this.value()
      if (typeof name !== 'string') throw new SyntaxError('member name must be a string')
      this.expect(':')
      const value = this.value()
      // #region first-wins
      // The whole difference from JSON.parse: a repeated name does not overwrite.
      if (!members.has(name)) members.set(name, value)
      // #endregion first-wins
      this.skipWhitespace()
      const next = this.text.charAt(this.position++)
      if (next === '}') return Object.fromEntries(members)
      if (next !== ',') throw new SyntaxError('expected , or }')
    }
  }

  private array(): unknown[] {
    this.expect('[')
    const items: unknown[] = []
    this.skipWhitespace()
    if (this.text.charAt(this.position) === ']') {
      this.position++
      return items
    }
    for (;;) {
      items.push(this.value())
      this.skipWhitespace()
      const next = this.text.charAt(this.position++)
      if (next === ']') return items
      if (next !== ',') throw new SyntaxError('expected , or ]')
    }
  }
}

/** NEVER USE as a security boundary: parses JSON, keeping the first of repeated names. */
export function parseFirstWins(text: string): unknown {
  return new FirstWinsReader(text).read()
}

// ---------------------------------------------------------------------------
// Two components that both verify the MAC correctly, then parse differently.
// ---------------------------------------------------------------------------

export interface Reading {
  header: Record<string, unknown>
  claims: Record<string, unknown>
}

type Parse = (text: string) => unknown

function verifyThenRead(token: string, key: Uint8Array, parse: Parse): Reading {
  const [header, payload, signature] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined)
    throw new Error('malformed token')
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const received = Buffer.from(signature, 'base64url')
  if (received.length !== expected.length || !timingSafeEqual(received, expected))
    throw new Error('invalid signature')
  return {
    header: parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
  }
}

// #region naive-pair
/** NEVER USE. The API gateway: checks the MAC, then authorises on the first `sub`. */
export function naiveGateway(token: string, key: Uint8Array): Reading {
  return verifyThenRead(token, key, parseFirstWins)
}

/** NEVER USE (in this pairing). The service behind it: checks the MAC, then JSON.parse (last wins). */
export function naiveService(token: string, key: Uint8Array): Reading {
  return verifyThenRead(token, key, JSON.parse)
}

// #endregion naive-pair

// #region naive-issue
/**
 * NEVER USE. How a duplicate name gets signed in the first place: an issuer that builds
 * the claims JSON by string concatenation, so a display name can close the string and
 * add members of its own.
 */
export function naiveIssue(sub: string, displayName: string, key: Uint8Array): string {
  const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')
  // MISTAKE: JSON built by concatenation; the display name is never escaped.
  const claims = `{"sub":"${sub}","name":"${displayName}"}`
  const payload = Buffer.from(claims).toString('base64url')
  const mac = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${mac}`
}
// #endregion naive-issue

/** A signer that MACs whatever JSON text it is given: stands for any producer of duplicates. */
export function signText(headerText: string, claimsText: string, key: Uint8Array): string {
  const header = Buffer.from(headerText).toString('base64url')
  const payload = Buffer.from(claimsText).toString('base64url')
  const mac = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${mac}`
}

/** A claims text as a list of members, so that names can repeat. */
export type Members = [name: string, value: string][]

export function membersText(members: Members): string {
  const parts: string[] = []
  for (const [name, value] of members)
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`)
  return `{${parts.join(',')}}`
}

/** Claims members with names drawn from a small set, so that repeats are common. */
export function membersArbitrary(): fc.Arbitrary<Members> {
  return fc.array(fc.tuple(fc.constantFrom('sub', 'role', 'aud'), fc.string({ maxLength: 6 })), {
    minLength: 1,
    maxLength: 6,
  })
}

/** `true` when some name appears twice. */
export function hasDuplicateName(members: Members): boolean {
  const seen = new Set<string>()
  for (const [name] of members) {
    if (seen.has(name)) return true
    seen.add(name)
  }
  return false
}

/**
 * The gateway and the service read the same claims from every token. The first-wins /
 * last-wins pair breaks it. Shared by the test and by measure-9-18.ts.
 */
export function readersAgreeProperty(key: Uint8Array): fc.IPropertyWithHooks<[Members]> {
  return fc.property(membersArbitrary(), (members) => {
    const token = signText('{"alg":"HS256"}', membersText(members), key)
    const gateway = naiveGateway(token, key).claims
    const service = naiveService(token, key).claims
    return JSON.stringify(gateway) === JSON.stringify(service)
  })
}
