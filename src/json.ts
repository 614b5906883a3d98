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
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39

/** The characters that may follow a backslash, other than 'u' (RFC 8259 §7). */
const SIMPLE_ESCAPES: ReadonlySet<number> = new Set([
  QUOTE,
  BACKSLASH,
  0x2f, // '/'
  0x62, // 'b'
  0x66, // 'f'
  0x6e, // 'n'
  0x72, // 'r'
  0x74, // 't'
])

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9
}

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

  skipWhitespace(): void {
    // RFC 8259 §2: space, horizontal tab, line feed, carriage return. Nothing else.
    const text = this.text
    let i = this.position
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break
    }
    this.position = i
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
    } else if (code === MINUS || isDigit(code)) {
      this.number()
    } else {
      this.literal()
    }
  }

  literal(): void {
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length
        return
      }
    }
    this.fail('is not valid JSON')
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
    const text = this.text
    const start = this.position
    let i = start + 1
    let escaped = false
    for (;;) {
      if (i >= text.length) this.fail('is not valid JSON')
      const code = text.charCodeAt(i)
      if (code === QUOTE) break
      // RFC 8259 §7: control characters must be escaped.
      if (code < 0x20) this.fail('is not valid JSON')
      if (code === BACKSLASH) {
        escaped = true
        const next = text.charCodeAt(i + 1)
        if (next === 0x75 /* u */) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) this.fail('is not valid JSON')
          i += 6
          continue
        }
        // \" \\ \/ \b \f \n \r \t (past the end, `next` is NaN: not in the set either)
        if (!SIMPLE_ESCAPES.has(next)) this.fail('is not valid JSON')
        i += 2
        continue
      }
      i++
    }
    this.position = i + 1
    const literal = text.slice(start, i + 1)
    if (!escaped) return literal.slice(1, -1)
    // The literal is valid JSON by now; let JSON.parse resolve the escapes, then
    // refuse a "\ud800" that stands alone.
    const decoded = JSON.parse(literal) as string
    if (!decoded.isWellFormed()) this.fail('contains an escaped lone surrogate')
    return decoded
  }

  number(): void {
    // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    const text = this.text
    let i = this.position
    if (text.charCodeAt(i) === MINUS) i++
    if (text.charCodeAt(i) === DIGIT_0) {
      i++
    } else if (isDigit(text.charCodeAt(i))) {
      while (isDigit(text.charCodeAt(i))) i++
    } else {
      this.fail('is not valid JSON')
    }
    if (text.charCodeAt(i) === DOT) {
      i++
      if (!isDigit(text.charCodeAt(i))) this.fail('is not valid JSON')
      while (isDigit(text.charCodeAt(i))) i++
    }
    const e = text.charCodeAt(i)
    if (e === 0x65 || e === 0x45) {
      i++
      const sign = text.charCodeAt(i)
      if (sign === PLUS || sign === MINUS) i++
      if (!isDigit(text.charCodeAt(i))) this.fail('is not valid JSON')
      while (isDigit(text.charCodeAt(i))) i++
    }
    this.position = i
  }
}
