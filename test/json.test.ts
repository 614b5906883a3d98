/**
 * Strict JSON (src/json.ts), for JOSE headers and, through the same parser, claims sets
 * (see claims.test.ts): strict UTF-8 with no byte-order mark, a JSON object, no
 * duplicate member names at any depth, well-formed Unicode, nesting at most 64 deep, and
 * nothing but RFC 8259 grammar.
 *
 * Each header text is put in a JWS (with a valid HS256 MAC) and in a JWE (with a valid
 * GCM tag over it), so only the header is at fault. Raw jose is run on the same bytes:
 * it decodes with a fatal TextDecoder that strips a BOM and parses with JSON.parse, so
 * it keeps the last of duplicate names and accepts lone surrogates and any depth.
 * `parseJsonObject` itself is held to the problem it names for each text, on its fast
 * path and on its scanner, so that no grammar corner can be let through silently.
 */

import fc from 'fast-check'
import * as jose from 'jose'
import { decryptCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test, vi } from 'vitest'
import { MAX_JSON_DEPTH, parseJsonObject } from '../src/json.ts'
import { oneEditAway } from './support/arbitraries.ts'
import { b64u, forgeJwe, forgeJws } from './support/forge.ts'
import { ACCEPTED, codeOf } from './support/implementations.ts'

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
  token: (header) => forgeJws(b64u(header), b64u('{"sub":"alice"}'), JWS_KEY),
  src: (token) => verifyCompact(token, JWS_KEY),
  jose: (token) => jose.compactVerify(token, JWS_KEY, { algorithms: ['HS256'] }),
}

