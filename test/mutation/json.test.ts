/**
 * src/json.ts: the strict scanner must refuse every text outside RFC 8259 for the
 * right reason, and accept every text inside it, whitespace included. Mutation testing
 * found grammar corners no suite reached: a member name that does not open with a
 * quote, a missing colon or comma, whitespace inside arrays, `-` with no digits, an
 * exponent without a sign, `\u` followed by non-hex, a raw (unescaped) lone surrogate.
 * Each is pinned here by the problem `parseJsonObject` reports, and, through
 * `verifyCompact`, by the code a header with that text gets: ERR_JWS_INVALID, never a
 * SyntaxError escaping from `JSON.parse` after a scanner that let bad text through.
 */

import fc from 'fast-check'
import { verifyCompact } from 'jose-by-hand'
import { describe, expect, test, vi } from 'vitest'
import { MAX_JSON_DEPTH, parseJsonObject } from '../../src/json.ts'
import { forgeJws, segmentOfText } from '../support/forge.ts'
import { codeOf } from '../support/implementations.ts'

const NOT_JSON = 'is not valid JSON'

/** Texts the scanner must refuse, with the problem it must name. */
const REFUSED: readonly (readonly [string, string])[] = [
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
const ACCEPTED: readonly string[] = [
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
  test.each(REFUSED)('%j: %s', (text, problem) => {
    expect(parseJsonObject(spell(text))).toEqual({ problem })
  })

  test('a raw lone surrogate (not an escape) is refused as well', () => {
    // UTF-8 cannot carry one, but encodeProtectedHeader and buildClaims hand this parser
    // JS strings, where it can sit unescaped.
    const problem = 'contains a lone surrogate'
    expect(parseJsonObject(spell('{"a":"\ud800"}'))).toEqual({ problem })
    expect(parseJsonObject(spell('{"\udfff":1}'))).toEqual({ problem })
  })

  test.each(ACCEPTED)('%j is accepted, with the value JSON.parse builds', (text) => {
    expect(parseJsonObject(spell(text))).toEqual({ value: JSON.parse(spell(text)) })
  })
})

/** parseJsonObject's verdict, with the `_` member viaScanner adds taken out again. */
function verdict(text: string, added: boolean): unknown {
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
const nearMiss = fc
  .tuple(
    objectText,
    fc.nat(),
    fc.constantFrom(...'{}[]":,\\ 0e-.tnu\u00e9'),
    fc.constantFrom('insert', 'delete', 'replace'),
  )
  .map(([text, at, char, edit]) => {
    const i = at % (text.length + 1)
    if (edit === 'insert') return text.slice(0, i) + char + text.slice(i)
    if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1)
    return text.slice(0, i) + char + text.slice(i + 1)
  })

test('generated texts: the fast path and the scanner always agree', () => {
  fc.assert(
    fc.property(fc.oneof(objectText, nearMiss), (text) => {
      expect(verdict(text, false)).toEqual(verdict(viaScanner(text), text.includes('{')))
    }),
  )
})

describe('the same texts as a JWS header: ERR_JWS_INVALID, never an untyped error', () => {
  const key = new Uint8Array(32).fill(7)
  const payload = segmentOfText('{}')

  test.each(REFUSED)('header %j', async (text) => {
    const token = forgeJws(segmentOfText(text), payload, key)
    expect(await codeOf(() => verifyCompact(token, key))).toBe('ERR_JWS_INVALID')
  })

  test.each(ACCEPTED)('header %j with "alg" added is accepted', (text) => {
    const header = text.replace('{', '{"alg":"HS256",')
    const token = forgeJws(segmentOfText(header), payload, key)
    expect(verifyCompact(token, key).protectedHeader).toEqual(JSON.parse(header))
  })
})

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
