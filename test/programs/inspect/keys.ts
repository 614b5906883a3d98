/**
 * Where the inspector's keys come from: environment variables or files, never the
 * command line. Arguments end up in shell history and, while the program runs, in
 * every user's view of the process list (`ps`); the environment and files do not.
 *
 * Shared secrets (HMAC keys, `dir` and key-wrapping keys):
 *   JOSE_KEY             one key for everything (a JWS, a JWE, or both layers of a nested token)
 *   JOSE_SIGNING_KEY     the HMAC key of a JWS, or of the JWS inside a nested token
 *   JOSE_ENCRYPTION_KEY  the shared key of a JWE ("dir", A256KW, …)
 *   --key-file, --signing-key-file, --encryption-key-file replace the variable of
 *   the same role. Text is read as --key-encoding says: base64url (the default:
 *   unpadded, canonical, RFC 4648 §5), hex, or utf8 (a text secret, taken as its
 *   UTF-8 bytes). A key file holding a byte outside printable ASCII is raw key bytes
 *   (`head -c 32 /dev/urandom > key.bin`), whatever the encoding; with utf8, a key
 *   file is always its bytes. One trailing newline (LF or CRLF) is dropped.
 *
 * Key pairs (RS256, ES256, EdDSA, RSA-OAEP-256, ECDH-ES, …), as PEM or JWK:
 *   JOSE_PUBLIC_KEY  / --public-key-file PATH   the issuer's public key, to verify a JWS:
 *                    PEM "PUBLIC KEY" or "CERTIFICATE", a JWK, or a JWK Set ({"keys": […]},
 *                    the key chosen by the token's "kid")
 *   JOSE_PRIVATE_KEY / --private-key-file PATH  the recipient's private key, to decrypt a
 *                    JWE: PEM "PRIVATE KEY" (PKCS #8, or the RSA/EC forms), or a private JWK
 * An empty variable counts as unset.
 */

import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { count, type Env, UsageError } from '../kit/index.ts'
import { diagnoseBase64url } from './base64url-lint.ts'
import { strictBase64url } from './src-judge.ts'

export type KeyEncoding = 'base64url' | 'hex' | 'utf8'

export const KEY_ENCODINGS: readonly KeyEncoding[] = ['base64url', 'hex', 'utf8']

export interface SecretKey {
  readonly bytes: Uint8Array
  /** Where it came from, for display: "JOSE_KEY", "--key-file key.txt". Never the key itself. */
  readonly source: string
  /** How its text was read; 'raw' for a binary key file. */
  readonly encoding: KeyEncoding | 'raw'
}

/** One key of a pair, ready for node:crypto and jose. */
export interface PairKey {
  readonly key: KeyObject
  readonly source: string
  /** What it is, for display: "RSA 2048-bit public key", "EC P-256 private key". */
  readonly description: string
  /** The "kid" of the JWK it came from, if any. */
  readonly kid: string | undefined
  /** The "alg" of the JWK it came from, if any: then that algorithm only. */
  readonly alg: string | undefined
}

export interface KeyRing {
  readonly signing: SecretKey | undefined
  readonly encryption: SecretKey | undefined
  /** Every public key given: one, or the keys of a JWK Set. */
  readonly publicKeys: readonly PairKey[]
  readonly privateKey: PairKey | undefined
}

export interface KeyFiles {
  readonly keyFile?: string | undefined
  readonly signingKeyFile?: string | undefined
  readonly encryptionKeyFile?: string | undefined
  readonly publicKeyFile?: string | undefined
  readonly privateKeyFile?: string | undefined
}

/** No real key file is anywhere near this big; a bigger file is the wrong file. */
const MAX_KEY_FILE_BYTES = 65_536

const ENCODING_HINT =
  'If the key is a text secret (a passphrase), add --key-encoding utf8; if it is hex, --key-encoding hex.'

function decodeBase64urlKey(text: string, source: string): Uint8Array {
  const bytes = strictBase64url(text)
  if (bytes !== undefined) return bytes
  const reasons: string[] = []
  for (const problem of diagnoseBase64url(text).problems) reasons.push(problem.message)
  throw new UsageError(
    `${source} is not canonical base64url: it ${reasons.join('; it ')}. ${ENCODING_HINT}`,
  )
}

function decodeHexKey(text: string, source: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) {
    throw new UsageError(
      `${source} is not hex: it must be pairs of 0-9 a-f (${count(text.length, 'character')} given). If the key is a text secret, use --key-encoding utf8.`,
    )
  }
  return new Uint8Array(Buffer.from(text, 'hex'))
}

