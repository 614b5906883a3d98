/**
 * jose-by-hand: HS256 JWS, dir + AES-GCM JWE and nested JWTs, built step by step on
 * node:crypto. A teaching module: production code should use the `jose` package.
 */

export { base64url } from './base64url.ts'
export {
  JOSEAlgNotAllowed,
  JOSEError,
  JOSENotSupported,
  JWEDecryptionFailed,
  JWEInvalid,
  JWSInvalid,
  JWSSignatureVerificationFailed,
  JWTClaimValidationFailed,
  JWTExpired,
  JWTInvalid,
} from './errors.ts'
export { decryptCompact, encryptCompact } from './jwe.ts'
export { signCompact, verifyCompact } from './jws.ts'
export { decryptJwt, encryptJwt, signJwt, verifyJwt } from './jwt.ts'
export { decryptThenVerify, signThenEncrypt } from './nested.ts'
export type {
  DecryptOptions,
  DecryptResult,
  Duration,
  EncryptOptions,
  Instant,
  JWEHeader,
  JWSHeader,
  JWTClaimOptions,
  JWTClaimsHelpers,
  JWTDecryptOptions,
  JWTDecryptResult,
  JWTEncryptOptions,
  JWTPayload,
  JWTSignOptions,
  JWTVerifyOptions,
  JWTVerifyResult,
  NestedKeys,
  NestedVerifyOptions,
  NestedVerifyResult,
  SignThenEncryptOptions,
  VerifyOptions,
  VerifyResult,
} from './types.ts'
