/**
 * Canonical base64url (RFC 4648 §5, RFC 7515 §2): properties of the public
 * `base64url` object and of the fast validator in src/base64url.ts.
 *
 * The fast validator leans on Node's lenient decoder plus a few O(1) and native checks.
 * Here it is held equal to a slow reference that is obviously right: only the 64
 * characters, a length never 1 mod 4, and re-encoding gives back the same string
 * (which rules out non-zero spare bits).
 */

import fc from 'fast-check'
import { base64url } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { decodeBase64url } from '../src/base64url.ts'
import { BASE64URL_ALPHABET } from './support/forge.ts'

/** The slow, obviously correct judge. */
function isCanonical(text: string): boolean {
  return (
    /^[A-Za-z0-9_-]*$/.test(text) &&
    text.length % 4 !== 1 &&
    Buffer.from(text, 'base64url').toString('base64url') === text
  )
}

// Every way Node's decoder is lenient, and then some: the base64 alphabet, padding,
// ASCII and Unicode whitespace, the dot, NUL, 'Ů' (U+016E, low byte 'n'), other
// non-ASCII whose low byte is in the alphabet, an astral character, lone surrogates,
// a BOM and a fullwidth 'A'.
const SPECIALS = [
  '+',
  '/',
  '=',
  ' ',
  '\n',
  '\t',
  '\r',
  '\f',
  '.',
  '\0',
  '\u016e',
  '\u0141',
  '\u00ff',
  '\u0100',
  '\u{1f600}',
  '\ud800',
  '\udc00',
  '\u00a0',
  '\ufeff',
  '\uff21',
]

const alphabetChar = fc.constantFrom(...BASE64URL_ALPHABET)
const mixedChar = fc.oneof(
  { weight: 20, arbitrary: alphabetChar },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIALS) },
)
const BOUNDARY_LENGTHS = [0, 1, 2, 3, 4, 15, 16, 17, 63, 64, 65, 65_535, 65_536]

/** Bytes from a seeded xorshift32 stream: cheap to make in bulk, reproducible from the seed. */
function streamBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  let state = seed | 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[i] = state & 0xff
  }
  return bytes
}

// Length first, boundaries included. fc.uint8Array draws every byte separately, which
// costs seconds for a thousand 64 KiB arrays; above 1 KiB the content comes from a
// seeded stream instead, so the length and the seed still shrink.
const byteArrays = fc
  .oneof(fc.constantFrom(...BOUNDARY_LENGTHS), fc.integer({ min: 0, max: 65_536 }))
  .chain((length) =>
    length <= 1024
      ? fc.uint8Array({ minLength: length, maxLength: length })
      : fc.integer().map((seed) => streamBytes(length, seed)),
  )

