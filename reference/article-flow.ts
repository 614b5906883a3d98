/**
 * The blog post's token flow (docs/06-the-blog-post.md), reproduced on jose so that tests
 * and the demo can show what it does today, and what it leaves out.
 *
 * DO NOT COPY THIS INTO AN APPLICATION. reference/production-flow.ts is the corrected
 * version. Each flaw is marked `FLAW` below:
 *
 * 1. The encryption key is 17 bytes ('encryption-secret'). With `dir`, the shared key
 *    *is* the AES-256-GCM content key, which must be exactly 32 bytes (RFC 7518 §5.3,
 *    §4.5). jose refuses it: "Expected 256 bits, got 136 bits". The flow never runs.
 * 2. The signing key is 14 bytes ('signing-secret'), a guessable ASCII phrase. RFC 7518
 *    §3.2 asks for at least 32 bytes for HS256. jose signs with it anyway.
 * 3. It is not a standard nested JWT (RFC 7519 §5.2, §11.2): the outer header has no
 *    `cty: "JWT"`, and the signed JWT is carried as a claim (`token`) of an unsigned,
 *    claim-less outer JWT instead of being the JWE plaintext. No other library reads
 *    it as a nested token.
 * 4. Decoding checks neither `iss` nor `aud`, although the post itself recommends both:
 *    a token minted for one service is accepted by every service that shares the keys.
 * 5. No algorithm allowlists (`algorithms`, `keyManagementAlgorithms`,
 *    `contentEncryptionAlgorithms`): the token's own header picks among everything jose
 *    allows by default for a raw secret, e.g. A256KW key wrapping, A128CBC-HS256, an
 *    HS512 inner signature. RFC 8725 §3.1 says the verifier must choose.
 *
 * Also worth knowing: nothing makes a token single-use (no `jti`), so a stolen JWE
 * replays until its inner `exp`, one hour later; and `dir` is one symmetric secret, so
 * whoever can decrypt can also encrypt.
 */

import { EncryptJWT, type JWTPayload, jwtDecrypt, jwtVerify, SignJWT } from 'jose'

const encoder = new TextEncoder()

/** FLAW 2: 14 bytes of a readable phrase; RFC 7518 §3.2 wants at least 32 random bytes. */
export const SIGN_SECRET: Uint8Array = encoder.encode('signing-secret')

/** FLAW 1: 17 bytes; A256GCM with `dir` needs exactly 32 (RFC 7518 §5.3). */
export const ENC_SECRET: Uint8Array = encoder.encode('encryption-secret')

/** The two secrets of the flow, so that tests can run it with keys of a valid size. */
export interface ArticleKeys {
  signingKey: Uint8Array
  encryptionKey: Uint8Array
}

/** The post's keys, exactly as it defines them. */
export const ARTICLE_KEYS: ArticleKeys = { signingKey: SIGN_SECRET, encryptionKey: ENC_SECRET }

// #region article-generate
/**
 * The post's "create JWE", with the keys as a parameter: sign the payload as an HS256
 * JWT valid for one hour, then encrypt `{ token: <that JWT> }` with `dir` + A256GCM.
 */
export async function generateJWEWith(payload: JWTPayload, keys: ArticleKeys): Promise<string> {
  // Step 1, the inner JWS. jose accepts any HMAC key length, so the 14-byte secret
  // signs without complaint (FLAW 2). No `typ`, no `iss`, no `aud`, no `jti`.
  const signedJwt = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(keys.signingKey)

  // Step 2, the outer JWE. FLAW 3: the signed JWT becomes a *claim* of a second JWT
  // with no `cty`, where RFC 7519 §5.2 makes it the plaintext and says `cty: "JWT"`.
  // This outer claims set has no `exp`, `iat`, `iss` or `aud` of its own.
  // FLAW 1: with `dir` the key is used as the AES-256 key, so it must be 32 bytes.
  return new EncryptJWT({ token: signedJwt })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .encrypt(keys.encryptionKey)
}
// #endregion article-generate

// #region article-decode
/** The post's "decrypt and verify", with the keys as a parameter. */
export async function decodeJWEWith(jwe: string, keys: ArticleKeys): Promise<JWTPayload> {
  // FLAW 5: no keyManagementAlgorithms / contentEncryptionAlgorithms, so the token's
  // header chooses the algorithms. FLAW 4: no issuer, no audience.
  const { payload } = await jwtDecrypt(jwe, keys.encryptionKey)

  // The inner JWT is fished out of a claim. Nothing checks that it is a string: the
  // post casts it, and jose rejects a non-string with its own error.
  const signedJwt = payload.token as string

  // FLAW 5 and 4 again: no `algorithms`, no `issuer`, no `audience`, no `typ`. jose
  // still checks the signature and, when present, `exp` and `nbf`.
  const { payload: claims } = await jwtVerify(signedJwt, keys.signingKey)
  return claims
}
// #endregion article-decode

/**
 * The post's `generateJWE`, with its own keys. Today it always rejects with jose's
 * `ERR_JWE_INVALID`: "Invalid Content Encryption Key length. Expected 256 bits, got
 * 136 bits" (17 bytes × 8 = 136).
 */
export async function generateJWE(payload: JWTPayload): Promise<string> {
  return generateJWEWith(payload, ARTICLE_KEYS)
}

/**
 * The post's `decodeJWE`, with its own keys. jose refuses the 17-byte key for
 * `dir` + A256GCM on this side too, with the same error as `generateJWE`.
 */
export async function decodeJWE(jwe: string): Promise<JWTPayload> {
  return decodeJWEWith(jwe, ARTICLE_KEYS)
}
