/**
 * A corpus of malformed and malicious tokens (RFC 7515–7519, RFC 8725), each fed to
 * every verify/decrypt entry point of src with the code each one must give, plus
 * properties: on arbitrary strings, byte soup and random segment structures, every
 * entry point throws one of src's JOSEError classes (never a TypeError, RangeError or
 * SyntaxError from inside) and never accepts.
 *
 * Tokens are built by hand with node:crypto. Where a token is authentic (our key made
 * its MAC or tag), only the malicious feature can be the reason for a rejection.
 */

import { createCipheriv, createHmac } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import {
  decryptCompact,
  decryptJwt,
  decryptThenVerify,
  JOSEError,
  verifyCompact,
  verifyJwt,
} from 'jose-by-hand'
import { describe, expect, test, vi } from 'vitest'
import { BASE64URL_ALPHABET, b64u } from './support/forge.ts'

const SIGNING_KEY = new Uint8Array(32).fill(1)
const ENCRYPTION_KEY = new Uint8Array(32).fill(2)
const ATTACKER_KEY = new Uint8Array(32).fill(0xee)
const KEYS = { signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY }
const NOW = 1_700_000_000
const CURRENT_DATE = new Date(NOW * 1000)

const A = 'accepted'
const JWS = 'ERR_JWS_INVALID'
const JWE = 'ERR_JWE_INVALID'
const JWT = 'ERR_JWT_INVALID'
const ALG = 'ERR_JOSE_ALG_NOT_ALLOWED'
const NS = 'ERR_JOSE_NOT_SUPPORTED'
const SIG = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
const DEC = 'ERR_JWE_DECRYPTION_FAILED'
const CLAIM = 'ERR_JWT_CLAIM_VALIDATION_FAILED'
const EXP = 'ERR_JWT_EXPIRED'

const ENTRY_POINTS = {
  verifyCompact: (token: string) => verifyCompact(token, SIGNING_KEY),
  verifyJwt: (token: string) => verifyJwt(token, SIGNING_KEY, { currentDate: CURRENT_DATE }),
  decryptCompact: (token: string) => decryptCompact(token, ENCRYPTION_KEY),
  decryptJwt: (token: string) => decryptJwt(token, ENCRYPTION_KEY, { currentDate: CURRENT_DATE }),
  decryptThenVerify: (token: string) =>
    decryptThenVerify(token, KEYS, { currentDate: CURRENT_DATE }),
} as const

type EntryPoint = keyof typeof ENTRY_POINTS
type Expected = Record<EntryPoint, string>
const ENTRY_POINT_NAMES = Object.keys(ENTRY_POINTS) as EntryPoint[]

function mac(signingInput: string, key: Uint8Array, hash = 'sha256'): string {
  return createHmac(hash, key).update(signingInput).digest('base64url')
}

/** A JWS over exactly these header and payload bytes. */
function jws(
  header: string | Uint8Array,
  payload: string | Uint8Array = CLAIMS,
  key: Uint8Array = SIGNING_KEY,
  hash = 'sha256',
): string {
  const signingInput = `${b64u(header)}.${b64u(payload)}`
  return `${signingInput}.${mac(signingInput, key, hash)}`
}

interface JweSpec {
  key?: Uint8Array
  iv?: Uint8Array
  tagBytes?: number
  encryptedKey?: string
}

/** A `dir` JWE whose tag is valid over exactly this header (any alg/enc it names is AES-256-GCM here). */
function jwe(
  header: string | Uint8Array,
  plaintext: string | Uint8Array = CLAIMS,
  spec: JweSpec = {},
): string {
  const headerSegment = b64u(header)
  const iv = spec.iv ?? new Uint8Array(12).fill(3)
  const cipher = createCipheriv('aes-256-gcm', spec.key ?? ENCRYPTION_KEY, iv, {
    authTagLength: 16,
  })
  cipher.setAAD(Buffer.from(headerSegment))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  const tag = cipher.getAuthTag().subarray(0, spec.tagBytes ?? 16)
  return [headerSegment, spec.encryptedKey ?? '', b64u(iv), b64u(ciphertext), b64u(tag)].join('.')
}

const CLAIMS = `{"sub":"alice","exp":${NOW + 600}}`
const JWT_HEADER = '{"alg":"HS256","typ":"JWT"}'
const JWE_HEADER = '{"alg":"dir","enc":"A256GCM"}'
const NESTED_HEADER = '{"alg":"dir","enc":"A256GCM","cty":"JWT"}'
const VALID_JWS = jws(JWT_HEADER)
const VALID_JWE = jwe(JWE_HEADER)
const VALID_NESTED = jwe(NESTED_HEADER, VALID_JWS)

