/**
 * The malformed and malicious token corpus's harness (RFC 7515–7519, RFC 8725): tokens
 * built by hand on the forging kit, each fed to every verify/decrypt entry point of src
 * with the code each one must give. The rows live with their subjects (header, JWS,
 * claims, JWE, nested); `expectCorpus` runs a subject's rows.
 *
 * Where a token is authentic (the key made its MAC or tag), only the malicious feature
 * can be the reason for a rejection.
 */

import {
  decryptCompact,
  decryptJwt,
  decryptThenVerify,
  JOSEError,
  verifyCompact,
  verifyJwt,
} from 'jose-by-hand'
import { expect, test, vi } from 'vitest'
import { b64u, encodedLength, forgeJwe, forgeJws } from './forge.ts'

export const SIGNING_KEY = new Uint8Array(32).fill(1)
export const ENCRYPTION_KEY = new Uint8Array(32).fill(2)
export const ATTACKER_KEY = new Uint8Array(32).fill(0xee)
export const KEYS = { signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY }
export const NOW = 1_700_000_000
export const CURRENT_DATE = new Date(NOW * 1000)

export const A = 'accepted'
export const JWS = 'ERR_JWS_INVALID'
export const JWE = 'ERR_JWE_INVALID'
export const JWT = 'ERR_JWT_INVALID'
export const ALG = 'ERR_JOSE_ALG_NOT_ALLOWED'
export const NS = 'ERR_JOSE_NOT_SUPPORTED'
export const SIG = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
export const DEC = 'ERR_JWE_DECRYPTION_FAILED'
export const CLAIM = 'ERR_JWT_CLAIM_VALIDATION_FAILED'
export const EXP = 'ERR_JWT_EXPIRED'

export const ENTRY_POINTS = {
  verifyCompact: (token: string) => verifyCompact(token, SIGNING_KEY),
  verifyJwt: (token: string) => verifyJwt(token, SIGNING_KEY, { currentDate: CURRENT_DATE }),
  decryptCompact: (token: string) => decryptCompact(token, ENCRYPTION_KEY),
  decryptJwt: (token: string) => decryptJwt(token, ENCRYPTION_KEY, { currentDate: CURRENT_DATE }),
  decryptThenVerify: (token: string) =>
    decryptThenVerify(token, KEYS, { currentDate: CURRENT_DATE }),
} as const

export type EntryPoint = keyof typeof ENTRY_POINTS
export type Expected = Record<EntryPoint, string>
export const ENTRY_POINT_NAMES = Object.keys(ENTRY_POINTS) as EntryPoint[]

/** A JWS over exactly these header and payload bytes. */
export function jws(
  header: string | Uint8Array,
  payload: string | Uint8Array = CLAIMS,
  key: Uint8Array = SIGNING_KEY,
  alg = 'HS256',
): string {
  return forgeJws(b64u(header), b64u(payload), key, alg)
}

export interface JweSpec {
  key?: Uint8Array
  iv?: Uint8Array
  tagBytes?: number
  encryptedKey?: string
}

/** A `dir` JWE whose tag is valid over exactly this header (any alg/enc it names is AES-256-GCM here). */
export function jwe(
  header: string | Uint8Array,
  plaintext: string | Uint8Array = CLAIMS,
  spec: JweSpec = {},
): string {
  const iv = spec.iv ?? new Uint8Array(12).fill(3)
  const parts = forgeJwe(b64u(header), plaintext, spec.key ?? ENCRYPTION_KEY, iv).split('.')
  const tag = Buffer.from(parts[4] as string, 'base64url').subarray(0, spec.tagBytes ?? 16)
  return [parts[0], spec.encryptedKey ?? '', parts[2], parts[3], b64u(tag)].join('.')
}

export const CLAIMS = `{"sub":"alice","exp":${NOW + 600}}`
export const JWT_HEADER = '{"alg":"HS256","typ":"JWT"}'
export const JWE_HEADER = '{"alg":"dir","enc":"A256GCM"}'
export const NESTED_HEADER = '{"alg":"dir","enc":"A256GCM","cty":"JWT"}'
export const VALID_JWS = jws(JWT_HEADER)
export const VALID_JWE = jwe(JWE_HEADER)
export const VALID_NESTED = jwe(NESTED_HEADER, VALID_JWS)

/** A 3-segment token: the JWE entry points refuse its framing. */
export function asJws(compact: string, jwt: string = compact): Expected {
  return {
    verifyCompact: compact,
    verifyJwt: jwt,
    decryptCompact: JWE,
    decryptJwt: JWE,
    decryptThenVerify: JWE,
  }
}