const JWE: Kind = {
  name: 'JWE',
  alg: '"alg":"dir","enc":"A256GCM"',
  invalid: 'ERR_JWE_INVALID',
  token: (header) => forgeJwe(b64u(header), 'secret', JWE_KEY, new Uint8Array(12).fill(3)),
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

  test('a string member is accepted exactly when it is well-formed Unicode', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', size: 'max', maxLength: 40 }), async (value) => {
        const token = kind.token(withMember(kind, JSON.stringify(value)))
        const expected = value.isWellFormed() ? ACCEPTED : kind.invalid
        expect(await codeOf(() => kind.src(token))).toBe(expected)
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

// src/json.ts: the strict scanner must refuse every text outside RFC 8259 for the
// right reason, and accept every text inside it, whitespace included. Mutation testing
// found grammar corners no suite reached: a member name that does not open with a
// quote, a missing colon or comma, whitespace inside arrays, `-` with no digits, an
// exponent without a sign, `\u` followed by non-hex, a raw (unescaped) lone surrogate.
// Each is pinned here by the problem `parseJsonObject` reports, and, through
// `verifyCompact`, by the code a header with that text gets: ERR_JWS_INVALID, never a
// SyntaxError escaping from `JSON.parse` after a scanner that let bad text through.

const NOT_JSON = 'is not valid JSON'

/** Texts the scanner must refuse, with the problem it must name. */
const ILL_FORMED: readonly (readonly [string, string])[] = [
  // Member names: a quote must open them, a colon must follow them.
  ['{a":1}', NOT_JSON],
  ['{1":2}', NOT_JSON],
  ['{"a"x1}', NOT_JSON],
  ['{"a",1}', NOT_JSON],
  ['{"a" 1}', NOT_JSON],
  // Separators between members and between elements.
  ['{"a":1;"b":2}', NOT_JSON],
  ['{"a":1 "b":2}', NOT_JSON],
  ['{"a":[1;2]}', NOT_JSON],
  ['{"a":[1 2]}', NOT_JSON],
  // Numbers (RFC 8259 §6).
  ['{"a":-}', NOT_JSON],
  ['{"a":-x}', NOT_JSON],
  ['{"a":-.5}', NOT_JSON],
  ['{"a":1.}', NOT_JSON],
  ['{"a":1.e5}', NOT_JSON],
  ['{"a":1e}', NOT_JSON],
  ['{"a":1e+}', NOT_JSON],
  ['{"a":01}', NOT_JSON],
  // Literals.
  ['{"a":tru}', NOT_JSON],
  ['{"a":nul}', NOT_JSON],
  // Strings (RFC 8259 §7).
  ['{"a":"\\uZZZZ"}', NOT_JSON],
  ['{"a":"\\u12"}', NOT_JSON],
  ['{"a":"\\x"}', NOT_JSON],
  ['{"a":"x', NOT_JSON],
  ['{"a":"x\\', NOT_JSON],
  ['{"a":"\u0001"}', NOT_JSON],
  ['{"a":"\\ud800"}', 'contains an escaped lone surrogate'],
  ['{"\\udc00":1}', 'contains an escaped lone surrogate'],
  // Members and shape.
  ['{"a":1,"a":2}', 'has a duplicate member name "a"'],
  // The fast path counts members against own properties: a one-character string must
  // not count as one property, and duplicates in nested objects and arrays count too.
  ['{"a":1,"a":"x"}', 'has a duplicate member name "a"'],
  ['{"a":{"b":1,"b":2}}', 'has a duplicate member name "b"'],
  ['{"a":[{"b":1,"b":2}]}', 'has a duplicate member name "b"'],
  ['{"a:b":1,"a:b":2}', 'has a duplicate member name "a:b"'],
  ['{"a":{"b":1,"\\u0062":2}}', 'has a duplicate member name "b"'],
  ['{"a":1} x', 'has trailing characters'],
  ['{"a":1}{}', 'has trailing characters'],
  ['[{"a":1}]', 'is not a JSON object'],
  ['"a"', 'is not a JSON object'],
  ['null', 'is not a JSON object'],
  ['1', 'is not a JSON object'],
  ['true', 'is not a JSON object'],
  ['', 'is not a JSON object'],
  [
    `${'{"a":'.repeat(MAX_JSON_DEPTH)}{}${'}'.repeat(MAX_JSON_DEPTH)}`,
    `nests deeper than ${MAX_JSON_DEPTH} levels`,
  ],
  [
    `{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`,
    `nests deeper than ${MAX_JSON_DEPTH} levels`,
  ],
  // Closing brackets inside a string must not lower the depth that follows.
  [
    `{"s":"${']}'.repeat(10)}","a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`,
    `nests deeper than ${MAX_JSON_DEPTH} levels`,
  ],
]

/** Texts inside the grammar: whitespace at every place RFC 8259 §2 allows it, every number form. */
const WELL_FORMED: readonly string[] = [
  '{"a":[ ]}',
  '{"a":[1 ,2 ]}',
  '{"a":[1, 2]}',
  '{"a":[\t1\r\n,\n2\t]}',
  ' { "a" : [ 1 , [ ] , { } ] , "b" : "x" } ',
  '{"a":1e5,"b":1E5,"c":1e+5,"d":1e-5,"e":-0.5E-07,"f":0,"g":-0,"h":10.25}',
  '{"a":true,"b":false,"c":null}',
  // Colons, quotes' neighbours and brackets inside strings are not structure.
  '{"a:b":"c:d","e":"{[:]}","f":":"}',
  '{"__proto__":{"polluted":true},"constructor":1}',
  `{"a":[${Array.from({ length: 100 }, () => '{}').join(',')}]}`,
  '{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}',
  `${'{"a":'.repeat(MAX_JSON_DEPTH - 1)}{}${'}'.repeat(MAX_JSON_DEPTH - 1)}`,
  // Only containers nest: a scalar inside the 64th container is fine.
  `{"a":${'['.repeat(MAX_JSON_DEPTH - 1)}1${']'.repeat(MAX_JSON_DEPTH - 1)}}`,
  `{"s":"${'[{'.repeat(40)}","a":${'['.repeat(MAX_JSON_DEPTH - 1)}"x"${']'.repeat(MAX_JSON_DEPTH - 1)}}`,
]

/**
 * The same text with a member `"\u005f":0` (the name is "_", spelled with an escape)
 * added first. parseJsonObject takes a fast path for text without a backslash; with
 * one, the strict scanner alone decides. Both must give the same verdict: the fast path
 * may only accept what the scanner accepts.
 */
function viaScanner(text: string): string {
  const open = text.indexOf('{')
  if (open === -1) return text
  const empty = /^\s*\}/.test(text.slice(open + 1))
  return `${text.slice(0, open + 1)}"\\u005f":0${empty ? '' : ','}${text.slice(open + 1)}`
}

const PATHS = [
  ['fast path', (text: string): string => text],
  ['scanner', viaScanner],
] as const

describe.each(PATHS)('parseJsonObject (%s) names the right problem', (_path, spell) => {
  test.each(ILL_FORMED)('%j: %s', (text, problem) => {
    expect(parseJsonObject(spell(text))).toEqual({ problem })
  })

  test('a raw lone surrogate (not an escape) is refused as well', () => {
    // UTF-8 cannot carry one, but encodeProtectedHeader and buildClaims hand this parser
    // JS strings, where it can sit unescaped.
    const problem = 'contains a lone surrogate'
    expect(parseJsonObject(spell('{"a":"\ud800"}'))).toEqual({ problem })
    expect(parseJsonObject(spell('{"\udfff":1}'))).toEqual({ problem })
  })

  test.each(WELL_FORMED)('%j is accepted, with the value JSON.parse builds', (text) => {
    expect(parseJsonObject(spell(text))).toEqual({ value: JSON.parse(spell(text)) })
  })
})

/** parseJsonObject's answer, with the `_` member viaScanner adds taken out again. */
function parsedWithoutAdded(text: string, added: boolean): unknown {
  const parsed = parseJsonObject(text)
  if ('problem' in parsed || !added) return parsed
  const { _: _added, ...value } = parsed.value
  return { value }
}

/** A JSON object text with members in the given order, names possibly repeated. */
const objectText = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.string({ unit: 'grapheme-ascii' }).filter((name) => name !== '_'),
        fc.jsonValue({ maxDepth: 3 }),
      ),
      { maxLength: 6 },
    ),
    fc.nat(),
    fc.boolean(),
    fc.constantFrom('', ' ', '\n\t'),
  )
  .map(([members, pick, repeat, space]) => {
    const all = [...members]
    const chosen = members[pick % Math.max(members.length, 1)]
    if (repeat && chosen !== undefined) all.splice(pick % (all.length + 1), 0, chosen)
    const body = all.map(
      ([name, value]) => `${JSON.stringify(name)}${space}:${space}${JSON.stringify(value)}`,
    )
    return `{${space}${body.join(`,${space}`)}${space}}`
  })