/** The key written as `text`, read in `encoding`. */
function decodeKeyText(text: string, source: string, encoding: KeyEncoding): Uint8Array {
  if (text === '') throw new UsageError(`${source} is empty`)
  if (encoding === 'hex') return decodeHexKey(text, source)
  if (encoding === 'utf8') return new TextEncoder().encode(text)
  return decodeBase64urlKey(text, source)
}

function fromEnv(env: Env, name: string, encoding: KeyEncoding): SecretKey | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  return { bytes: decodeKeyText(value, name, encoding), source: name, encoding }
}

/** True when every byte is printable ASCII (space to tilde). */
function isPrintableAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte < 0x20 || byte > 0x7e) return false
  return true
}

/** `contents` without one trailing newline, LF or CRLF. */
function withoutTrailingNewline(contents: Uint8Array): Uint8Array {
  let end = contents.length
  if (contents[end - 1] === 0x0a) {
    end--
    if (contents[end - 1] === 0x0d) end--
  }
  return contents.subarray(0, end)
}

/** The secret in a key file's contents: text in `encoding`, or raw bytes (see the top of this file). */
export function parseKeyFile(
  contents: Uint8Array,
  source: string,
  encoding: KeyEncoding,
): { bytes: Uint8Array; encoding: KeyEncoding | 'raw' } {
  const body = withoutTrailingNewline(contents)
  if (encoding === 'utf8') {
    if (body.length === 0) throw new UsageError(`${source} is empty`)
    return { bytes: new Uint8Array(body), encoding }
  }
  if (isPrintableAscii(body)) {
    return {
      bytes: decodeKeyText(Buffer.from(body).toString('latin1'), source, encoding),
      encoding,
    }
  }
  return { bytes: new Uint8Array(contents), encoding: 'raw' }
}

function readKeyFile(path: string, source: string): Uint8Array {
  try {
    if (statSync(path).size > MAX_KEY_FILE_BYTES) {
      throw new UsageError(`${source}: more than ${MAX_KEY_FILE_BYTES} bytes, too big to be a key`)
    }
    return new Uint8Array(readFileSync(path))
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new UsageError(`cannot read ${source} (${code})`)
  }
}

function secretFromFile(path: string, flag: string, encoding: KeyEncoding): SecretKey {
  const source = `${flag} ${path}`
  return { ...parseKeyFile(readKeyFile(path, source), source, encoding), source }
}

// ─── Key pairs ───────────────────────────────────────────────────────────────────

function describe(key: KeyObject): string {
  const details = key.asymmetricKeyDetails
  const kind = key.type === 'public' ? 'public key' : 'private key'
  const type = key.asymmetricKeyType
  if ((type === 'rsa' || type === 'rsa-pss') && details?.modulusLength !== undefined) {
    return `${type === 'rsa' ? 'RSA' : 'RSA-PSS'} ${details.modulusLength}-bit ${kind}`
  }
  if (type === 'ec') return `EC ${details?.namedCurve ?? ''} ${kind}`.replace('  ', ' ')
  return `${type ?? 'unknown'} ${kind}`
}

/** A key of `which` kind from one JWK object. */
function keyFromJwk(
  jwk: Record<string, unknown>,
  which: 'public' | 'private',
  source: string,
): PairKey {
  if (jwk.kty === 'oct') {
    throw new UsageError(
      `${source} is a shared-secret JWK ("kty": "oct"); give shared secrets as JOSE_KEY or --key-file`,
    )
  }
  if (which === 'private' && jwk.d === undefined) {
    throw new UsageError(`${source} is a public JWK; decrypting needs the private key (its "d")`)
  }
  let key: KeyObject
  try {
    // createPublicKey takes a private JWK too, and keeps its public half.
    key =
      which === 'public'
        ? createPublicKey({ key: jwk as never, format: 'jwk' })
        : createPrivateKey({ key: jwk as never, format: 'jwk' })
  } catch (error) {
    throw new UsageError(`${source} is not a usable JWK: ${(error as Error).message}`)
  }
  return {
    key,
    source,
    description: `${describe(key)} (JWK)`,
    kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
    alg: typeof jwk.alg === 'string' ? jwk.alg : undefined,
  }
}

