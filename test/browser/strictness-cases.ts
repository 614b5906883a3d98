/**
 * One token (and keys) per rule of the debugger's strict profile
 * (test/programs/lab/pages/strictness.ts), with the rules it breaks written out by
 * hand. strictness.test.ts holds the module and `src/` to this list in Node;
 * debugger.test.ts holds the page to it in the browser.
 */

import { createHmac, randomBytes } from 'node:crypto'
import {
  base64url,
  decryptCompact,
  decryptThenVerify,
  encryptCompact,
  signJwt,
  signThenEncrypt,
  verifyCompact,
  verifyJwt,
} from 'jose-by-hand'
import type { DebuggerKeys } from '../programs/lab/pages/analysis.ts'
import type { RuleId } from '../programs/lab/pages/strictness.ts'
import { BASE64URL_ALPHABET } from '../support/forge.ts'

export const SIGNING_KEY = new Uint8Array(32).fill(7)
export const ENCRYPTION_KEY = new Uint8Array(32).fill(8)

export interface StrictnessCase {
  readonly name: string
  readonly token: string
  readonly keys: DebuggerKeys
  /** Every rule broken, in the order the page lists them (outer layer first). */
  readonly rules: readonly RuleId[]
  /** Runs `src/` on the same input: it refuses whatever the profile refuses. */
  readonly src: () => void
  /** `accepted`, or the `code` (for programmer errors, the name) that `src` throws. */
  readonly srcVerdict: string
}

const keysOf = (signing: Uint8Array, encryption: Uint8Array = ENCRYPTION_KEY): DebuggerKeys => ({
  signing: { text: base64url.encode(signing), format: 'base64url' },
  encryption: { text: base64url.encode(encryption), format: 'base64url' },
})

const KEYS = keysOf(SIGNING_KEY)
const NESTED = { signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY }

function segment(value: unknown): string {
  return base64url.encode(JSON.stringify(value))
}

