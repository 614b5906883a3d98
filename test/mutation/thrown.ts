/**
 * The one helper every file in test/mutation/ needs: the error a call throws, so that a
 * test can assert its class, `code`, `claim`, `reason` and message, not merely that
 * something was thrown.
 */

/** An Error, with the fields a JOSEError (or JWTClaimValidationFailed) adds when it is one. */
export interface Thrown extends Error {
  code?: string
  claim?: string
  reason?: string
}

/** The error `action` throws; fails the test if it returns. */
export function thrown(action: () => unknown): Thrown {
  try {
    action()
  } catch (error) {
    return error as Thrown
  }
  throw new Error('expected an error, but the call returned')
}
