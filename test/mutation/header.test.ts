/**
 * src/header.ts: the JOSE Header on both sides.
 *
 * Receiving: `crit` must be a non-empty array of non-empty strings (anything else is
 * Invalid, not NotSupported), and a rejection names the header and what is wrong with
 * it. Sending: signCompact and encryptCompact refuse to emit a header their own
 * verifier would refuse (`crit`, a lone surrogate, something that is not a JSON
 * object). Mutation testing found the sending side untested for all three, and `crit`
 * lists with one bad entry among good ones never tried.
 */

import {
  decryptCompact,
  encryptCompact,
  type JWEHeader,
  type JWSHeader,
  signCompact,
  verifyCompact,
} from 'jose-by-hand'
import { describe, expect, test, vi } from 'vitest'
import { b64u, forgeJwe, forgeJws } from '../support/forge.ts'
import { thrown } from '../support/implementations.ts'

const JWS_KEY = new Uint8Array(32).fill(1)
const JWE_KEY = new Uint8Array(32).fill(2)

interface Layer {
  readonly label: 'JWS Protected Header' | 'JWE Protected Header'
  readonly invalid: 'ERR_JWS_INVALID' | 'ERR_JWE_INVALID'
  /** The registered members that make a header usable on this layer. */
  readonly base: Readonly<Record<string, string>>
  /** Verifies or decrypts a token whose header segment is exactly `segment`. */
  readonly receive: (segment: string) => unknown
  /** Signs or encrypts with this header. */
  readonly send: (header: object) => string
}

const LAYERS: readonly Layer[] = [
  {
    label: 'JWS Protected Header',
    invalid: 'ERR_JWS_INVALID',
    base: { alg: 'HS256' },
    receive: (segment) => verifyCompact(forgeJws(segment, b64u('payload'), JWS_KEY), JWS_KEY),
    send: (header) => signCompact('payload', JWS_KEY, header as JWSHeader),
  },
  {
    label: 'JWE Protected Header',
    invalid: 'ERR_JWE_INVALID',
    base: { alg: 'dir', enc: 'A256GCM' },
    receive: (segment) => decryptCompact(forgeJwe(segment, 'plaintext', JWE_KEY), JWE_KEY),
    send: (header) => encryptCompact('plaintext', JWE_KEY, header as JWEHeader),
  },
]

/** The code and message of the error `action` throws; fails the test if it returns. */
function rejection(action: () => unknown): { code: unknown; message: string } {
  const error = thrown(action)
  return { code: error.code, message: error.message }
}

describe.each(LAYERS)('$label', (layer) => {
  const text = (members: object): string => JSON.stringify({ ...layer.base, ...members })

  describe('received', () => {
    test.each([[['exp', 5]], [['exp', '']], [[5, 'exp']], [['exp', null]]])(
      'crit %j with one malformed entry among good ones: Invalid, not NotSupported',
      (crit) => {
        expect(rejection(() => layer.receive(b64u(text({ crit, exp: 1 }))))).toEqual({
          code: layer.invalid,
          message: '"crit" Header Parameter must be a non-empty array of non-empty strings',
        })
      },
    )

    test('a well-formed crit names the first extension it does not support', () => {
      expect(rejection(() => layer.receive(b64u(text({ crit: ['exp', 'nbf'], exp: 1 }))))).toEqual({
        code: 'ERR_JOSE_NOT_SUPPORTED',
        message: 'extension Header Parameter "exp" listed in "crit" is not supported',
      })
    })

    test.each([
      ['padding', `${b64u(text({}))}=`, 'is not canonical base64url'],
      ['a byte-order mark', b64u(`\ufeff${text({})}`), 'is not UTF-8 without a byte-order mark'],
      [
        'invalid UTF-8',
        b64u(Buffer.from([0x7b, 0xff, 0x7d])),
        'is not UTF-8 without a byte-order mark',
      ],
      [
        'duplicate names',
        b64u(`${text({}).slice(0, -1)},"kid":"a","kid":"b"}`),
        'has a duplicate member name "kid"',
      ],
      ['an array', b64u(`[${text({})}]`), 'is not a JSON object'],
    ])(
      '%s: Invalid, and the message names the header and the problem',
      (_case, segment, problem) => {
        expect(rejection(() => layer.receive(segment))).toEqual({
          code: layer.invalid,
          message: `${layer.label} ${problem}`,
        })
      },
    )
  })

  describe('sent: never a header this module would refuse on receipt', () => {
    test('a well-formed crit: NotSupported, and no token', () => {
      expect(rejection(() => layer.send({ ...layer.base, crit: ['exp'], exp: 1 })).code).toBe(
        'ERR_JOSE_NOT_SUPPORTED',
      )
    })

    test.each([[[]], [['']], [['exp', 5]], ['exp']])('a malformed crit %j: Invalid', (crit) => {
      expect(rejection(() => layer.send({ ...layer.base, crit, exp: 1 })).code).toBe(layer.invalid)
    })

    test('a lone surrogate in a member: Invalid, with the problem named', () => {
      expect(rejection(() => layer.send({ ...layer.base, kid: 'key-\ud800' }))).toEqual({
        code: layer.invalid,
        message: `${layer.label} contains an escaped lone surrogate`,
      })
    })

    test('64 levels of nesting are sent; 65 are refused as Invalid, with the problem named', () => {
      let value: unknown = {}
      for (let level = 2; level < 64; level++) value = [value]
      expect(() => layer.send({ ...layer.base, x: value })).not.toThrow()
      expect(rejection(() => layer.send({ ...layer.base, x: [value] }))).toEqual({
        code: layer.invalid,
        message: `${layer.label} nests deeper than 64 levels`,
      })
    })

    test('65 levels of objects only (no array at all) are refused too', () => {
      let value: Record<string, unknown> = {}
      for (let level = 2; level < 65; level++) value = { x: value }
      expect(rejection(() => layer.send({ ...layer.base, x: value })).code).toBe(layer.invalid)
    })

    test('brackets inside strings are not nesting', () => {
      expect(() => layer.send({ ...layer.base, kid: '['.repeat(100) })).not.toThrow()
    })

    test('a header that serialises to nothing (toJSON returns undefined): Invalid', () => {
      const header = { ...layer.base, toJSON: (): undefined => undefined }
      expect(rejection(() => layer.send(header))).toEqual({
        code: layer.invalid,
        message: `${layer.label} must be a JSON object`,
      })
    })

    test.each([
      ['an array', [{ alg: 'HS256' }]],
      ['a string', '{"alg":"HS256"}'],
      ['a number', 5],
      ['null', null],
    ])('a header that serialises to %s: Invalid, "must be a JSON object"', (_what, json) => {
      // Refused before the strict parser, whose own wording ("is not a JSON object")
      // describes received text rather than the caller's mistake.
      const header = { ...layer.base, toJSON: (): unknown => json }
      expect(rejection(() => layer.send(header))).toEqual({
        code: layer.invalid,
        message: `${layer.label} must be a JSON object`,
      })
    })
  })
})
