/**
 * Nested JWTs, sign-then-encrypt (RFC 7519 §5.2 and §11.2): a JWS-protected JWT is the
 * plaintext of a `dir` JWE whose header says `cty: "JWT"`.
 *
 * The two layers check different things. The outer JWE keeps the claims confidential
 * and proves the sender knew the *encryption* key; the inner JWS proves who *signed*
 * the claims, and the claim checks decide whether they apply here and now.
 */

import { utf8DecodeStrict } from './bytes.ts'
import { JWTInvalid } from './errors.ts'
import { decryptCompact, encryptCompact } from './jwe.ts'
import {
  checkReplicatedClaims,
  isNestedJwtType,
  plainEncryptionHeader,
  signJwt,
  verifyJwt,
} from './jwt.ts'
import { ownProperties } from './options.ts'
import type {
  JWTPayload,
  NestedKeys,
  NestedVerifyOptions,
  NestedVerifyResult,
  SignThenEncryptOptions,
} from './types.ts'

/** The outer header `signThenEncrypt` uses unless told otherwise. */
export const DEFAULT_NESTED_HEADER = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' } as const

/** The two keys, read as the caller's own properties like every option bag. */
function nestedKeys(keys: NestedKeys): NestedKeys {
  if (typeof keys !== 'object' || keys === null)
    throw new TypeError('keys must be { signingKey, encryptionKey }')
  const own = ownProperties(keys, 'keys')
  // Each key is checked where it is used, as any other key argument.
  return {
    signingKey: own.signingKey as Uint8Array,
    encryptionKey: own.encryptionKey as Uint8Array,
  }
}

// #region sign-then-encrypt
/** Signs the claims as a JWT, then encrypts that JWT as a `dir` JWE with `cty: "JWT"`. */
export function signThenEncrypt(
  claims: JWTPayload,
  keys: NestedKeys,
  options: SignThenEncryptOptions = {},
): string {
  const { signingKey, encryptionKey } = nestedKeys(keys)
  const own = ownProperties(options, 'options')
  const inner = signJwt(claims, signingKey, own)
  const outerHeader = plainEncryptionHeader(own.encryptionHeader ?? { ...DEFAULT_NESTED_HEADER })
  if (!isNestedJwtType(outerHeader.cty))
    throw new TypeError('the outer header of a nested JWT must say cty "JWT"')
  return encryptCompact(inner, encryptionKey, outerHeader, { iv: own.iv })
}
// #endregion sign-then-encrypt

// #region decrypt-then-verify
/**
 * Decrypts the outer JWE, insists that it announces a nested JWT, then verifies the
 * inner JWS and its claims. `maxTokenLength` and `contentEncryptionAlgorithms` apply to
 * the outer token; `algorithms` and the claim options to the inner one.
 */
export function decryptThenVerify(
  token: string,
  keys: NestedKeys,
  options: NestedVerifyOptions = {},
): NestedVerifyResult {
  const { signingKey, encryptionKey } = nestedKeys(keys)
  const { algorithms, contentEncryptionAlgorithms, maxTokenLength, ...claimOptions } =
    ownProperties(options, 'options')
  const { plaintext, protectedHeader: outerHeader } = decryptCompact(token, encryptionKey, {
    contentEncryptionAlgorithms,
    maxTokenLength,
  })

  // RFC 7519 §5.2: cty "JWT" (any case, or "application/jwt") marks the nested token.
  // Without it the plaintext might be bare claims that nobody signed.
  if (!isNestedJwtType(outerHeader.cty))
    throw new JWTInvalid('outer JWE must say cty "JWT" for a nested JWT')
  // Strict UTF-8, and no byte-order mark: the inner token is a compact JWS, which is ASCII.
  const inner = utf8DecodeStrict(plaintext)
  if (inner === undefined) throw new JWTInvalid('nested JWT is not UTF-8 without a byte-order mark')

  // The inner token is shorter than the outer one, so the outer cap bounds it too.
  const { payload, protectedHeader } = verifyJwt(inner, signingKey, {
    ...claimOptions,
    algorithms,
    maxTokenLength: Number.POSITIVE_INFINITY,
  })
  checkReplicatedClaims(outerHeader, payload)
  return { payload, protectedHeader, outerHeader }
}
// #endregion decrypt-then-verify