/** A 5-segment token: the JWS entry points refuse its framing. */
export function asJwe(compact: string, jwt: string = compact, nested: string = compact): Expected {
  return {
    verifyCompact: JWS,
    verifyJwt: JWS,
    decryptCompact: compact,
    decryptJwt: jwt,
    decryptThenVerify: nested,
  }
}

/** Neither shape: every entry point refuses its framing. */
export function framing(): Expected {
  return {
    verifyCompact: JWS,
    verifyJwt: JWS,
    decryptCompact: JWE,
    decryptJwt: JWE,
    decryptThenVerify: JWE,
  }
}

/** A valid JWT of exactly `length` characters whose header carries the bulk ("extremely long header"). */
export function longHeaderJws(length: number): string {
  for (let spaces = 0; spaces < 3; spaces++) {
    const claims = `${CLAIMS.slice(0, -1)}${' '.repeat(spaces)}}`
    const fixed = '{"alg":"HS256","pad":""}'.length
    for (let pad = 0; ; pad++) {
      const total = encodedLength(fixed + pad) + 1 + encodedLength(claims.length) + 1 + 43
      if (total > length) break
      if (total === length) return jws(`{"alg":"HS256","pad":"${'a'.repeat(pad)}"}`, claims)
    }
  }
  throw new Error(`no JWS of length ${length}`)
}

/** A valid JWE of exactly `length` characters carrying claims padded with a long member. */
export function longJwe(length: number): string {
  const header = b64u(JWE_HEADER)
  for (let pad = 0; ; pad++) {
    const claims = `{"sub":"alice","pad":"${'a'.repeat(pad)}"}`
    const total = header.length + 2 + 16 + 1 + encodedLength(claims.length) + 1 + 22
    if (total === length) return jwe(JWE_HEADER, claims)
    if (total > length) throw new Error(`no JWE of length ${length}`)
  }
}

export function flipFirstBit(segment: string): string {
  const bytes = Buffer.from(segment, 'base64url')
  bytes[0] = (bytes[0] as number) ^ 1
  return b64u(bytes)
}

export function replaceSegment(token: string, index: number, value: string): string {
  const parts = token.split('.')
  parts[index] = value
  return parts.join('.')
}

export const [vh, vp, vs] = VALID_JWS.split('.') as [string, string, string]
export const [eh, , eiv, ect, etag] = VALID_JWE.split('.') as [
  string,
  string,
  string,
  string,
  string,
]

export interface Entry {
  readonly id: string
  /** Where the attack or the rule comes from. */
  readonly source: string
  readonly token: string
  readonly expected: Expected
}

/** 'accepted', the JOSEError code, or a loud description of anything else that escaped. */
export function verdict(action: () => unknown): string {
  try {
    action()
  } catch (error) {
    if (error instanceof JOSEError) return error.code
    return `escaped ${error instanceof Error ? error.name : typeof error}: ${String(error)}`
  }
  return A
}

export function verdicts(token: string): Expected {
  const result = {} as Expected
  for (const name of ENTRY_POINT_NAMES) result[name] = verdict(() => ENTRY_POINTS[name](token))
  return result
}

/** Every entry point throws a JOSEError; none accepts. */
export function expectRejectedEverywhere(token: string): void {
  for (const name of ENTRY_POINT_NAMES) {
    const outcome = verdict(() => ENTRY_POINTS[name](token))
    expect(outcome, `${name} on ${JSON.stringify(String(token).slice(0, 200))}`).toMatch(/^ERR_/)
  }
}

/** Registers one test per row, and checks that no row fetches a key or pollutes a prototype. */
export function expectCorpus(rows: readonly Entry[]): void {
  test('the rows have unique ids', () => {
    expect(new Set(rows.map((entry) => entry.id)).size).toBe(rows.length)
  })

  test.each(rows)('$id ($source)', ({ token, expected }) => {
    expect(verdicts(token)).toEqual(expected)
  })

  test('key hints (kid, jku, x5u, jwk, x5c) are never fetched, and nothing pollutes Object.prototype', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    try {
      for (const entry of rows) verdicts(entry.token)
      expect(fetchSpy).not.toHaveBeenCalled()
    } finally {
      fetchSpy.mockRestore()
    }
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false)
    expect(({} as Record<string, unknown>).polluted).toBe(undefined)
  })
}