/** Byte equality through Buffer.equals: toEqual walks 64 KiB arrays element by element, far too slowly. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  )
}

function agreesWithReference(text: string): void {
  const fast = decodeBase64url(text)
  expect(fast !== undefined, JSON.stringify(text)).toBe(isCanonical(text))
  if (fast !== undefined) expect(sameBytes(fast, Buffer.from(text, 'base64url'))).toBe(true)
}

describe('encode and decode', () => {
  test('round trip on byte arrays of 0 to 64 KiB, with canonical output', () => {
    fc.assert(
      fc.property(byteArrays, (bytes) => {
        const text = base64url.encode(bytes)
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
        expect(text.length).toBe(Math.ceil((bytes.length * 4) / 3))
        expect(isCanonical(text)).toBe(true)
        const decoded = base64url.decode(text)
        expect(decoded.length).toBe(bytes.length)
        expect(sameBytes(decoded, bytes)).toBe(true)
      }),
    )
  })

  test('strings are encoded as their UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', size: 'max', maxLength: 100 }), (text) => {
        expect(base64url.encode(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'))
      }),
    )
    expect(base64url.encode('\u016e')).toBe('xa4')
  })

  test.each([
    ['', []],
    ['AA', [0]],
    ['AAA', [0, 0]],
    ['AAAA', [0, 0, 0]],
    ['QQ', [0x41]],
    ['_w', [0xff]],
    ['__8', [0xff, 0xff]],
    ['____', [0xff, 0xff, 0xff]],
    ['-_-_', [0xfb, 0xff, 0xbf]],
  ])('decode(%j) gives the expected bytes', (text, bytes) => {
    expect(base64url.decode(text)).toEqual(new Uint8Array(bytes))
    expect(base64url.encode(new Uint8Array(bytes))).toBe(text)
  })
})

describe('the fast validator agrees with the reference', () => {
  test('on strings over a mixed alphabet', () => {
    fc.assert(
      fc.property(fc.string({ unit: mixedChar, size: 'max', maxLength: 64 }), agreesWithReference),
    )
  })

  test('on strings of the 64 characters only (length and spare bits decide)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: alphabetChar, size: 'max', maxLength: 64 }),
        agreesWithReference,
      ),
    )
  })

  test('on arbitrary strings, any code unit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', size: 'max', maxLength: 64 }), agreesWithReference),
    )
  })

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: mixedChar }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: mixedChar }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), char: fc.constant('') }),
    fc.record({ kind: fc.constant('append' as const), at: fc.constant(0), char: mixedChar }),
    fc.record({
      kind: fc.constant('spare bits' as const),
      at: fc.integer({ min: 1, max: 15 }),
      char: fc.constant(''),
    }),
  )

  function mutate(text: string, m: { kind: string; at: number; char: string }): string {
    const at = text.length === 0 ? 0 : m.at % text.length
    if (m.kind === 'insert') return text.slice(0, at) + m.char + text.slice(at)
    if (m.kind === 'replace') return text.slice(0, at) + m.char + text.slice(at + 1)
    if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + 1)
    if (m.kind === 'append') return text + m.char
    // Sets some of the low bits of the last character: spare bits when the length is not 0 mod 4.
    if (text.length === 0) return text
    const value = BASE64URL_ALPHABET.indexOf(text.charAt(text.length - 1))
    return text.slice(0, -1) + BASE64URL_ALPHABET.charAt(value ^ (m.at & 0b1111))
  }

  test('on mutations of valid encodings (up to 4 edits)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ size: 'max', maxLength: 48 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (bytes, mutations) => {
          let text = base64url.encode(bytes)
          for (const m of mutations) text = mutate(text, m)
          agreesWithReference(text)
        },
      ),
    )
  })

  test('on one foreign character anywhere in a long valid encoding', () => {
    fc.assert(
      fc.property(byteArrays, fc.nat(), fc.constantFrom(...SPECIALS), (bytes, at, char) => {
        const text = base64url.encode(bytes)
        const where = text.length === 0 ? 0 : at % text.length
        agreesWithReference(text.slice(0, where) + char + text.slice(where))
      }),
    )
  })
})

describe('decoding is canonical', () => {
  test('encode(decode(s)) === s for every accepted s', () => {
    fc.assert(
      fc.property(fc.string({ unit: mixedChar, size: 'max', maxLength: 64 }), (text) => {
        const bytes = decodeBase64url(text)
        if (bytes !== undefined) expect(base64url.encode(bytes)).toBe(text)
      }),
    )
  })

  test('base64url.decode throws a TypeError for every non-canonical string', () => {
    fc.assert(
      fc.property(fc.string({ unit: mixedChar, size: 'max', maxLength: 64 }), (text) => {
        if (isCanonical(text)) expect(() => base64url.decode(text)).not.toThrow()
        else expect(() => base64url.decode(text)).toThrow(TypeError)
      }),
    )
  })

  test.each([
    ['length 1 mod 4', 'A'],
    ['padding', 'QQ=='],
    ['one pad', 'QUI='],
    ['a space', 'QU I'],
    ['a line feed at the end', 'QUI\n'],
    ["'+'", '+_8'],
    ["'/'", '_/8'],
    ['non-zero spare bits (2 chars)', 'QR'],
    ['non-zero spare bits (3 chars)', 'QUJ'],
    ["'Ů' for 'n'", 'b\u016e'],
    // U+0080..U+00FF: one byte each inside V8, so only Node's decoder skipping them
    // (and the length count noticing) stands between them and acceptance.
    ["'Ã' (U+00C3) in a quantum", 'QUJD\u00c3A'],
    ["'\u00ff' at the end", 'QUJ\u00ff'],
    ["'\u0080' in front", '\u0080QUJD'],
    ["'ÿ' in place of a valid last char", 'QUJDRA\u00ff'],
    ['NUL', 'QU\0I'],
    ['a dot', 'QU.I'],
    ['a lone surrogate', 'QU\ud800'],
    ['an astral character', 'Q\u{1f600}'],
  ])('base64url.decode refuses %s with a TypeError', (_name, text) => {
    expect(isCanonical(text)).toBe(false)
    expect(() => base64url.decode(text)).toThrow(TypeError)
  })

  test('every code unit from U+0080 to U+00FF, anywhere in a segment, is refused', () => {
    // The decoder's guard for these relies on Node skipping them: check all 128, at
    // each position of a canonical 8-character segment.
    const canonical = 'QUJDREVG'
    for (let code = 0x80; code <= 0xff; code++) {
      for (let at = 0; at <= canonical.length; at++) {
        const text = canonical.slice(0, at) + String.fromCharCode(code) + canonical.slice(at)
        expect(decodeBase64url(text), `U+00${code.toString(16)} at ${at}`).toBeUndefined()
      }
    }
  })

  test('base64url.decode of a non-string is a TypeError', () => {
    expect(() => base64url.decode(123 as unknown as string)).toThrow(TypeError)
    expect(() => base64url.decode(null as unknown as string)).toThrow(TypeError)
  })
})
