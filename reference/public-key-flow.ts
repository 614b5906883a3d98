/**
 * Public-key JWE on jose: what the blog post's "encrypted with your private key, only
 * the receiver can decrypt" would look like if it were true, and why it still needs a
 * signature.
 *
 * With `ECDH-ES+A256KW` (RFC 7518 §4.6) the receiver publishes a public key. Anyone
 * who has it can encrypt a token to the receiver; only the receiver's private key can
 * decrypt it. (It is the *public* key that encrypts: a private key decrypts, or signs.)
 * So encryption alone says who can read a token, not who wrote it. An outsider with
 * the public key writes `{ "role": "admin" }`, encrypts it properly, and the receiver
 * decrypts it without complaint: `decryptForMe` below accepts it.
 *
 * Who wrote it is what a signature says. Sign with the sender's private key (ES256,
 * RFC 7518 §3.4), then encrypt to the receiver's public key, with `cty: "JWT"` on the
 * outside (RFC 7519 §5.2): `signThenEncryptFor` and `decryptThenVerifyFrom`. The
 * outsider can still encrypt, but cannot sign as the sender.
 *
 * Every algorithm is pinned by the reader, never chosen by the token (RFC 8725 §3.1).
 * Tests: test/blog-post.test.ts; prose: docs/06-the-blog-post.md §7.
 */

import {
  CompactEncrypt,
  type CryptoKey,
  compactDecrypt,
  EncryptJWT,
  errors,
  generateKeyPair,
  type JWTPayload,
  jwtDecrypt,
  jwtVerify,
  SignJWT,
} from 'jose'

/** Key agreement on P-256, then AES key wrap of a fresh content key (RFC 7518 §4.6.2). */
export const KEY_MANAGEMENT_ALGORITHM = 'ECDH-ES+A256KW'
export const CONTENT_ENCRYPTION_ALGORITHM = 'A256GCM'
/** ECDSA on P-256 with SHA-256: the sender's signature. */
export const SIGNATURE_ALGORITHM = 'ES256'

/** A key pair as jose makes it: Web Crypto keys, the private one not extractable. */
export interface KeyPair {
  readonly publicKey: CryptoKey
  readonly privateKey: CryptoKey
}

/** The receiver's pair: the public key is for everyone who may send, the private key stays home. */
export async function generateReceiverKeys(): Promise<KeyPair> {
  return generateKeyPair(KEY_MANAGEMENT_ALGORITHM)
}

/** The sender's signing pair: the public key is for every receiver, the private key signs. */
export async function generateSenderKeys(): Promise<KeyPair> {
  return generateKeyPair(SIGNATURE_ALGORITHM)
}

export interface TokenOptions {
  readonly issuer: string
  readonly audience: string
  /** Seconds; fifteen minutes by default. */
  readonly lifetimeSeconds?: number
  /** The clock, for tests. Default: now. */
  readonly currentDate?: Date
}

export interface CheckOptions {
  readonly issuer: string
  readonly audience: string
  readonly currentDate?: Date
}

const DEFAULT_LIFETIME_SECONDS = 15 * 60
const REQUIRED_CLAIMS = ['iss', 'aud', 'iat', 'exp']

function secondsOf(date: Date | undefined): number {
  return Math.floor((date ?? new Date()).getTime() / 1000)
}

const DECRYPT_OPTIONS = {
  keyManagementAlgorithms: [KEY_MANAGEMENT_ALGORITHM],
  contentEncryptionAlgorithms: [CONTENT_ENCRYPTION_ALGORITHM],
  // RFC 7516 §4.1.3: no compression, whatever the token asks for.
  maxDecompressedLength: 0,
}

// #region public-key-encrypt-only
/** Claims encrypted to the receiver, and nothing else: anyone with the public key can do this. */
export async function encryptFor(
  claims: JWTPayload,
  receiverPublicKey: CryptoKey,
  options: TokenOptions,
): Promise<string> {
  const now = secondsOf(options.currentDate)
  return new EncryptJWT(claims)
    .setProtectedHeader({ alg: KEY_MANAGEMENT_ALGORITHM, enc: CONTENT_ENCRYPTION_ALGORITHM })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS))
    .encrypt(receiverPublicKey)
}

/**
 * Decrypts with the receiver's private key and checks the claims. It proves the token
 * was encrypted to this receiver; it cannot prove who encrypted it: `iss` is whatever
 * the encrypting party wrote.
 */
export async function decryptForMe(
  token: string,
  receiverPrivateKey: CryptoKey,
  options: CheckOptions,
): Promise<JWTPayload> {
  const { payload } = await jwtDecrypt(token, receiverPrivateKey, {
    ...DECRYPT_OPTIONS,
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: REQUIRED_CLAIMS,
    currentDate: options.currentDate,
  })
  return payload
}
// #endregion public-key-encrypt-only

// #region public-key-sign-then-encrypt
/** Signed with the sender's private key, then encrypted to the receiver's public key. */
export async function signThenEncryptFor(
  claims: JWTPayload,
  senderPrivateKey: CryptoKey,
  receiverPublicKey: CryptoKey,
  options: TokenOptions,
): Promise<string> {
  const now = secondsOf(options.currentDate)
  const signed = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNATURE_ALGORITHM, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS))
    .sign(senderPrivateKey)
  return new CompactEncrypt(new TextEncoder().encode(signed))
    .setProtectedHeader({
      alg: KEY_MANAGEMENT_ALGORITHM,
      enc: CONTENT_ENCRYPTION_ALGORITHM,
      cty: 'JWT',
    })
    .encrypt(receiverPublicKey)
}

/** Decrypts with the receiver's private key, then verifies the sender's signature. */
export async function decryptThenVerifyFrom(
  token: string,
  receiverPrivateKey: CryptoKey,
  senderPublicKey: CryptoKey,
  options: CheckOptions,
): Promise<JWTPayload> {
  const { plaintext, protectedHeader } = await compactDecrypt(
    token,
    receiverPrivateKey,
    DECRYPT_OPTIONS,
  )
  // RFC 7519 §5.2: only a header that says cty "JWT" announces a signed JWT inside.
  const cty = protectedHeader.cty
  if (typeof cty !== 'string' || !['jwt', 'application/jwt'].includes(cty.toLowerCase())) {
    throw new errors.JWTInvalid('outer JWE must say cty "JWT": this token carries no signature')
  }
  let signed: string
  try {
    signed = new TextDecoder('utf-8', { fatal: true }).decode(plaintext)
  } catch (cause) {
    throw new errors.JWTInvalid('nested JWT is not UTF-8', { cause })
  }
  const { payload } = await jwtVerify(signed, senderPublicKey, {
    algorithms: [SIGNATURE_ALGORITHM],
    typ: 'JWT',
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: REQUIRED_CLAIMS,
    currentDate: options.currentDate,
  })
  return payload
}
// #endregion public-key-sign-then-encrypt
