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
import { checkReplicatedClaims, isNestedJwtType, signJwt, verifyJwt } from './jwt.ts'
import type {
  JWEHeader,
  JWTPayload,
  NestedKeys,
  NestedVerifyOptions,
  NestedVerifyResult,
  SignThenEncryptOptions,
} from './types.ts'

/** The outer header `signThenEncrypt` uses unless told otherwise. */
export const DEFAULT_NESTED_HEADER = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' } as const

function checkKeys(keys: NestedKeys): void {
  if (typeof keys !== 'object' || keys === null)
    throw new TypeError('keys must be { signingKey, encryptionKey }')
}

// #region sign-then-encrypt
/** Signs the claims as a JWT, then encrypts that JWT as a `dir` JWE with `cty: "JWT"`. */
export function signThenEncrypt(
  claims: JWTPayload,
  keys: NestedKeys,
  options: SignThenEncryptOptions = {},
): string {
  checkKeys(keys)
  const outerHeader: JWEHeader = options.encryptionHeader ?? { ...DEFAULT_NESTED_HEADER }
  if (!isNestedJwtType(outerHeader.cty))
    throw new TypeError('the outer header of a nested JWT must say cty "JWT"')
  const inner = signJwt(claims, keys.signingKey, options)
  // encryptCompact reads only options.iv (absent: a fresh random IV).
  return encryptCompact(inner, keys.encryptionKey, outerHeader, options)
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
  checkKeys(keys)
  const { algorithms, contentEncryptionAlgorithms, maxTokenLength, ...claimOptions } = options
  const { plaintext, protectedHeader: outerHeader } = decryptCompact(token, keys.encryptionKey, {
    contentEncryptionAlgorithms,
    maxTokenLength,
  })

  // RFC 7519 §5.2: cty "JWT" (any case, or "application/jwt") marks the nested token.
  // Without it the plaintext might be bare claims that nobody signed.
  if (!isNestedJwtType(outerHeader.cty))
    throw new JWTInvalid('outer JWE must say cty "JWT" for a nested JWT')
  const inner = utf8DecodeStrict(plaintext)
  if (inner === undefined) throw new JWTInvalid('nested JWT is not UTF-8')

  // The inner token is shorter than the outer one, so the outer cap bounds it too.
  const { payload, protectedHeader } = verifyJwt(inner, keys.signingKey, {
    ...claimOptions,
    algorithms,
    maxTokenLength: Number.POSITIVE_INFINITY,
  })
  checkReplicatedClaims(outerHeader, payload)
  return { payload, protectedHeader, outerHeader }
}
// #endregion decrypt-then-verify
