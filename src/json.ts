/**
 * Strict JSON for JOSE headers and JWT claims sets.
 *
 * `JSON.parse` is a fine builder but a lenient judge: when a name appears twice it
 * silently keeps the last value, and it accepts escaped lone surrogates (`"\ud800"`).
 * Two parsers that resolve such input differently can disagree about `alg` or `sub`
 * for the very same token: a parser differential (see docs/pitfalls/
 * duplicate-json-members.md). So we first walk the text with a small validating
 * scanner that refuses both, and only then let `JSON.parse` build the value.
 *
 * RFC 7515 §4 and RFC 7519 §4 let a parser reject duplicate Header Parameter and
 * Claim names instead of keeping the last one; RFC 8259 §8.2 warns that strings with
 * unpaired surrogates behave unpredictably across implementations.
 */

/**
 * RFC 8259 §9 lets a parser limit nesting depth. A limit keeps this recursive scanner
 * far from the call-stack ceiling whatever the token size; real headers and claims
 * nest a few levels at most.
 */
export const MAX_JSON_DEPTH = 64

/** Thrown by the scanner; callers convert it into the error class of their layer. */
class StrictJsonError extends Error {}

// #region strict-json
/**
 * Parses `text` as a JSON object, refusing duplicate member names at any depth,
 * escaped lone surrogates, nesting deeper than {@link MAX_JSON_DEPTH}, and anything
 * that is not an object at the top level. Returns the problem as a string.
 */
export function parseJsonObject(
  text: string,
): { value: Record<string, unknown> } | { problem: string } {
  if (!text.isWellFormed()) return { problem: 'contains a lone surrogate' }
  try {
    const scanner = new Scanner(text)
    scanner.skipWhitespace()
    if (text.charCodeAt(scanner.position) !== CURLY_OPEN) return { problem: 'is not a JSON object' }
    scanner.value(1)
    scanner.skipWhitespace()
    if (scanner.position !== text.length) scanner.fail('has trailing characters')
  } catch (error) {
    if (error instanceof StrictJsonError) return { problem: error.message }
    throw error
  }
  // The scanner accepted exactly RFC 8259 JSON, so JSON.parse cannot throw here.
  return { value: JSON.parse(text) as Record<string, unknown> }
}
// #endregion strict-json

const CURLY_OPEN = 0x7b
const CURLY_CLOSE = 0x7d
const SQUARE_OPEN = 0x5b
const SQUARE_CLOSE = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a

// RFC 8259's grammar, one rule per regular expression. Each is sticky (`y`): it matches
// at the scanner's position or not at all, so the scanner never searches ahead.
/** §2: insignificant whitespace is space, tab, line feed, carriage return. Nothing else. */
const WHITESPACE = /[ \t\n\r]*/y
/** §3: the three literal names, lower case only. */
const LITERAL = /true|false|null/y
/** §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
/** §7: a run of characters that stand for themselves: not a quote, a backslash or a control. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 8259 §7 forbids U+0000-U+001F unescaped
const UNESCAPED = /[^"\\\u0000-\u001f]*/y
/** §7: an escape: one of eight characters, or u and four hex digits. */
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y

/** A recursive-descent walk over RFC 8259's grammar that builds nothing. */
class Scanner {
  position = 0
  readonly text: string

  constructor(text: string) {
    this.text = text
  }

  fail(problem: string): never {
    throw new StrictJsonError(problem)
  }

  /** Moves past `rule` if it matches here (it may match nothing); says whether it matched. */
  skip(rule: RegExp): boolean {
    rule.lastIndex = this.position
    if (!rule.test(this.text)) return false
    this.position = rule.lastIndex
    return true
  }

  skipWhitespace(): void {
    this.skip(WHITESPACE)
  }

  value(depth: number): void {
    const code = this.text.charCodeAt(this.position)
    // Only containers nest: a number inside the 64th array is still at depth 64.
    if ((code === CURLY_OPEN || code === SQUARE_OPEN) && depth > MAX_JSON_DEPTH) {
      this.fail(`nests deeper than ${MAX_JSON_DEPTH} levels`)
    }
    if (code === CURLY_OPEN) {
      this.object(depth)
    } else if (code === SQUARE_OPEN) {
      this.array(depth)
    } else if (code === QUOTE) {
      this.string()
    } else if (!this.skip(NUMBER) && !this.skip(LITERAL)) {
      this.fail('is not valid JSON')
    }
  }

  object(depth: number): void {
    this.position++ // '{'
    const names = new Set<string>()
    this.skipWhitespace()
    if (this.text.charCodeAt(this.position) === CURLY_CLOSE) {
      this.position++
      return
    }
    for (;;) {
      if (this.text.charCodeAt(this.position) !== QUOTE) this.fail('is not valid JSON')
      const name = this.string()
      if (names.has(name)) this.fail(`has a duplicate member name ${JSON.stringify(name)}`)
      names.add(name)
      this.skipWhitespace()
      if (this.text.charCodeAt(this.position) !== COLON) this.fail('is not valid JSON')
      this.position++
      this.skipWhitespace()
      this.value(depth + 1)
      this.skipWhitespace()
      const next = this.text.charCodeAt(this.position++)
      if (next === CURLY_CLOSE) return
      if (next !== COMMA) this.fail('is not valid JSON')
      this.skipWhitespace()
    }
  }

  array(depth: number): void {
    this.position++ // '['
    this.skipWhitespace()
    if (this.text.charCodeAt(this.position) === SQUARE_CLOSE) {
      this.position++
      return
    }
    for (;;) {
      this.value(depth + 1)
      this.skipWhitespace()
      const next = this.text.charCodeAt(this.position++)
      if (next === SQUARE_CLOSE) return
      if (next !== COMMA) this.fail('is not valid JSON')
      this.skipWhitespace()
    }
  }

  /** Reads a string literal and returns its decoded value (needed to compare member names). */
  string(): string {
    const start = this.position
    this.position++ // the opening quote
    let escaped = false
    for (;;) {
      this.skip(UNESCAPED)
      const code = this.text.charCodeAt(this.position)
      if (code === QUOTE) break
      // Anything else here is a control character, the end of the text, or a backslash
      // that does not begin a valid escape.
      if (code !== BACKSLASH || !this.skip(ESCAPE)) this.fail('is not valid JSON')
      escaped = true
    }
    this.position++ // the closing quote
    const literal = this.text.slice(start, this.position)
    if (!escaped) return literal.slice(1, -1)
    // The literal is valid JSON by now; let JSON.parse resolve the escapes, then
    // refuse a "\ud800" that stands alone.
    const decoded = JSON.parse(literal) as string
    if (!decoded.isWellFormed()) this.fail('contains an escaped lone surrogate')
    return decoded
  }
}
