/**
 * Base64url and bytes: canonical base64url (RFC 4648 §5, RFC 7515 §2) in the public
 * `base64url` object and in src/base64url.ts's validator, and the bytes src hands back
 * (src/bytes.ts): exact-size Uint8Arrays that own their whole ArrayBuffer.
 *
 * The validator leans on Node's lenient decoder plus a few O(1) and native checks. Here
 * it is held equal to a slow judge that is obviously right: only the 64 characters, a
 * length never 1 mod 4, and re-encoding gives back the same string (which rules out
 * non-zero spare bits).
 */

import fc from 'fast-check'
import { base64url, decryptCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { decodeBase64url } from '../src/base64url.ts'
import { isAscii, ownedBytes, toBytes } from '../src/bytes.ts'
import { BASE64URL_ALPHABET, b64u, forgeJwe, forgeJws } from './support/forge.ts'
import { thrown } from './support/implementations.ts'

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
  ])(
    'base64url.decode refuses %s with a TypeError explaining canonical base64url',
    (_name, text) => {
      expect(isCanonical(text)).toBe(false)
      const error = thrown(() => base64url.decode(text))
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(/^not canonical base64url \(RFC 7515 §2\)/)
    },
  )

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

  // Node's own errors are TypeErrors too, so the message is what shows the type check ran.
  test.each([
    ['a number', 123],
    ['null', null],
    ['bytes', new Uint8Array([0x41, 0x41, 0x41, 0x41])],
    ['a String object', new String('AAAA')],
    ['an array', ['AAAA']],
  ])('base64url.decode of %s: TypeError "expects a string"', (_case, input) => {
    const error = thrown(() => base64url.decode(input as string))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('base64url.decode expects a string')
  })
})

// Returned bytes are exact-size, unshared Uint8Arrays (README.md, "Public API").
//
// Node hands out Buffers, and small ones are windows into a shared 8 KiB pool: through
// `.buffer` a caller could read or overwrite unrelated memory, and `Buffer` methods
// behave differently from Uint8Array ones (`slice` shares memory). So every byte
// array src returns must be a plain Uint8Array that owns its whole ArrayBuffer, and
// must not be shared with any later call.

const SIGNING_KEY = new Uint8Array(32).fill(1)
const ENCRYPTION_KEY = new Uint8Array(32).fill(2)
// 70,000 bytes make a token over the default 65,536-character cap; raise it for them.
const OPTIONS = { maxTokenLength: 1_000_000 }
const SIZES = [0, 1, 100, 5000, 70_000]

/** Deterministic content that differs at every position. */
function content(size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff
  return bytes
}

function jws(payload: Uint8Array): string {
  return forgeJws(b64u('{"alg":"HS256"}'), b64u(payload), SIGNING_KEY)
}

function jwe(plaintext: Uint8Array): string {
  return forgeJwe(b64u('{"alg":"dir","enc":"A256GCM"}'), plaintext, ENCRYPTION_KEY)
}

function expectOwnedUint8Array(bytes: Uint8Array, expected: Uint8Array): void {
  expect(Buffer.isBuffer(bytes)).toBe(false)
  expect(bytes.constructor).toBe(Uint8Array)
  expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype)
  expect(bytes.byteOffset).toBe(0)
  expect(bytes.length).toBe(expected.length)
  // The whole ArrayBuffer is this array: not a view over Node's pool or a larger block.
  expect(bytes.buffer.byteLength).toBe(bytes.length)
  expect(Buffer.from(bytes.buffer).equals(Buffer.from(expected))).toBe(true)
}

interface Source {
  readonly name: string
  readonly make: (size: number) => () => Uint8Array
}

const SOURCES: readonly Source[] = [
  {
    name: 'base64url.decode',
    make: (size) => {
      const text = b64u(content(size))
      return () => base64url.decode(text)
    },
  },
  {
    name: 'verifyCompact payload',
    make: (size) => {
      const token = jws(content(size))
      return () => verifyCompact(token, SIGNING_KEY, OPTIONS).payload
    },
  },
  {
    name: 'decryptCompact plaintext',
    make: (size) => {
      const token = jwe(content(size))
      return () => decryptCompact(token, ENCRYPTION_KEY, OPTIONS).plaintext
    },
  },
]

const CASES = SOURCES.flatMap((source) => SIZES.map((size) => ({ source, size })))