function keyFromPem(pem: string, which: 'public' | 'private', source: string): PairKey {
  if (pem.includes('ENCRYPTED')) {
    throw new UsageError(
      `${source} is an encrypted PEM key; decrypt a copy first (openssl pkey -in key.pem -out plain.pem)`,
    )
  }
  let key: KeyObject
  try {
    if (which === 'public' && pem.includes('-----BEGIN CERTIFICATE-----')) {
      key = new X509Certificate(pem).publicKey
    } else {
      // createPublicKey takes a private key PEM too, and keeps its public half.
      key = which === 'public' ? createPublicKey(pem) : createPrivateKey(pem)
    }
  } catch (error) {
    throw new UsageError(`${source} is not a usable PEM key: ${(error as Error).message}`)
  }
  return { key, source, description: `${describe(key)} (PEM)`, kid: undefined, alg: undefined }
}

/** The keys in `text`: PEM, one JWK, or (public keys only) a JWK Set. */
export function parsePairKeys(
  text: string,
  which: 'public' | 'private',
  source: string,
): PairKey[] {
  const trimmed = text.trim()
  if (trimmed === '') throw new UsageError(`${source} is empty`)
  if (trimmed.startsWith('-----BEGIN ')) return [keyFromPem(trimmed, which, source)]
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    throw new UsageError(`${source} is neither PEM ("-----BEGIN …") nor JSON (a JWK)`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`${source} holds JSON that is not a JWK object`)
  }
  const keys = (json as { keys?: unknown }).keys
  if (keys === undefined) return [keyFromJwk(json as Record<string, unknown>, which, source)]
  if (which === 'private') throw new UsageError(`${source} is a JWK Set; give one private JWK`)
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new UsageError(`${source} is a JWK Set without keys`)
  }
  const found: PairKey[] = []
  for (let i = 0; i < keys.length; i++) {
    found.push(keyFromJwk(keys[i] as Record<string, unknown>, which, `${source} keys[${i}]`))
  }
  return found
}

function pairKeysFrom(
  env: Env,
  variable: string,
  path: string | undefined,
  flag: string,
  which: 'public' | 'private',
): PairKey[] {
  if (path !== undefined) {
    const source = `${flag} ${path}`
    return parsePairKeys(Buffer.from(readKeyFile(path, source)).toString('utf8'), which, source)
  }
  const value = env[variable]
  if (value === undefined || value === '') return []
  return parsePairKeys(value, which, variable)
}

/**
 * Every key given, each from its own file or variable. A shared secret falls back to
 * the general one (--key-file, then JOSE_KEY); a file replaces the variable of its role.
 */
export function loadKeyRing(env: Env, files: KeyFiles, encoding: KeyEncoding): KeyRing {
  const general =
    files.keyFile === undefined
      ? fromEnv(env, 'JOSE_KEY', encoding)
      : secretFromFile(files.keyFile, '--key-file', encoding)
  const signing =
    files.signingKeyFile === undefined
      ? fromEnv(env, 'JOSE_SIGNING_KEY', encoding)
      : secretFromFile(files.signingKeyFile, '--signing-key-file', encoding)
  const encryption =
    files.encryptionKeyFile === undefined
      ? fromEnv(env, 'JOSE_ENCRYPTION_KEY', encoding)
      : secretFromFile(files.encryptionKeyFile, '--encryption-key-file', encoding)
  const publicKeys = pairKeysFrom(
    env,
    'JOSE_PUBLIC_KEY',
    files.publicKeyFile,
    '--public-key-file',
    'public',
  )
  const [privateKey] = pairKeysFrom(
    env,
    'JOSE_PRIVATE_KEY',
    files.privateKeyFile,
    '--private-key-file',
    'private',
  )
  return {
    signing: signing ?? general,
    encryption: encryption ?? general,
    publicKeys,
    privateKey,
  }
}

/** The key algorithms `key` can be used with, by its type (RFC 7518 §3.1, §4.1; RFC 8037). */
export function algorithmsForKey(key: PairKey, use: 'sign' | 'encrypt'): string[] {
  if (key.alg !== undefined) return [key.alg]
  const type = key.key.asymmetricKeyType
  const curve = key.key.asymmetricKeyDetails?.namedCurve
  const ecdh = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']
  if (use === 'encrypt') {
    if (type === 'rsa') return ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']
    if (type === 'ec' || type === 'x25519' || type === 'x448') return ecdh
    return []
  }
  if (type === 'rsa') return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
  if (type === 'rsa-pss') return ['PS256', 'PS384', 'PS512']
  if (type === 'ec' && curve === 'prime256v1') return ['ES256']
  if (type === 'ec' && curve === 'secp384r1') return ['ES384']
  if (type === 'ec' && curve === 'secp521r1') return ['ES512']
  if (type === 'ed25519') return ['EdDSA', 'Ed25519']
  return []
}
