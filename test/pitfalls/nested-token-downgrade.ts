/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 13: a nested-token consumer that also takes bare claims, so whoever holds
 * the (shared, symmetric) encryption key can skip the signature.
 * See docs/pitfalls/nested-token-downgrade.md.
 * ============================================================================
 *
 * RFC 7519 §5.2 and §7.2 step 8: `cty: "JWT"` says the plaintext is itself a JWT, to be
 * validated again from step 1. Reading that plaintext as a claims set instead drops the
 * inner signature. With `dir` the encryption key is one shared secret: every service that
 * can decrypt can also encrypt, so it is no proof of who wrote the claims.
 */

import { compactDecrypt, type JWTPayload, jwtVerify } from 'jose'

export interface Keys {
  signingKey: Uint8Array
  encryptionKey: Uint8Array
}

const utf8 = new TextDecoder()

// #region naive-either-shape
/**
 * NEVER USE. "Supports both token generations": the old one put the claims directly in
 * the JWE, the new one nests a signed JWT. Whatever decrypts and looks like JSON is
 * taken as claims, whatever `cty` says.
 */
export async function naiveAcceptEitherShape(token: string, keys: Keys): Promise<JWTPayload> {
  const { plaintext } = await compactDecrypt(token, keys.encryptionKey, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  })
  const text = utf8.decode(plaintext)
  // MISTAKE: cty "JWT" promised a signed JWT; bare claims are taken without a signature.
  if (text.startsWith('{')) return JSON.parse(text) as JWTPayload
  const { payload } = await jwtVerify(text, keys.signingKey, { algorithms: ['HS256'] })
  return payload
}
// #endregion naive-either-shape
