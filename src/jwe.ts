/**
 * JWE Compact Serialisation with `alg: "dir"` and AES-GCM (RFC 7516 §5, §7.1;
 * RFC 7518 §4.5 and §5.3).
 *
 * With `dir` there is no key wrapping: the key both parties share *is* the Content
 * Encryption Key. It is a symmetric secret, not a private key, and anyone who can
 * decrypt can also encrypt.
 */

import { randomFillSync } from 'node:crypto'
import {
  type GcmAlgorithm,
  gcmAlgorithm,
  gcmDecrypt,
  gcmEncrypt,
  IV_BYTES,
  TAG_BYTES,
} from './aes-gcm.ts'
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { toBytes, utf8Encode } from './bytes.ts'
import { maxTokenLengthOption, splitCompact } from './compact.ts'
import { JOSEAlgNotAllowed, JOSENotSupported, JWEDecryptionFailed, JWEInvalid } from './errors.ts'
import { checkCrit, decodeProtectedHeader, serializeProtectedHeader } from './header.ts'
import { describeValue, ownProperties } from './options.ts'
import type { DecryptOptions, DecryptResult, EncryptOptions, JWEHeader } from './types.ts'

const DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = ['A256GCM']

/** The header's `alg`, `enc` and `zip`, checked as a recipient would read them. */
function checkEncryptionHeader(header: Record<string, unknown>): GcmAlgorithm {
  const { alg, enc } = header
  if (typeof alg !== 'string' || alg === '')
    throw new JWEInvalid('JWE "alg" Header Parameter missing or invalid')
  if (typeof enc !== 'string' || enc === '')
    throw new JWEInvalid('JWE "enc" Header Parameter missing or invalid')
  if (alg !== 'dir')
    throw new JOSENotSupported(`JWE "alg" ${JSON.stringify(alg)} is not supported; only "dir"`)
  const algorithm = gcmAlgorithm(enc)
  if (algorithm === undefined) {
    throw new JOSENotSupported(
      `JWE "enc" ${JSON.stringify(enc)} is not supported; only A128GCM, A192GCM, A256GCM`,
    )
  }
  if (Object.hasOwn(header, 'zip'))
    throw new JOSENotSupported('JWE "zip" is not supported (see decryptCompact)')
  return algorithm
}

function checkContentKey(key: Uint8Array, algorithm: GcmAlgorithm): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array of raw key bytes')
  if (key.length !== algorithm.keyBytes) {
    throw new TypeError(
      `${algorithm.name} with "dir" needs a key of exactly ${algorithm.keyBytes} bytes (RFC 7518 §5.3); this one has ${key.length}`,
    )
  }
}

/** A fresh random 96-bit IV. */
function randomIv(): Uint8Array {
  return randomFillSync(new Uint8Array(IV_BYTES))
}

// #region encrypt-compact
/**
 * Encrypts `plaintext` as a compact JWE with `dir` (RFC 7516 §5.1). The header
 * defaults to `{ alg: 'dir', enc: 'A256GCM' }`.
 */
export function encryptCompact(
  plaintext: Uint8Array | string,
  key: Uint8Array,
  header: JWEHeader = { alg: 'dir', enc: 'A256GCM' },
  options: EncryptOptions = {},
): string {
  const own = ownProperties(options, 'options')
  const bytes = toBytes(plaintext, 'plaintext')

  // Steps 1–4 and 13: the header, serialised once, then checked as the recipient will
  // read it. With "dir" the shared key is the CEK and the Encrypted Key is empty (§5.1
  // steps 5–6).
  const serialized = serializeProtectedHeader(header, JWEInvalid, 'JWE Protected Header')
  checkCrit(serialized.header, JWEInvalid)
  const algorithm = checkEncryptionHeader(serialized.header)
  checkContentKey(key, algorithm)

  // Step 9: a 96-bit IV, fresh from the CSPRNG unless a test vector pins one.
  let iv = own.iv
  if (iv === undefined) {
    iv = randomIv()
  } else if (!(iv instanceof Uint8Array) || iv.length !== IV_BYTES) {
    throw new TypeError(`options.iv must be ${IV_BYTES} bytes (RFC 7518 §5.3)`)
  }

  // Step 14: the AAD is ASCII(BASE64URL(UTF8(JWE Protected Header))).
  const aad = utf8Encode(serialized.segment)

  // Step 15: encrypt, producing the ciphertext and a 128-bit tag.
  const { ciphertext, tag } = gcmEncrypt(algorithm, key, iv, bytes, aad)

  // Step 19: header '.' encrypted key (empty) '.' iv '.' ciphertext '.' tag.
  return `${serialized.segment}..${encodeBase64url(iv)}.${encodeBase64url(ciphertext)}.${encodeBase64url(tag)}`
}
// #endregion encrypt-compact

function contentEncryptionAlgorithmsOption(list: string[] | undefined): readonly string[] {
  if (list === undefined) return DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError('contentEncryptionAlgorithms must be a non-empty array of "enc" names')
  }
  for (const enc of list) {
    // A Map lookup: a non-string (or '__proto__') simply finds nothing.
    if (gcmAlgorithm(enc) === undefined) {
      throw new TypeError(
        `contentEncryptionAlgorithms: ${describeValue(enc)} is not supported (A128GCM, A192GCM, A256GCM)`,
      )
    }
  }
  return list
}

