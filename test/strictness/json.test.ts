/**
 * Strict JSON for JOSE headers (issue 2 §3 "Headers and claims"): strict UTF-8 with no
 * byte-order mark, a JSON object, no duplicate member names at any depth, well-formed
 * Unicode, nesting at most 64 deep, and nothing but RFC 8259 grammar.
 *
 * Each header text is put in a JWS (with a valid HS256 MAC) and in a JWE (with a valid
 * GCM tag over it), so only the header is at fault. Raw jose is run on the same bytes:
 * it decodes with a fatal TextDecoder that strips a BOM and parses with JSON.parse, so
 * it keeps the last of duplicate names and accepts lone surrogates and any depth.
 * The claims set gets the same parser: see claims.test.ts.
 */

import { createCipheriv, createHmac } from 'node:crypto'
import fc from 'fast-check'
import * as jose from 'jose'
import { decryptCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { b64u } from '../support/forge.ts'
import { ACCEPTED, codeOf } from '../support/implementations.ts'

const JWS_KEY = new Uint8Array(32).fill(1)
const JWE_KEY = new Uint8Array(32).fill(2)

interface Kind {
  readonly name: 'JWS' | 'JWE'
  /** The registered members that make the header usable, spliced in where a case says ALG. */
  readonly alg: string
  readonly invalid: string
  /** A token carrying `header` bytes, authenticated over exactly that spelling. */
  readonly token: (header: Uint8Array) => string
  readonly src: (token: string) => unknown
  readonly jose: (token: string) => Promise<unknown>
}

const JWS: Kind = {
  name: 'JWS',
  alg: '"alg":"HS256"',
  invalid: 'ERR_JWS_INVALID',
  token(header) {
    const signingInput = `${b64u(header)}.${b64u('{"sub":"alice"}')}`
    return `${signingInput}.${createHmac('sha256', JWS_KEY).update(signingInput).digest('base64url')}`
  },
  src: (token) => verifyCompact(token, JWS_KEY),
  jose: (token) => jose.compactVerify(token, JWS_KEY, { algorithms: ['HS256'] }),
}

const JWE: Kind = {
  name: 'JWE',
  alg: '"alg":"dir","enc":"A256GCM"',
  invalid: 'ERR_JWE_INVALID',
  token(header) {
    const headerSegment = b64u(header)
    const iv = new Uint8Array(12).fill(3)
    const cipher = createCipheriv('aes-256-gcm', JWE_KEY, iv, { authTagLength: 16 })
    cipher.setAAD(Buffer.from(headerSegment))
    const ciphertext = Buffer.concat([cipher.update('secret'), cipher.final()])
    return [headerSegment, '', b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.')
  },
  src: (token) => decryptCompact(token, JWE_KEY),
  jose: (token) =>
    jose.compactDecrypt(token, JWE_KEY, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }),
}

type Expected = 'accepted' | 'invalid'

interface HeaderCase {
  readonly name: string
  /** Header bytes; the text 'ALG' stands for the kind's alg (and enc) members. */
  readonly bytes: (alg: string) => Uint8Array
  readonly src: Expected
  readonly jose: Expected
}

/** UTF-8 of `template` with ALG filled in. */
function text(template: string): (alg: string) => Uint8Array {
  return (alg) => new Uint8Array(Buffer.from(template.replaceAll('ALG', alg), 'utf8'))
}

/** `before`, then raw bytes (not UTF-8 of anything), then `after`. */
function raw(before: string, bytes: number[], after: string): (alg: string) => Uint8Array {
  return (alg) =>
    new Uint8Array(
      Buffer.concat([
        Buffer.from(before.replaceAll('ALG', alg)),
        Buffer.from(bytes),
        Buffer.from(after.replaceAll('ALG', alg)),
      ]),
    )
}

// Nesting depth counts containers: '{ALG,"x":[[]]}' is 3 deep, and so is '{ALG,"x":[[1]]}'.
function nestedArrays(depth: number, innermost = ''): string {
  return `{ALG,"x":${'['.repeat(depth)}${innermost}${']'.repeat(depth)}}`
}

function nestedObjects(depth: number): string {
  return `{ALG,"x":${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}}`
}

function both(expected: Expected): { src: Expected; jose: Expected } {
  return { src: expected, jose: expected }
}

const STRICT_ONLY = { src: 'invalid', jose: 'accepted' } as const

const CASES: readonly HeaderCase[] = [
  // Controls: strict, but still JSON. The scanner must not refuse these.
  { name: 'a plain object', bytes: text('{ALG}'), ...both('accepted') },
  {
    name: 'JSON whitespace with CRLF (as RFC 7515 A.1)',
    bytes: text('\r\n {\r\n ALG\t}\n'),
    ...both('accepted'),
  },
  { name: 'an escaped NUL', bytes: text('{ALG,"x":"\\u0000"}'), ...both('accepted') },
  {
    name: 'every short escape',
    bytes: text('{ALG,"x":"\\"\\\\\\/\\b\\f\\n\\r\\t"}'),
    ...both('accepted'),
  },
  {
    name: 'an escaped surrogate pair',
    bytes: text('{ALG,"x":"\\ud83d\\ude00"}'),
    ...both('accepted'),
  },
  { name: 'a raw astral character', bytes: text('{ALG,"x":"\u{1f600}"}'), ...both('accepted') },
  {
    name: 'one name in sibling objects',
    bytes: text('{ALG,"x":{"a":1},"y":{"a":1}}'),
    ...both('accepted'),
  },
  {
    name: 'one name in array elements',
    bytes: text('{ALG,"x":[{"a":1},{"a":1}]}'),
    ...both('accepted'),
  },
  { name: 'names differing only in case', bytes: text('{ALG,"a":1,"A":2}'), ...both('accepted') },
  {
    name: 'numbers 1e400, -0, 1E+2, 0.5e-3',
    bytes: text('{ALG,"x":[1e400,-0,1E+2,0.5e-3]}'),
    ...both('accepted'),
  },
  {
    name: 'literals true, false, null',
    bytes: text('{ALG,"x":[true,false,null]}'),
    ...both('accepted'),
  },
  {
    name: 'a __proto__ member',
    bytes: text('{ALG,"__proto__":{"polluted":1}}'),
    ...both('accepted'),
  },
  {
    name: 'nesting depth 64 (arrays, the innermost empty)',
    bytes: text(nestedArrays(63)),
    ...both('accepted'),
  },
  {
    name: 'nesting depth 64 (arrays, a number innermost)',
    bytes: text(nestedArrays(63, '1')),
    ...both('accepted'),
  },
  {
    name: 'nesting depth 64 (objects, a number innermost)',
    bytes: text(nestedObjects(63)),
    ...both('accepted'),
  },

  // RFC 8259 §8.1 and RFC 3629: strict UTF-8, no BOM.
  { name: 'a UTF-8 BOM', bytes: raw('', [0xef, 0xbb, 0xbf], '{ALG}'), ...STRICT_ONLY },
  { name: 'byte 0xFF', bytes: raw('{ALG,"x":"', [0xff], '"}'), ...both('invalid') },
  { name: 'a lone continuation byte', bytes: raw('{ALG,"x":"', [0x80], '"}'), ...both('invalid') },
  {
    name: 'a truncated 3-byte sequence',
    bytes: raw('{ALG,"x":"', [0xe2, 0x82], '"}'),
    ...both('invalid'),
  },
  {
    name: "an overlong '/' (C0 AF)",
    bytes: raw('{ALG,"x":"', [0xc0, 0xaf], '"}'),
    ...both('invalid'),
  },
  {
    name: "an overlong '/' (E0 80 AF)",
    bytes: raw('{ALG,"x":"', [0xe0, 0x80, 0xaf], '"}'),
    ...both('invalid'),
  },
  {
    name: "an overlong '\"' (C0 A2)",
    bytes: raw('{ALG,"x":"', [0xc0, 0xa2], '}'),
    ...both('invalid'),
  },
  {
    name: 'a UTF-8-encoded surrogate (CESU)',
    bytes: raw('{ALG,"x":"', [0xed, 0xa0, 0x80], '"}'),
    ...both('invalid'),
  },
  {
    name: 'a code point above U+10FFFF',
    bytes: raw('{ALG,"x":"', [0xf4, 0x90, 0x80, 0x80], '"}'),
    ...both('invalid'),
  },

  // RFC 7515 §4 / RFC 7516 §4: the header is a JSON object.
  { name: 'an array', bytes: text('[{ALG}]'), ...both('invalid') },
  { name: 'a string', bytes: text('"ALG"'), ...both('invalid') },
  { name: 'null', bytes: text('null'), ...both('invalid') },
  { name: 'a number', bytes: text('1'), ...both('invalid') },
  { name: 'true', bytes: text('true'), ...both('invalid') },
  { name: 'nothing', bytes: text(''), ...both('invalid') },
  { name: 'only whitespace', bytes: text(' \n'), ...both('invalid') },

  // RFC 7515 §5.2 step 4, RFC 8259 §4: duplicate names, at any depth, compared after unescaping.
  { name: 'a duplicate top-level name', bytes: text('{ALG,"x":1,"x":2}'), ...STRICT_ONLY },
  { name: 'the alg members twice', bytes: text('{ALG,ALG}'), ...STRICT_ONLY },
  {
    name: 'a duplicate in a nested object',
    bytes: text('{ALG,"x":{"a":1,"a":2}}'),
    ...STRICT_ONLY,
  },
  { name: 'a duplicate inside an array', bytes: text('{ALG,"x":[{"a":1,"a":1}]}'), ...STRICT_ONLY },
  {
    name: 'a duplicate 10 levels down',
    bytes: text(`{ALG,"x":${'{"y":'.repeat(9)}{"a":1,"a":1}${'}'.repeat(9)}}`),
    ...STRICT_ONLY,
  },
  { name: '"a" and "\\u0061"', bytes: text('{ALG,"a":1,"\\u0061":2}'), ...STRICT_ONLY },
  { name: '"\\u0041" twice', bytes: text('{ALG,"\\u0041":1,"\\u0041":2}'), ...STRICT_ONLY },
  { name: '"é" and "\\u00e9"', bytes: text('{ALG,"é":1,"\\u00e9":2}'), ...STRICT_ONLY },
  { name: '"a/b" and "a\\/b"', bytes: text('{ALG,"a/b":1,"a\\/b":2}'), ...STRICT_ONLY },

  // RFC 8259 §8.2: strings must be well-formed Unicode; escapes can smuggle lone surrogates.
  { name: 'an escaped lone high surrogate', bytes: text('{ALG,"x":"\\ud800"}'), ...STRICT_ONLY },
  { name: 'an escaped lone low surrogate', bytes: text('{ALG,"x":"\\udc00"}'), ...STRICT_ONLY },
  { name: 'a lone surrogate in a member name', bytes: text('{ALG,"\\uD800":1}'), ...STRICT_ONLY },
  { name: 'a reversed surrogate pair', bytes: text('{ALG,"x":"\\udc00\\ud800"}'), ...STRICT_ONLY },
  { name: 'a high surrogate at the end', bytes: text('{ALG,"x":"ab\\ud83d"}'), ...STRICT_ONLY },
  {
    name: 'a high surrogate before a non-surrogate',
    bytes: text('{ALG,"x":"\\ud83d\\u0041"}'),
    ...STRICT_ONLY,
  },
  {
    name: 'a lone surrogate deep in an array',
    bytes: text('{ALG,"x":[[["\\udfff"]]]}'),
    ...STRICT_ONLY,
  },

  // RFC 8259 §9: a parser may limit depth; src allows 64 (src/json.ts MAX_JSON_DEPTH).
  {
    name: 'nesting depth 65 (arrays, the innermost empty)',
    bytes: text(nestedArrays(64)),
    ...STRICT_ONLY,
  },
  {
    name: 'nesting depth 65 (arrays, a string innermost)',
    bytes: text(nestedArrays(64, '"a"')),
    ...STRICT_ONLY,
  },
  { name: 'nesting depth 65 (objects)', bytes: text(nestedObjects(64)), ...STRICT_ONLY },
  { name: 'nesting depth 10,001', bytes: text(nestedArrays(10_000)), ...STRICT_ONLY },

  // RFC 8259 grammar: JSON.parse is strict here too, so both refuse.
  { name: 'a trailing comma', bytes: text('{ALG,}'), ...both('invalid') },
  { name: 'single quotes', bytes: text("{ALG,'x':1}"), ...both('invalid') },
  { name: 'a comment', bytes: text('{ALG/* hi */}'), ...both('invalid') },
  { name: 'an unquoted name', bytes: text('{ALG,x:1}'), ...both('invalid') },
  { name: 'NaN', bytes: text('{ALG,"x":NaN}'), ...both('invalid') },
  { name: 'Infinity', bytes: text('{ALG,"x":Infinity}'), ...both('invalid') },
  { name: 'a leading zero', bytes: text('{ALG,"x":01}'), ...both('invalid') },
  { name: 'a plus sign', bytes: text('{ALG,"x":+1}'), ...both('invalid') },
  { name: 'a bare fraction', bytes: text('{ALG,"x":.5}'), ...both('invalid') },
  { name: 'a trailing dot', bytes: text('{ALG,"x":1.}'), ...both('invalid') },
  { name: 'an empty exponent', bytes: text('{ALG,"x":1e}'), ...both('invalid') },
  { name: 'hex', bytes: text('{ALG,"x":0x10}'), ...both('invalid') },
  { name: 'True', bytes: text('{ALG,"x":True}'), ...both('invalid') },
  { name: 'a raw tab in a string', bytes: text('{ALG,"x":"a\tb"}'), ...both('invalid') },
  { name: 'a raw NUL in a string', bytes: text('{ALG,"x":"a\0b"}'), ...both('invalid') },
  { name: 'a raw line feed in a string', bytes: text('{ALG,"x":"a\nb"}'), ...both('invalid') },
  { name: 'an unknown escape', bytes: text('{ALG,"x":"\\x41"}'), ...both('invalid') },
  { name: 'a short \\u escape', bytes: text('{ALG,"x":"\\u12"}'), ...both('invalid') },
  { name: 'a backslash at the end of the text', bytes: text('{ALG,"x":"\\'), ...both('invalid') },
  { name: 'an unterminated string', bytes: text('{ALG,"x":"abc}'), ...both('invalid') },
  { name: 'a missing colon', bytes: text('{ALG,"x" 1}'), ...both('invalid') },
  { name: 'a missing value', bytes: text('{ALG,"x":}'), ...both('invalid') },
  { name: 'an unclosed object', bytes: text('{ALG'), ...both('invalid') },
  { name: 'trailing characters', bytes: text('{ALG}x'), ...both('invalid') },
  { name: 'two objects', bytes: text('{ALG}{}'), ...both('invalid') },
  { name: 'a trailing NUL', bytes: text('{ALG}\0'), ...both('invalid') },
  { name: 'a no-break space as whitespace', bytes: text('\u00a0{ALG}'), ...both('invalid') },
  { name: 'a vertical tab as whitespace', bytes: text('\v{ALG}'), ...both('invalid') },
  { name: 'a form feed as whitespace', bytes: text('{ALG\f}'), ...both('invalid') },
  { name: 'a BOM character after whitespace', bytes: text(' \ufeff{ALG}'), ...both('invalid') },
]

function expectedCode(kind: Kind, expected: Expected): string {
  return expected === 'accepted' ? ACCEPTED : kind.invalid
}

describe.each([JWS, JWE])('$name Protected Header', (kind) => {
  test.each(CASES)('$name', async (header) => {
    const token = kind.token(header.bytes(kind.alg))
    expect({
      src: await codeOf(() => kind.src(token)),
      jose: await codeOf(() => kind.jose(token)),
    }).toEqual({ src: expectedCode(kind, header.src), jose: expectedCode(kind, header.jose) })
  })

  test('a duplicate alg: jose keeps the last value, which is how parser differentials start', async () => {
    const first = kind.name === 'JWS' ? '"alg":"none"' : '"alg":"A256KW"'
    const token = kind.token(text(`{${first},ALG}`)(kind.alg))
    expect(await codeOf(() => kind.src(token))).toBe(kind.invalid)
    const { protectedHeader } = (await kind.jose(token)) as { protectedHeader: { alg: string } }
    expect(protectedHeader.alg).toBe(kind.name === 'JWS' ? 'HS256' : 'dir')
  })
})

/** The header of `kind` with one extra member `x` holding `json`. */
function withMember(kind: Kind, json: string): Uint8Array {
  return new Uint8Array(Buffer.from(`{${kind.alg},"x":${json}}`))
}

describe.each([JWS, JWE])('strict JSON properties on a $name header', (kind) => {
  test('any JSON value of well-formed strings, up to depth 10, is accepted and read back as JSON.parse reads it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10, stringUnit: 'grapheme' }), (value) => {
        const json = JSON.stringify(value)
        const result = kind.src(kind.token(withMember(kind, json))) as {
          protectedHeader: { x: unknown }
        }
        expect(result.protectedHeader.x).toStrictEqual(JSON.parse(json))
      }),
    )
  })

  test('a string member is accepted exactly when it is well-formed Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', size: 'max', maxLength: 40 }), (value) => {
        const token = kind.token(withMember(kind, JSON.stringify(value)))
        const outcome = (() => {
          try {
            kind.src(token)
            return ACCEPTED
          } catch (error) {
            return (error as { code?: string }).code
          }
        })()
        expect(outcome).toBe(value.isWellFormed() ? ACCEPTED : kind.invalid)
      }),
    )
  })

  test('a duplicate name spliced into any object at depth 2 is refused', () => {
    const objectWithAName = fc
      .dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), {
        minKeys: 1,
      })
      .chain((object) => fc.tuple(fc.constant(object), fc.constantFrom(...Object.keys(object))))
    fc.assert(
      fc.property(objectWithAName, ([object, name]) => {
        // '{"name":0,' + the rest: the same name now appears twice in one object.
        const json = `{${JSON.stringify(name)}:0,${JSON.stringify(object).slice(1)}`
        expect(() => kind.src(kind.token(withMember(kind, json)))).toThrow(
          expect.objectContaining({ code: kind.invalid }),
        )
      }),
    )
  })
})