describe('every function returning bytes returns an owned, exact-size Uint8Array', () => {
  test.each(CASES)('$source.name, $size bytes', ({ source, size }) => {
    const call = source.make(size)
    const first = call()
    expectOwnedUint8Array(first, content(size))

    // Mutating what we got must not leak into the next result.
    first.fill(0xaa)
    const second = call()
    expectOwnedUint8Array(second, content(size))
    if (size > 0) expect(second.buffer).not.toBe(first.buffer)
  })

  test('base64url.decode across the pool threshold (sizes 0 to 9,000)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(0, 1, 4095, 4096, 4097, 8191, 8192, 8193),
          fc.integer({ min: 0, max: 9000 }),
        ),
        (size) => {
          expectOwnedUint8Array(base64url.decode(b64u(content(size))), content(size))
        },
      ),
    )
  })

  test('base64url.encode does not alter its input', () => {
    const input = content(100)
    base64url.encode(input)
    expect(input).toEqual(content(100))
  })
})

// src/bytes.ts `ownedBytes`: Node hands back Buffers that either own their whole
// ArrayBuffer or are windows into a shared pool. The first kind is re-typed in place
// (no copy, and the same memory, which is what lets decryptCompact wipe a refused
// plaintext); the second is copied, so that `.buffer` never exposes a neighbour's
// bytes. Through the API only the first kind reaches it, so mutation testing found
// both branches unpinned; they are tested here directly.

describe('ownedBytes', () => {
  test('a Buffer owning its whole ArrayBuffer is re-typed without a copy', () => {
    const buffer = Buffer.from(new Uint8Array([1, 2, 3, 4, 5]).buffer)
    const bytes = ownedBytes(buffer)
    expectOwnedUint8Array(bytes, buffer)
    expect(bytes.buffer).toBe(buffer.buffer)
  })

  test('an empty Buffer owning its (empty) ArrayBuffer is re-typed as well', () => {
    const buffer = Buffer.from(new ArrayBuffer(0))
    const bytes = ownedBytes(buffer)
    expectOwnedUint8Array(bytes, buffer)
    expect(bytes.buffer).toBe(buffer.buffer)
  })

  test('a window in the middle of a larger buffer is copied, content intact', () => {
    const whole = Buffer.from(new TextEncoder().encode('0123456789abcdef').buffer)
    const bytes = ownedBytes(whole.subarray(4, 9))
    expectOwnedUint8Array(bytes, Buffer.from('45678'))
    expect(bytes.buffer).not.toBe(whole.buffer)
  })

  test('a window at the start of a larger buffer is copied too (offset 0 is not enough)', () => {
    const whole = Buffer.from(new TextEncoder().encode('0123456789abcdef').buffer)
    const window = whole.subarray(0, 3)
    expect(window.byteOffset).toBe(0)
    const bytes = ownedBytes(window)
    expectOwnedUint8Array(bytes, Buffer.from('012'))
    // Writing through the result must not reach the larger buffer.
    bytes[0] = 0x7a
    expect(whole.toString()).toBe('0123456789abcdef')
  })

  test("a small Buffer from Node's shared pool is copied", () => {
    const pooled = Buffer.from('pooled')
    // Buffer.from(string) takes small allocations from an 8 KiB pool.
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength)
    expectOwnedUint8Array(ownedBytes(pooled), Buffer.from('pooled'))
  })
})

describe('toBytes', () => {
  // Through the API its answer goes to Node calls that accept a string as well (and
  // read it as UTF-8), so a toBytes that forgot to encode went unnoticed there.
  test('a string becomes its UTF-8 bytes, astral characters included', () => {
    const bytes = toBytes('é😀', 'payload')
    expect(bytes).toBeInstanceOf(Uint8Array)
    expect([...bytes]).toEqual([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80])
  })

  test('bytes are passed through as they are, not copied', () => {
    const bytes = new Uint8Array([1, 2, 3])
    expect(toBytes(bytes, 'payload')).toBe(bytes)
  })
})

describe('isAscii', () => {
  test.each([
    ['', true],
    ['eyJhbGciOiJIUzI1NiJ9.e30', true],
    ['\u007f', true],
    ['\u0080', false],
    ['é', false],
    ['😀', false],
    ['\ud800', false],
  ])('%j: %s', (text, ascii) => {
    expect(isAscii(text)).toBe(ascii)
  })
})