/** A JWS with any header, its HMAC computed by node:crypto so that only the header is at fault. */
function signedWith(header: Record<string, unknown>, key: Uint8Array, hash = 'sha256'): string {
  const input = `${segment(header)}.${segment({ sub: 'alice' })}`
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`
}

/** A JWE-shaped token with any header and random parts: the header rules come first. */
function jweShaped(header: Record<string, unknown>, encryptedKey = ''): string {
  const part = (bytes: number): string => base64url.encode(new Uint8Array(randomBytes(bytes)))
  return [segment(header), encryptedKey, part(12), part(20), part(16)].join('.')
}

/**
 * The same bytes, spelt differently: 32 bytes take 43 characters, whose last one has
 * two unused bits (RFC 4648 §3.5). Setting one keeps the bytes and breaks the spelling.
 */
function respelt(segmentText: string): string {
  const last = BASE64URL_ALPHABET.indexOf(segmentText.at(-1) as string)
  return segmentText.slice(0, -1) + BASE64URL_ALPHABET[last | 1]
}

const jws = signJwt({ sub: 'alice' }, SIGNING_KEY)
const [jwsHeader, jwsPayload, jwsSignature] = jws.split('.') as [string, string, string]
const nested = signThenEncrypt({ sub: 'alice' }, NESTED)
const shortKey = new Uint8Array(16).fill(9)

export const CASES: readonly StrictnessCase[] = [
  {
    name: 'a nested token, as jose-by-hand makes it',
    token: nested,
    keys: KEYS,
    rules: [],
    srcVerdict: 'accepted',
    src: () => decryptThenVerify(nested, NESTED),
  },
  {
    name: 'a signature spelt with a spare bit set',
    token: `${jwsHeader}.${jwsPayload}.${respelt(jwsSignature)}`,
    keys: KEYS,
    rules: ['token.base64url'],
    srcVerdict: 'ERR_JWS_INVALID',
    src: () => verifyJwt(`${jwsHeader}.${jwsPayload}.${respelt(jwsSignature)}`, SIGNING_KEY),
  },
  {
    name: 'alg "none"',
    token: `${segment({ alg: 'none' })}.${jwsPayload}.`,
    keys: KEYS,
    rules: ['alg.none'],
    srcVerdict: 'ERR_JOSE_ALG_NOT_ALLOWED',
    src: () => verifyJwt(`${segment({ alg: 'none' })}.${jwsPayload}.`, SIGNING_KEY),
  },
  {
    name: 'HS512 where only HS256 is allowed',
    token: signedWith({ alg: 'HS512' }, SIGNING_KEY, 'sha512'),
    keys: KEYS,
    rules: ['alg.not-allowed'],
    srcVerdict: 'ERR_JOSE_ALG_NOT_ALLOWED',
    src: () => verifyJwt(signedWith({ alg: 'HS512' }, SIGNING_KEY, 'sha512'), SIGNING_KEY),
  },
  {
    name: 'crit',
    token: signedWith({ alg: 'HS256', crit: ['exp'], exp: 1 }, SIGNING_KEY),
    keys: KEYS,
    rules: ['header.crit'],
    srcVerdict: 'ERR_JOSE_NOT_SUPPORTED',
    src: () =>
      verifyJwt(signedWith({ alg: 'HS256', crit: ['exp'], exp: 1 }, SIGNING_KEY), SIGNING_KEY),
  },
  {
    name: 'b64 false, announced in crit (RFC 7797)',
    token: signedWith({ alg: 'HS256', b64: false, crit: ['b64'] }, SIGNING_KEY),
    keys: KEYS,
    rules: ['header.crit', 'header.b64'],
    srcVerdict: 'ERR_JOSE_NOT_SUPPORTED',
    src: () =>
      verifyCompact(
        signedWith({ alg: 'HS256', b64: false, crit: ['b64'] }, SIGNING_KEY),
        SIGNING_KEY,
      ),
  },
  {
    name: 'zip on a JWE',
    token: jweShaped({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }),
    keys: KEYS,
    rules: ['header.zip'],
    srcVerdict: 'ERR_JWE_DECRYPTION_FAILED',
    src: () =>
      decryptCompact(jweShaped({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }), ENCRYPTION_KEY),
  },
  {
    name: 'A256KW key wrapping where only dir is allowed',
    token: jweShaped({ alg: 'A256KW', enc: 'A256GCM' }, base64url.encode(new Uint8Array(40))),
    keys: KEYS,
    rules: ['alg.not-allowed'],
    srcVerdict: 'ERR_JOSE_ALG_NOT_ALLOWED',
    src: () =>
      decryptCompact(
        jweShaped({ alg: 'A256KW', enc: 'A256GCM' }, base64url.encode(new Uint8Array(40))),
        ENCRYPTION_KEY,
      ),
  },
  {
    name: 'A128CBC-HS256 where only AES-GCM is allowed',
    token: jweShaped({ alg: 'dir', enc: 'A128CBC-HS256' }),
    keys: KEYS,
    rules: ['enc.not-allowed'],
    srcVerdict: 'ERR_JOSE_ALG_NOT_ALLOWED',
    src: () => decryptCompact(jweShaped({ alg: 'dir', enc: 'A128CBC-HS256' }), ENCRYPTION_KEY),
  },
  {
    name: 'an encrypted key next to alg "dir"',
    token: jweShaped({ alg: 'dir', enc: 'A256GCM' }, base64url.encode(new Uint8Array(32))),
    keys: KEYS,
    rules: ['jwe.encrypted-key'],
    srcVerdict: 'ERR_JWE_INVALID',
    src: () =>
      decryptCompact(
        jweShaped({ alg: 'dir', enc: 'A256GCM' }, base64url.encode(new Uint8Array(32))),
        ENCRYPTION_KEY,
      ),
  },
  {
    name: 'one character over the length cap',
    token: 'a'.repeat(65_537),
    keys: KEYS,
    rules: ['token.length'],
    srcVerdict: 'ERR_JWS_INVALID',
    src: () => verifyJwt('a'.repeat(65_537), SIGNING_KEY),
  },
  {
    name: 'four segments',
    token: `${jws}.${jwsSignature}`,
    keys: KEYS,
    rules: ['token.segments'],
    srcVerdict: 'ERR_JWS_INVALID',
    src: () => verifyJwt(`${jws}.${jwsSignature}`, SIGNING_KEY),
  },
  {
    name: 'a header that is not JSON',
    token: `${base64url.encode('not json')}.${jwsPayload}.${jwsSignature}`,
    keys: KEYS,
    rules: ['header.json'],
    srcVerdict: 'ERR_JWS_INVALID',
    src: () =>
      verifyJwt(`${base64url.encode('not json')}.${jwsPayload}.${jwsSignature}`, SIGNING_KEY),
  },
  {
    name: 'a 16-byte HS256 key',
    token: signedWith({ alg: 'HS256' }, shortKey),
    keys: keysOf(shortKey),
    rules: ['key.short'],
    srcVerdict: 'TypeError',
    src: () => verifyJwt(signedWith({ alg: 'HS256' }, shortKey), shortKey),
  },
  {
    name: 'a key typed as base64url that is not',
    token: jws,
    keys: { ...KEYS, signing: { text: 'c2VjcmV0==', format: 'base64url' } },
    rules: ['key.base64url'],
    srcVerdict: 'TypeError',
    src: () => base64url.decode('c2VjcmV0=='),
  },
  {
    name: 'a 16-byte dir key for A256GCM',
    token: nested,
    keys: keysOf(SIGNING_KEY, new Uint8Array(16)),
    rules: ['key.size'],
    srcVerdict: 'TypeError',
    src: () => decryptThenVerify(nested, { ...NESTED, encryptionKey: new Uint8Array(16) }),
  },
  {
    name: 'a JWS inside a JWE without cty "JWT"',
    token: encryptCompact(jws, ENCRYPTION_KEY),
    keys: KEYS,
    rules: ['cty.missing'],
    srcVerdict: 'ERR_JWT_INVALID',
    src: () => decryptThenVerify(encryptCompact(jws, ENCRYPTION_KEY), NESTED),
  },
  {
    name: 'cty "JWT" over bare claims',
    token: encryptCompact('{"sub":"alice"}', ENCRYPTION_KEY, {
      alg: 'dir',
      enc: 'A256GCM',
      cty: 'JWT',
    }),
    keys: KEYS,
    rules: ['cty.not-a-jws'],
    srcVerdict: 'ERR_JWS_INVALID',
    src: () =>
      decryptThenVerify(
        encryptCompact('{"sub":"alice"}', ENCRYPTION_KEY, {
          alg: 'dir',
          enc: 'A256GCM',
          cty: 'JWT',
        }),
        NESTED,
      ),
  },
]
