/**
 * Typed errors, named and coded exactly as jose names and codes them, so that one
 * test can assert `err.code` against either implementation.
 *
 * The `code` strings are a stable contract: callers branch on them, never on messages.
 */

import type { JWTPayload } from './types.ts'

export class JOSEError extends Error {
  static readonly code: string = 'ERR_JOSE_GENERIC'
  readonly code: string = 'ERR_JOSE_GENERIC'

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** The token names an algorithm that the caller did not allow. */
export class JOSEAlgNotAllowed extends JOSEError {
  static override readonly code = 'ERR_JOSE_ALG_NOT_ALLOWED'
  override readonly code = 'ERR_JOSE_ALG_NOT_ALLOWED'
}

/** The token asks for a feature this module deliberately does not implement (`zip`, `crit`, …). */
export class JOSENotSupported extends JOSEError {
  static override readonly code = 'ERR_JOSE_NOT_SUPPORTED'
  override readonly code = 'ERR_JOSE_NOT_SUPPORTED'
}

/**
 * Every authentication failure of a JWE gets this one error with one vague message.
 * Saying *why* (wrong key? flipped bit? wrong AAD?) would hand an attacker an oracle.
 */
export class JWEDecryptionFailed extends JOSEError {
  static override readonly code = 'ERR_JWE_DECRYPTION_FAILED'
  override readonly code = 'ERR_JWE_DECRYPTION_FAILED'

  constructor(message = 'decryption operation failed', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The JWE is malformed: framing, base64url, header JSON, sizes of IV, tag or key. */
export class JWEInvalid extends JOSEError {
  static override readonly code = 'ERR_JWE_INVALID'
  override readonly code = 'ERR_JWE_INVALID'
}

/** The JWS is malformed: framing, base64url, header JSON, `alg` missing. */
export class JWSInvalid extends JOSEError {
  static override readonly code = 'ERR_JWS_INVALID'
  override readonly code = 'ERR_JWS_INVALID'
}

/** The MAC did not match. One message, whatever the reason. */
export class JWSSignatureVerificationFailed extends JOSEError {
  static override readonly code = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  override readonly code = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'

  constructor(message = 'signature verification failed', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The JWT Claims Set is not a strict JSON object, or the token's shape is wrong for a JWT. */
export class JWTInvalid extends JOSEError {
  static override readonly code = 'ERR_JWT_INVALID'
  override readonly code = 'ERR_JWT_INVALID'
}

/** A claim failed a check. `claim` names it; `reason` is `missing`, `invalid`, `check_failed` or `mismatch`. */
export class JWTClaimValidationFailed extends JOSEError {
  static override readonly code = 'ERR_JWT_CLAIM_VALIDATION_FAILED'
  override readonly code = 'ERR_JWT_CLAIM_VALIDATION_FAILED'
  readonly claim: string
  readonly reason: string
  readonly payload: JWTPayload

  constructor(message: string, payload: JWTPayload, claim: string, reason: string) {
    super(message, { cause: { claim, reason, payload } })
    this.claim = claim
    this.reason = reason
    this.payload = payload
  }
}

/** `exp` has passed, or `iat` is older than `maxTokenAge`. */
export class JWTExpired extends JOSEError {
  static override readonly code = 'ERR_JWT_EXPIRED'
  override readonly code = 'ERR_JWT_EXPIRED'
  readonly claim: string
  readonly reason: string
  readonly payload: JWTPayload

  constructor(message: string, payload: JWTPayload, claim: string, reason: string) {
    super(message, { cause: { claim, reason, payload } })
    this.claim = claim
    this.reason = reason
    this.payload = payload
  }
}
