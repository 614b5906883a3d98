/**
 * Where the inspector's keys come from: environment variables or files, never the
 * command line. Arguments end up in shell history and, while the program runs, in
 * every user's view of the process list (`ps`); the environment and files do not.
 *
 * Environment variables hold base64url (RFC 4648 §5, unpadded, canonical):
 *   JOSE_KEY             one key for everything (a JWS, a JWE, or both layers of a nested token)
 *   JOSE_SIGNING_KEY     the HMAC key of a JWS, or of the JWS inside a nested token
 *   JOSE_ENCRYPTION_KEY  the "dir" key of a JWE
 * An empty variable counts as unset.
 *
 * Key files (--key-file, --signing-key-file, --encryption-key-file replace the
 * variable of the same role) hold either
 *   - text: printable ASCII, optionally ending in one newline, read as base64url; or
 *   - raw bytes: any file with a byte outside printable ASCII is the key as it is
 *     (`head -c 32 /dev/urandom > key.bin`). A random 32-byte key is all printable
 *     ASCII with a chance of about 1 in 10^13, so the two cannot be confused in practice.
 */

import { readFileSync, statSync } from 'node:fs'
import { decodeBase64url } from '../../src/base64url.ts'
import { diagnoseBase64url } from './base64url-lint.ts'
import type { Env } from './colour.ts'
import { UsageError } from './main.ts'

export interface LoadedKey {
  readonly bytes: Uint8Array
  /** Where it came from, for display: "JOSE_KEY", "--key-file key.txt". Never the key itself. */
  readonly source: string
}

export interface KeyRing {
  readonly signing: LoadedKey | undefined
  readonly encryption: LoadedKey | undefined
}

export interface KeyFiles {
  readonly keyFile?: string | undefined
  readonly signingKeyFile?: string | undefined
  readonly encryptionKeyFile?: string | undefined
}

/** No real key file is anywhere near this big; a bigger file is the wrong file. */
const MAX_KEY_FILE_BYTES = 4096

function decodeKeyText(text: string, source: string): Uint8Array {
  if (text === '') throw new UsageError(`${source} is empty`)
  const bytes = decodeBase64url(text)
  if (bytes !== undefined) return bytes
  const reasons: string[] = []
  for (const problem of diagnoseBase64url(text).problems) reasons.push(problem.message)
  throw new UsageError(`${source} is not canonical base64url: it ${reasons.join('; it ')}`)
}

function fromEnv(env: Env, name: string): LoadedKey | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  return { bytes: decodeKeyText(value, name), source: name }
}

/** True when every byte is printable ASCII (space to tilde). */
function isPrintableAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte < 0x20 || byte > 0x7e) return false
  return true
}

/** The key in a key file's contents: base64url text, or raw bytes (see the top of this file). */
export function parseKeyFile(contents: Uint8Array, source: string): Uint8Array {
  let end = contents.length
  if (contents[end - 1] === 0x0a) end--
  if (end > 0 && contents[end - 1] === 0x0d && end < contents.length) end--
  const body = contents.subarray(0, end)
  if (isPrintableAscii(body)) return decodeKeyText(Buffer.from(body).toString('latin1'), source)
  return new Uint8Array(contents)
}

function fromFile(path: string, flag: string): LoadedKey {
  const source = `${flag} ${path}`
  let contents: Uint8Array
  try {
    if (statSync(path).size > MAX_KEY_FILE_BYTES) {
      throw new UsageError(`${source}: more than ${MAX_KEY_FILE_BYTES} bytes, too big to be a key`)
    }
    contents = new Uint8Array(readFileSync(path))
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new UsageError(`cannot read ${source} (${code})`)
  }
  return { bytes: parseKeyFile(contents, source), source }
}

/**
 * The signing and encryption keys, each from its own file or variable, falling back to
 * the general key (--key-file, then JOSE_KEY). A file replaces the variable of its role.
 */
export function loadKeyRing(env: Env, files: KeyFiles): KeyRing {
  const general =
    files.keyFile === undefined ? fromEnv(env, 'JOSE_KEY') : fromFile(files.keyFile, '--key-file')
  const signing =
    files.signingKeyFile === undefined
      ? fromEnv(env, 'JOSE_SIGNING_KEY')
      : fromFile(files.signingKeyFile, '--signing-key-file')
  const encryption =
    files.encryptionKeyFile === undefined
      ? fromEnv(env, 'JOSE_ENCRYPTION_KEY')
      : fromFile(files.encryptionKeyFile, '--encryption-key-file')
  return { signing: signing ?? general, encryption: encryption ?? general }
}