/** A 3-segment token: the JWE entry points refuse its framing. */
function asJws(compact: string, jwt: string = compact): Expected {
  return {
    verifyCompact: compact,
    verifyJwt: jwt,
    decryptCompact: JWE,
    decryptJwt: JWE,
    decryptThenVerify: JWE,
  }
}

/** A 5-segment token: the JWS entry points refuse its framing. */
function asJwe(compact: string, jwt: string = compact, nested: string = compact): Expected {
  return {
    verifyCompact: JWS,
    verifyJwt: JWS,
    decryptCompact: compact,
    decryptJwt: jwt,
    decryptThenVerify: nested,
  }
}

/** Neither shape: every entry point refuses its framing. */
function framing(): Expected {
  return {
    verifyCompact: JWS,
    verifyJwt: JWS,
    decryptCompact: JWE,
    decryptJwt: JWE,
    decryptThenVerify: JWE,
  }
}

function encodedLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3)
}

/** A valid JWT of exactly `length` characters whose header carries the bulk ("extremely long header"). */
function longHeaderJws(length: number): string {
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
function longJwe(length: number): string {
  const header = b64u(JWE_HEADER)
  for (let pad = 0; ; pad++) {
    const claims = `{"sub":"alice","pad":"${'a'.repeat(pad)}"}`
    const total = header.length + 2 + 16 + 1 + encodedLength(claims.length) + 1 + 22
    if (total === length) return jwe(JWE_HEADER, claims)
    if (total > length) throw new Error(`no JWE of length ${length}`)
  }
}

function flipFirstBit(segment: string): string {
  const bytes = Buffer.from(segment, 'base64url')
  bytes[0] = (bytes[0] as number) ^ 1
  return b64u(bytes)
}

function replaceSegment(token: string, index: number, value: string): string {
  const parts = token.split('.')
  parts[index] = value
  return parts.join('.')
}

const [vh, vp, vs] = VALID_JWS.split('.') as [string, string, string]
const [eh, , eiv, ect, etag] = VALID_JWE.split('.') as [string, string, string, string, string]

interface Entry {
  readonly id: string
  /** Where the attack or the rule comes from. */
  readonly source: string
  readonly token: string
  readonly expected: Expected
}

const CORPUS: readonly Entry[] = [
  // Controls: the harness accepts what it should.
  { id: 'valid JWT (JWS)', source: 'RFC 7519 §7.1', token: VALID_JWS, expected: asJws(A) },
  {
    id: 'valid JWT (JWE, bare claims)',
    source: 'RFC 7519 §7.1',
    token: VALID_JWE,
    expected: asJwe(A, A, JWT),
  },
  {
    id: 'valid nested JWT',
    source: 'RFC 7519 §5.2',
    token: VALID_NESTED,
    expected: asJwe(A, JWT, A),
  },

  // Framing (RFC 7515 §7.1, RFC 7516 §7.1) and truncation.
  { id: 'empty token', source: 'RFC 7515 §7.1', token: '', expected: framing() },
  { id: 'one dot', source: 'RFC 7515 §7.1', token: '.', expected: framing() },
  {
    id: 'two dots (three empty segments)',
    source: 'RFC 7515 §7.1',
    token: '..',
    expected: asJws(JWS),
  },
  { id: 'three dots', source: 'RFC 7515 §7.1', token: '...', expected: framing() },
  {
    id: '"...." (five empty segments)',
    source: 'RFC 7516 §7.1',
    token: '....',
    expected: asJwe(JWE),
  },
  { id: 'five dots', source: 'RFC 7516 §7.1', token: '.....', expected: framing() },
  {
    id: 'a million dots',
    source: 'issue 2 §3 size cap',
    token: '.'.repeat(1_000_000),
    expected: framing(),
  },
  {
    id: 'JWS without its signature segment',
    source: 'RFC 7515 §7.1',
    token: `${vh}.${vp}`,
    expected: framing(),
  },
  {
    id: 'JWS with a trailing dot',
    source: 'RFC 7515 §7.1',
    token: `${VALID_JWS}.`,
    expected: framing(),
  },
  {
    id: 'JWS with an empty signature',
    source: 'RFC 7515 §5.2',
    token: `${vh}.${vp}.`,
    expected: asJws(SIG),
  },
  {
    id: 'JWS with a truncated signature (30 bytes)',
    source: 'RFC 7515 §5.2',
    token: `${vh}.${vp}.${vs.slice(0, 40)}`,
    expected: asJws(SIG),
  },
  {
    id: 'JWE without its tag segment',
    source: 'RFC 7516 §7.1',
    token: [eh, '', eiv, ect].join('.'),
    expected: framing(),
  },
  {
    id: 'JWE with an empty tag',
    source: 'RFC 7516 §5.2',
    token: [eh, '', eiv, ect, ''].join('.'),
    expected: asJwe(JWE),
  },
  {
    id: '"Bearer " prefix',
    source: 'RFC 6750 §2.1 misuse',
    token: `Bearer ${VALID_JWS}`,
    expected: asJws(JWS),
  },
  { id: 'token in quotes', source: 'RFC 7515 §7.1', token: `"${VALID_JWS}"`, expected: asJws(JWS) },
  {
    id: 'trailing CRLF',
    source: 'RFC 7515 §2 (no whitespace)',
    token: `${VALID_JWS}\r\n`,
    expected: asJws(JWS),
  },
  { id: 'leading space', source: 'RFC 7515 §2', token: ` ${VALID_JWS}`, expected: asJws(JWS) },
  { id: 'trailing NUL', source: 'RFC 7515 §2', token: `${VALID_JWS}\0`, expected: asJws(JWS) },
  {
    id: 'URL-encoded dots',
    source: 'RFC 7515 §7.1',
    token: VALID_JWS.replaceAll('.', '%2E'),
    expected: framing(),
  },
  { id: 'padded signature', source: 'RFC 7515 §2', token: `${VALID_JWS}=`, expected: asJws(JWS) },
  {
    id: "signature with '+' and '/'",
    source: 'RFC 7515 §2',
    token: `${vh}.${vp}.${vs.replaceAll('-', '+').replaceAll('_', '/')}${vs.includes('-') || vs.includes('_') ? '' : '+'}`,
    expected: asJws(JWS),
  },

  // alg: none, confusion and look-alikes (RFC 8725 §2.1, §3.1; RFC 7518 §3.6).
  {
    id: 'alg none, empty signature',
    source: 'RFC 8725 §2.1',
    token: `${b64u('{"alg":"none"}')}.${b64u(CLAIMS)}.`,
    expected: asJws(ALG),
  },
  {
    id: 'alg None',
    source: 'RFC 8725 §2.1',
    token: `${b64u('{"alg":"None"}')}.${b64u(CLAIMS)}.`,
    expected: asJws(ALG),
  },
  {
    id: 'alg NONE',
    source: 'RFC 8725 §2.1',
    token: `${b64u('{"alg":"NONE"}')}.${b64u(CLAIMS)}.`,
    expected: asJws(ALG),
  },
  {
    id: 'alg nOnE',
    source: 'RFC 8725 §2.1',
    token: `${b64u('{"alg":"nOnE"}')}.${b64u(CLAIMS)}.`,
    expected: asJws(ALG),
  },
  {
    id: 'alg none with a valid HS256 MAC',
    source: 'RFC 8725 §2.1',
    token: jws('{"alg":"none"}'),
    expected: asJws(ALG),
  },
  {
    id: 'alg RS256, HMACed with our key (key confusion)',
    source: 'RFC 8725 §2.1, §3.1',
    token: jws('{"alg":"RS256"}'),
    expected: asJws(ALG),
  },
  { id: 'alg ES256', source: 'RFC 8725 §3.1', token: jws('{"alg":"ES256"}'), expected: asJws(ALG) },
  { id: 'alg PS256', source: 'RFC 8725 §3.1', token: jws('{"alg":"PS256"}'), expected: asJws(ALG) },
  {
    id: 'alg HS512 not allowlisted',
    source: 'RFC 8725 §3.1',
    token: jws('{"alg":"HS512"}', CLAIMS, SIGNING_KEY, 'sha512'),
    expected: asJws(ALG),
  },
  {
    id: 'alg "HS256 "',
    source: 'RFC 7515 §4.1.1 (case-sensitive)',
    token: jws('{"alg":"HS256 "}'),
    expected: asJws(ALG),
  },
  {
    id: 'alg hs256',
    source: 'RFC 7515 §4.1.1',
    token: jws('{"alg":"hs256"}'),
    expected: asJws(ALG),
  },
  {
    id: 'alg with a Cyrillic Н',
    source: 'RFC 7515 §4.1.1',
    token: jws('{"alg":"\u041dS256"}'),
    expected: asJws(ALG),
  },
  {
    id: 'alg "HS256\\u0000"',
    source: 'RFC 7515 §4.1.1',
    token: jws('{"alg":"HS256\\u0000"}'),
    expected: asJws(ALG),
  },
  {
    id: 'alg __proto__',
    source: 'prototype lookup',
    token: jws('{"alg":"__proto__"}'),
    expected: asJws(ALG),
  },
  {
    id: 'alg constructor',
    source: 'prototype lookup',
    token: jws('{"alg":"constructor"}'),
    expected: asJws(ALG),
  },
  {
    id: 'alg toString',
    source: 'prototype lookup',
    token: jws('{"alg":"toString"}'),
    expected: asJws(ALG),
  },
  { id: 'alg dir in a JWS', source: 'RFC 8725 §3.1', token: jws(JWE_HEADER), expected: asJws(ALG) },
  {
    id: 'alg missing',
    source: 'RFC 7515 §4.1.1',
    token: jws('{"typ":"JWT"}'),
    expected: asJws(JWS),
  },
  { id: 'alg null', source: 'RFC 7515 §4.1.1', token: jws('{"alg":null}'), expected: asJws(JWS) },
  {
    id: 'alg ["HS256"]',
    source: 'RFC 7515 §4.1.1',
    token: jws('{"alg":["HS256"]}'),
    expected: asJws(JWS),
  },
  { id: 'alg {}', source: 'RFC 7515 §4.1.1', token: jws('{"alg":{}}'), expected: asJws(JWS) },
  {
    id: 'alg only inside __proto__',
    source: 'prototype pollution',
    token: jws('{"__proto__":{"alg":"HS256"}}'),
    expected: asJws(JWS),
  },

  // Header injection and parser differentials (RFC 7515 §5.2 step 4, RFC 8259 §4, RFC 8725 §3.7).
  {
    id: 'alg twice, none first',
    source: 'RFC 7515 §5.2 step 4',
    token: jws('{"alg":"none","alg":"HS256"}'),
    expected: asJws(JWS),
  },
  {
    id: 'alg twice, none last',
    source: 'RFC 7515 §5.2 step 4',
    token: jws('{"alg":"HS256","alg":"none"}'),
    expected: asJws(JWS),
  },
  {
    id: 'alg and its escaped spelling',
    source: 'RFC 7515 §5.2 step 4',
    token: jws('{"alg":"HS256","\\u0061lg":"none"}'),
    expected: asJws(JWS),
  },
  {
    id: 'crit ["exp"]',
    source: 'RFC 7515 §4.1.11',
    token: jws('{"alg":"HS256","crit":["exp"],"exp":1}'),
    expected: asJws(NS),
  },
  {
    id: 'crit []',
    source: 'RFC 7515 §4.1.11',
    token: jws('{"alg":"HS256","crit":[]}'),
    expected: asJws(JWS),
  },
  {
    id: 'b64 false without crit',
    source: 'RFC 7797 §6',
    token: jws('{"alg":"HS256","b64":false}'),
    expected: asJws(JWS),
  },
  {
    id: 'crit ["b64"] with b64 false',
    source: 'RFC 7797 §3',
    token: jws('{"alg":"HS256","b64":false,"crit":["b64"]}'),
    expected: asJws(NS),
  },
  {
    id: 'header BOM',
    source: 'RFC 8725 §3.7, RFC 8259 §8.1',
    token: jws(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('{"alg":"HS256"}')])),
    expected: asJws(JWS),
  },
  {
    id: 'header kid with a lone surrogate',
    source: 'RFC 8259 §8.2',
    token: jws('{"alg":"HS256","kid":"\\udead"}'),
    expected: asJws(JWS),
  },
  {
    id: 'header nested 10,000 deep',
    source: 'RFC 8259 §9',
    token: jws(`{"alg":"HS256","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
    expected: asJws(JWS),
  },
  {
    id: 'header with a raw NUL in a string',
    source: 'RFC 8259 §7',
    token: jws('{"alg":"HS256","kid":"a\0b"}'),
    expected: asJws(JWS),
  },
  {
    id: 'header with a NUL after the object',
    source: 'RFC 8259 §2',
    token: jws('{"alg":"HS256"}\0'),
    expected: asJws(JWS),
  },
  {
    id: 'header with CRLF whitespace (as RFC 7515 A.1)',
    source: 'RFC 7515 A.1',
    token: jws('{"typ":"JWT",\r\n "alg":"HS256"}'),
    expected: asJws(A),
  },
  {
    id: 'alg spelled with a \\u escape',
    source: 'RFC 8259 §7',
    token: jws('{"alg":"\\u0048S256"}'),
    expected: asJws(A),
  },
  {
    id: 'header member 1e400',
    source: 'RFC 8259 §6',
    token: jws('{"alg":"HS256","x":1e400}'),
    expected: asJws(A),
  },
  {
    id: 'constructor.prototype in the header',
    source: 'prototype pollution',
    token: jws(
      '{"alg":"HS256","constructor":{"prototype":{"polluted":true}},"__proto__":{"polluted":true}}',
    ),
    expected: asJws(A),
  },

  // Key hints are ignored, never followed (RFC 8725 §3.10; RFC 7515 §4.1.2–4.1.6).
  {
    id: 'kid path traversal, our key',
    source: 'RFC 7515 §4.1.4',
    token: jws('{"alg":"HS256","kid":"../../../../dev/null"}'),
    expected: asJws(A),
  },
  {
    id: 'kid SQL injection, attacker key',
    source: 'RFC 8725 §2.9',
    token: jws('{"alg":"HS256","kid":"\' OR \'1\'=\'1"}', CLAIMS, ATTACKER_KEY),
    expected: asJws(SIG),
  },
  {
    id: 'jku to an attacker, attacker key',
    source: 'RFC 8725 §2.9, §3.10',
    token: jws('{"alg":"HS256","jku":"https://attacker.example/jwks.json"}', CLAIMS, ATTACKER_KEY),
    expected: asJws(SIG),
  },
  {
    id: 'jku to an attacker, our key',
    source: 'RFC 8725 §3.10',
    token: jws('{"alg":"HS256","jku":"https://attacker.example/jwks.json"}'),
    expected: asJws(A),
  },
  {
    id: 'x5u to an attacker, attacker key',
    source: 'RFC 7515 §4.1.5',
    token: jws('{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}', CLAIMS, ATTACKER_KEY),
    expected: asJws(SIG),
  },
  {
    id: 'embedded jwk with the attacker key',
    source: 'RFC 7515 §4.1.3',
    token: jws(
      `{"alg":"HS256","jwk":{"kty":"oct","k":"${b64u(ATTACKER_KEY)}"}}`,
      CLAIMS,
      ATTACKER_KEY,
    ),
    expected: asJws(SIG),
  },
  {
    id: 'bogus x5c, attacker key',
    source: 'RFC 7515 §4.1.6',
    token: jws('{"alg":"HS256","x5c":["MIIB"]}', CLAIMS, ATTACKER_KEY),
    expected: asJws(SIG),
  },
  {
    id: 'MAC made with an empty key',
    source: 'RFC 8725 §2.2, RFC 7518 §3.2',
    token: jws(JWT_HEADER, CLAIMS, new Uint8Array(0)),
    expected: asJws(SIG),
  },

  // Claims (RFC 7519 §4.1, §7.2).
  {
    id: 'exp 1e400 (Infinity)',
    source: 'RFC 7519 §4.1.4',
    token: jws(JWT_HEADER, '{"exp":1e400}'),
    expected: asJws(A, CLAIM),
  },
  {
    id: 'exp -1e400',
    source: 'RFC 7519 §4.1.4',
    token: jws(JWT_HEADER, '{"exp":-1e400}'),
    expected: asJws(A, CLAIM),
  },
  {
    id: 'nbf 1e400',
    source: 'RFC 7519 §4.1.5',
    token: jws(JWT_HEADER, '{"nbf":1e400}'),
    expected: asJws(A, CLAIM),
  },
  {
    id: 'exp as a string',
    source: 'RFC 7519 §4.1.4',
    token: jws(JWT_HEADER, '{"exp":"9999999999"}'),
    expected: asJws(A, CLAIM),
  },
  {
    id: 'sub a number',
    source: 'RFC 7519 §4.1.2',
    token: jws(JWT_HEADER, '{"sub":1}'),
    expected: asJws(A, CLAIM),
  },
  {
    id: 'aud [1]',
    source: 'RFC 7519 §4.1.3',
    token: jws(JWT_HEADER, '{"aud":[1]}'),
    expected: asJws(A, CLAIM),
  },
  {
    id: 'sub twice',
    source: 'RFC 7519 §4',
    token: jws(JWT_HEADER, '{"sub":"alice","sub":"admin"}'),
    expected: asJws(A, JWT),
  },
  {
    id: 'claims with a BOM',
    source: 'RFC 8259 §8.1',
    token: jws(JWT_HEADER, new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(CLAIMS)])),
    expected: asJws(A, JWT),
  },
  {
    id: 'claims with a lone surrogate',
    source: 'RFC 8259 §8.2',
    token: jws(JWT_HEADER, '{"sub":"\\ud800"}'),
    expected: asJws(A, JWT),
  },
  {
    id: 'claims nested 20,000 deep',
    source: 'RFC 8259 §9',
    token: jws(JWT_HEADER, `{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`),
    expected: asJws(A, JWT),
  },
  {
    id: 'claims an array',
    source: 'RFC 7519 §7.2 step 10',
    token: jws(JWT_HEADER, '[]'),
    expected: asJws(A, JWT),
  },
  {
    id: 'claims null',
    source: 'RFC 7519 §7.2 step 10',
    token: jws(JWT_HEADER, 'null'),
    expected: asJws(A, JWT),
  },
  {
    id: 'claims not JSON',
    source: 'RFC 7519 §7.2 step 10',
    token: jws(JWT_HEADER, 'hello'),
    expected: asJws(A, JWT),
  },
  {
    id: 'exp hidden in __proto__',
    source: 'prototype pollution',
    token: jws(JWT_HEADER, '{"sub":"a","__proto__":{"exp":1}}'),
    expected: asJws(A),
  },
  {
    id: 'expired',
    source: 'RFC 7519 §4.1.4',
    token: jws(JWT_HEADER, `{"exp":${NOW - 1}}`),
    expected: asJws(A, EXP),
  },
  {
    id: 'exp equal to now',
    source: 'RFC 7519 §4.1.4',
    token: jws(JWT_HEADER, `{"exp":${NOW}}`),
    expected: asJws(A, EXP),
  },
  {
    id: 'iat 1e308',
    source: 'RFC 7519 §4.1.6',
    token: jws(JWT_HEADER, '{"iat":1e308}'),
    expected: asJws(A),
  },
  {
    id: 'sub with an escaped NUL',
    source: 'RFC 8259 §7',
    token: jws(JWT_HEADER, '{"sub":"alice\\u0000admin"}'),
    expected: asJws(A),
  },

  // JWE (RFC 7516; RFC 7518 §4.5, §5.3).
  {
    id: 'zip DEF decompression bomb',
    source: 'RFC 7516 §4.1.3, RFC 8725 §3.6',
    token: jwe(
      '{"alg":"dir","enc":"A256GCM","zip":"DEF"}',
      deflateRawSync(new Uint8Array(1_000_000)),
    ),
    expected: asJwe(NS),
  },
  {
    id: 'alg A256KW with an encrypted key',
    source: 'RFC 8725 §3.1',
    token: jwe('{"alg":"A256KW","enc":"A256GCM"}', CLAIMS, {
      encryptedKey: b64u(new Uint8Array(40)),
    }),
    expected: asJwe(ALG),
  },
  {
    id: 'alg RSA-OAEP',
    source: 'RFC 8725 §3.1',
    token: jwe('{"alg":"RSA-OAEP","enc":"A256GCM"}'),
    expected: asJwe(ALG),
  },
  {
    id: 'alg none in a JWE',
    source: 'RFC 8725 §2.1',
    token: jwe('{"alg":"none","enc":"A256GCM"}'),
    expected: asJwe(ALG),
  },
  {
    id: 'alg HS256 in a JWE',
    source: 'RFC 8725 §3.1',
    token: jwe('{"alg":"HS256","enc":"A256GCM"}'),
    expected: asJwe(ALG),
  },
  {
    id: 'dir with a non-empty encrypted key',
    source: 'RFC 7518 §4.5',
    token: jwe(JWE_HEADER, CLAIMS, { encryptedKey: b64u(new Uint8Array(32)) }),
    expected: asJwe(JWE),
  },
  {
    id: 'enc A128GCM (downgrade)',
    source: 'RFC 8725 §3.1',
    token: jwe('{"alg":"dir","enc":"A128GCM"}'),
    expected: asJwe(ALG),
  },
  {
    id: 'enc A256CBC-HS512',
    source: 'RFC 8725 §3.1',
    token: jwe('{"alg":"dir","enc":"A256CBC-HS512"}'),
    expected: asJwe(ALG),
  },
  {
    id: 'enc __proto__',
    source: 'prototype lookup',
    token: jwe('{"alg":"dir","enc":"__proto__"}'),
    expected: asJwe(ALG),
  },
  {
    id: 'enc missing',
    source: 'RFC 7516 §4.1.2',
    token: jwe('{"alg":"dir"}'),
    expected: asJwe(JWE),
  },
  {
    id: 'a valid 4-byte truncated tag',
    source: 'RFC 7518 §5.3 (128-bit tag)',
    token: jwe(JWE_HEADER, CLAIMS, { tagBytes: 4 }),
    expected: asJwe(JWE),
  },
  {
    id: 'an 8-byte IV with a valid tag',
    source: 'RFC 7518 §5.3 (96-bit IV)',
    token: jwe(JWE_HEADER, CLAIMS, { iv: new Uint8Array(8).fill(3) }),
    expected: asJwe(JWE),
  },
  {
    id: 'the attacker key',
    source: 'RFC 7516 §11.5',
    token: jwe(JWE_HEADER, CLAIMS, { key: ATTACKER_KEY }),
    expected: asJwe(DEC),
  },
  {
    id: 'header re-spelled (AAD changed)',
    source: 'RFC 7516 §5.2 step 14',
    token: replaceSegment(VALID_JWE, 0, b64u('{"enc":"A256GCM","alg":"dir"}')),
    expected: asJwe(DEC),
  },
  {
    id: 'a flipped ciphertext bit',
    source: 'RFC 7516 §11.5',
    token: replaceSegment(VALID_JWE, 3, flipFirstBit(ect)),
    expected: asJwe(DEC),
  },
  {
    id: "'Ů' in the IV",
    source: 'RFC 7516 §2',
    token: replaceSegment(VALID_JWE, 2, `${eiv.slice(0, 15)}\u016e`),
    expected: asJwe(JWE),
  },
  {
    id: 'padded tag',
    source: 'RFC 7516 §2',
    token: replaceSegment(VALID_JWE, 4, `${etag}==`),
    expected: asJwe(JWE),
  },
  {
    id: 'crit ["exp"] in a JWE',
    source: 'RFC 7516 §4.1.13',
    token: jwe('{"alg":"dir","enc":"A256GCM","crit":["exp"],"exp":1}'),
    expected: asJwe(NS),
  },
  {
    id: 'JWE header BOM',
    source: 'RFC 8259 §8.1',
    token: jwe(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(JWE_HEADER)])),
    expected: asJwe(JWE),
  },
  {
    id: 'enc twice, A128GCM first',
    source: 'RFC 7516 §5.2 step 4',
    token: jwe('{"alg":"dir","enc":"A128GCM","enc":"A256GCM"}'),
    expected: asJwe(JWE),
  },
  {
    id: 'JWE claims expired',
    source: 'RFC 7519 §4.1.4',
    token: jwe(JWE_HEADER, `{"exp":${NOW}}`),
    expected: asJwe(A, EXP, JWT),
  },

  // Nested tokens (RFC 7519 §5.2, §11.2).
  {
    id: 'cty JWT holding bare claims',
    source: 'RFC 7519 §5.2',
    token: jwe(NESTED_HEADER, CLAIMS),
    expected: asJwe(A, JWT, JWS),
  },
  {
    id: 'no cty, holding a JWS',
    source: 'RFC 7519 §5.2',
    token: jwe(JWE_HEADER, VALID_JWS),
    expected: asJwe(A, JWT, JWT),
  },
  {
    id: 'cty JWS holding a JWS',
    source: 'RFC 7515 §4.1.10',
    token: jwe('{"alg":"dir","enc":"A256GCM","cty":"JWS"}', VALID_JWS),
    expected: asJwe(A, JWT, JWT),
  },
  {
    id: 'cty with a media-type parameter',
    source: 'RFC 7515 §4.1.10',
    token: jwe('{"alg":"dir","enc":"A256GCM","cty":"application/jwt; x=y"}', VALID_JWS),
    expected: asJwe(A, JWT, JWT),
  },
  {
    id: 'nested, inner signed by the attacker',
    source: 'RFC 8725 §3.3',
    token: jwe(NESTED_HEADER, jws(JWT_HEADER, CLAIMS, ATTACKER_KEY)),
    expected: asJwe(A, JWT, SIG),
  },
  {
    id: 'nested, inner alg none',
    source: 'RFC 8725 §2.1',
    token: jwe(NESTED_HEADER, `${b64u('{"alg":"none"}')}.${b64u(CLAIMS)}.`),
    expected: asJwe(A, JWT, ALG),
  },
  {
    id: 'nested, a JWE inside',
    source: 'RFC 7519 §5.2',
    token: jwe(NESTED_HEADER, VALID_JWE),
    expected: asJwe(A, JWT, JWS),
  },
  {
    id: 'nested, inner JWS with a trailing line feed',
    source: 'RFC 7515 §2',
    token: jwe(NESTED_HEADER, `${VALID_JWS}\n`),
    expected: asJwe(A, JWT, JWS),
  },
  {
    id: 'nested, replicated iss mismatch',
    source: 'RFC 7519 §5.3',
    token: jwe('{"alg":"dir","enc":"A256GCM","cty":"JWT","iss":"admin"}', VALID_JWS),
    expected: asJwe(A, JWT, CLAIM),
  },
  {
    id: 'nested, inner expired',
    source: 'RFC 7519 §4.1.4',
    token: jwe(NESTED_HEADER, jws(JWT_HEADER, `{"exp":${NOW}}`)),
    expected: asJwe(A, JWT, EXP),
  },

  // The size cap, with the bulk in the header (issue 2 §3).
  {
    id: 'JWS with a long header, exactly 65,536 characters',
    source: 'issue 2 §3',
    token: longHeaderJws(65_536),
    expected: asJws(A),
  },
  {
    id: 'JWS with a long header, 65,537 characters',
    source: 'issue 2 §3',
    token: longHeaderJws(65_537),
    expected: asJws(JWS),
  },
  {
    id: 'JWE of exactly 65,536 characters',
    source: 'issue 2 §3',
    token: longJwe(65_536),
    expected: asJwe(A, A, JWT),
  },
  {
    id: 'JWE of 65,537 characters',
    source: 'issue 2 §3',
    token: longJwe(65_537),
    expected: asJwe(JWE),
  },
]

/** 'accepted', the JOSEError code, or a loud description of anything else that escaped. */
function verdict(action: () => unknown): string {
  try {
    action()
  } catch (error) {
    if (error instanceof JOSEError) return error.code
    return `escaped ${error instanceof Error ? error.name : typeof error}: ${String(error)}`
  }
  return A
}

function verdicts(token: string): Expected {
  const result = {} as Expected
  for (const name of ENTRY_POINT_NAMES) result[name] = verdict(() => ENTRY_POINTS[name](token))
  return result
}

describe('malicious and malformed corpus', () => {
  test('the corpus is large and its ids are unique', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60)
    expect(new Set(CORPUS.map((entry) => entry.id)).size).toBe(CORPUS.length)
  })

  test.each(CORPUS)('$id ($source)', ({ token, expected }) => {
    expect(verdicts(token)).toEqual(expected)
  })

  test('key hints (kid, jku, x5u, jwk, x5c) are never fetched', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    try {
      for (const entry of CORPUS) verdicts(entry.token)
      expect(fetchSpy).not.toHaveBeenCalled()
    } finally {
      fetchSpy.mockRestore()
    }
  })

  test('no member of any token pollutes Object.prototype', () => {
    for (const entry of CORPUS) verdicts(entry.token)
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false)
    expect(({} as Record<string, unknown>).polluted).toBe(undefined)
  })
})

/** Every entry point throws a JOSEError; none accepts. */
function expectRejectedEverywhere(token: string): void {
  for (const name of ENTRY_POINT_NAMES) {
    const outcome = verdict(() => ENTRY_POINTS[name](token))
    expect(outcome, `${name} on ${JSON.stringify(String(token).slice(0, 200))}`).toMatch(/^ERR_/)
  }
}

// Pieces a random token may be built from. Real headers and payloads let the generator
// reach the deep checks, but no real signature or tag is offered: without the key,
// acceptance is impossible, and the property insists on it.
const SEGMENT_PIECES = [
  '',
  vh,
  vp,
  eh,
  eiv,
  b64u(NESTED_HEADER),
  b64u('{"alg":"none"}'),
  b64u('{"alg":"HS256","crit":["b64"],"b64":false}'),
  b64u('{"alg":"dir","enc":"A256GCM","zip":"DEF"}'),
  b64u('{"alg":"dir","enc":"A128GCM"}'),
  b64u(new Uint8Array(12)),
  b64u(new Uint8Array(16)),
  b64u(new Uint8Array(32)),
]
const segment = fc.oneof(
  fc.constantFrom(...SEGMENT_PIECES),
  fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET), size: 'max', maxLength: 60 }),
  fc.string({ unit: 'binary', size: 'max', maxLength: 30 }),
  fc.uint8Array({ size: 'max', maxLength: 48 }).map((bytes) => b64u(bytes)),
)

describe('no input escapes as anything but a JOSEError, and none is accepted', () => {
  test('arbitrary strings (any code unit, lone surrogates included)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', size: 'max', maxLength: 300 }),
        expectRejectedEverywhere,
      ),
    )
  })

  test('byte soup read as Latin-1 and as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ size: 'max', maxLength: 300 }), (bytes) => {
        expectRejectedEverywhere(Buffer.from(bytes).toString('latin1'))
        expectRejectedEverywhere(Buffer.from(bytes).toString('utf8'))
      }),
    )
  })

  test('random segment structures with 0 to 7 dots', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segments) => {
        expectRejectedEverywhere(segments.join('.'))
      }),
    )
  })

  test('long repeated patterns around the size cap', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
        fc.oneof(fc.constantFrom(65_535, 65_536, 65_537), fc.integer({ min: 60_000, max: 70_000 })),
        (unit, length) => {
          expectRejectedEverywhere(unit.repeat(Math.ceil(length / unit.length)).slice(0, length))
        },
      ),
    )
  })

  test('non-string tokens', () => {
    for (const token of [undefined, null, 42, {}, [], new Uint8Array(3)]) {
      expectRejectedEverywhere(token as unknown as string)
    }
  })
})