/** The same texts with one character inserted, deleted or replaced. */
const nearMiss = oneEditAway(objectText, '{}[]":,\\ 0e-.tnu\u00e9')

test('generated texts: the fast path and the scanner always agree', () => {
  fc.assert(
    fc.property(fc.oneof(objectText, nearMiss), (text) => {
      expect(parsedWithoutAdded(text, false)).toEqual(
        parsedWithoutAdded(viaScanner(text), text.includes('{')),
      )
    }),
  )
})

describe.each([JWS, JWE])(
  'the same texts as a $name header: its Invalid code, never an untyped error',
  (kind) => {
    test.each(ILL_FORMED)('header %j', async (text) => {
      const token = kind.token(new Uint8Array(Buffer.from(text)))
      expect(await codeOf(() => kind.src(token))).toBe(kind.invalid)
    })

    test.each(WELL_FORMED)('header %j with the alg members added is accepted', (text) => {
      const header = text.replace('{', `{${kind.alg},`)
      const result = kind.src(kind.token(new Uint8Array(Buffer.from(header)))) as {
        protectedHeader: unknown
      }
      expect(result.protectedHeader).toEqual(JSON.parse(header))
    })
  },
)

test('the scanner asks JSON.parse to decode only the strings that hold an escape', () => {
  // Every other string is its own value: slicing off the quotes is exact and cheaper.
  // Counting calls, not timing them: one for the escaped name, one to build the value.
  const text = '{"a":"x","b":["y","z"],"c\\n":"w"}'
  const parse = vi.spyOn(JSON, 'parse')
  try {
    expect(parseJsonObject(text)).toEqual({ value: { a: 'x', b: ['y', 'z'], 'c\n': 'w' } })
    expect(parse).toHaveBeenCalledTimes(2)
  } finally {
    parse.mockRestore()
  }
})