/** A key that fits no allowed `enc` can never decrypt anything: a programmer error. */
function checkDecryptionKey(key: Uint8Array, allowed: readonly string[]): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array of raw key bytes')
  for (const enc of allowed) {
    if ((gcmAlgorithm(enc) as GcmAlgorithm).keyBytes === key.length) return
  }
  // The default allows A256GCM only, so a 16-byte key for A128GCM lands here: say how to allow it.
  throw new TypeError(
    `key has ${key.length} bytes, which fits none of ${allowed.join(', ')} (A128GCM: 16, A192GCM: 24, A256GCM: 32 bytes; allow others with contentEncryptionAlgorithms)`,
  )
}

function decodeSegment(segment: string, label: string): Uint8Array {
  const bytes = decodeBase64url(segment)
  if (bytes === undefined) throw new JWEInvalid(`JWE ${label} is not canonical base64url`)
  return bytes
}

// #region decrypt-compact
/**
 * Decrypts a compact JWE (RFC 7516 §5.2). Plaintext is returned only after the
 * 128-bit tag has verified; every authentication failure is the same vague error.
 */
export function decryptCompact(
  token: string,
  key: Uint8Array,
  options: DecryptOptions = {},
): DecryptResult {
  const own = ownProperties(options, 'options')
  const allowed = contentEncryptionAlgorithmsOption(own.contentEncryptionAlgorithms)
  checkDecryptionKey(key, allowed)

  // Step 1: five segments, after an O(1) size cap; the header, IV, ciphertext and tag
  // are each canonical base64url (and the header strict UTF-8 of a strict JSON object,
  // steps 2–4). jose decodes every segment before it reads the header's policy, and so
  // do we, so both name the same first problem.
  const maxLength = maxTokenLengthOption(own.maxTokenLength)
  const [encodedHeader, encodedKey, encodedIv, encodedCiphertext, encodedTag] = splitCompact(
    token,
    5,
    maxLength,
    JWEInvalid,
  ) as [string, string, string, string, string]
  const header = decodeProtectedHeader(encodedHeader, JWEInvalid, 'JWE Protected Header')
  const ciphertext = decodeSegment(encodedCiphertext, 'Ciphertext')
  const iv = decodeSegment(encodedIv, 'Initialization Vector')
  const tag = decodeSegment(encodedTag, 'Authentication Tag')

  // Step 5: every extension marked critical must be understood.
  checkCrit(header, JWEInvalid)

  // Compression before encryption leaks the plaintext's content through its length
  // (CRIME/BREACH) and inflating attacker-chosen data invites decompression bombs, so
  // "zip" is never honoured. An unknown value is refused at once; "DEF" (RFC 7516
  // §4.1.3) only once the token has authenticated, below, as jose does with
  // decompression turned off, so both give the same code for the same token.
  const zip = header.zip
  if (zip !== undefined && zip !== 'DEF')
    throw new JOSENotSupported('JWE "zip" value is not supported')

  // Step 6 (and RFC 8725 §3.1): the algorithms are the caller's choice, not the token's.
  const { alg, enc } = header
  if (typeof alg !== 'string' || alg === '')
    throw new JWEInvalid('JWE "alg" Header Parameter missing or invalid')
  if (typeof enc !== 'string' || enc === '')
    throw new JWEInvalid('JWE "enc" Header Parameter missing or invalid')
  if (alg !== 'dir')
    throw new JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed')
  if (!allowed.includes(enc))
    throw new JOSEAlgNotAllowed('"enc" (Encryption Algorithm) Header Parameter value not allowed')
  const algorithm = gcmAlgorithm(enc) as GcmAlgorithm

  // Step 10 and RFC 7518 §4.5: with "dir" the JWE Encrypted Key MUST be empty.
  if (encodedKey !== '') throw new JWEInvalid('JWE Encrypted Key must be empty with "dir"')

  // RFC 7518 §5.3: the IV must be 96 bits and the tag 128 bits, exactly.
  if (iv.length !== IV_BYTES) throw new JWEInvalid('JWE Initialization Vector must be 96 bits')
  if (tag.length !== TAG_BYTES) throw new JWEInvalid('JWE Authentication Tag must be 128 bits')
  if (key.length !== algorithm.keyBytes)
    throw new JWEInvalid(`the key does not fit ${enc} (RFC 7518 §5.3)`)

  // Step 14: the AAD is the *received* header segment, as ASCII (it is canonical
  // base64url by now). Re-serialising the parsed header would change the bytes
  // (member order, spacing) and break the tag.
  const aad = utf8Encode(encodedHeader)

  // Step 16: decrypt and check the tag; nothing is released before it verifies.
  const plaintext = gcmDecrypt(algorithm, key, iv, ciphertext, tag, aad)
  if (plaintext === undefined) throw new JWEDecryptionFailed()
  // Step 17 would decompress here. We refuse instead, now that the token is authentic.
  if (zip !== undefined) {
    plaintext.fill(0)
    throw new JOSENotSupported(
      'JWE "zip" (Compression Algorithm) Header Parameter is not supported',
    )
  }
  return { plaintext, protectedHeader: header as JWEHeader }
}
// #endregion decrypt-compact
