/**
 * Key rotation for the nested token of reference/production-flow.ts, on jose: the
 * answer to the blog post's "one strong key for the whole lifetime".
 *
 * A key that never changes is a key whose compromise never ends, and whose use is
 * never bounded (NIST SP 800-57 Part 1 §5.3 asks for a cryptoperiod per key). So each
 * layer has a key *set*: a current key that new tokens use, and retired keys that are
 * still accepted for an overlap after they retire. Each token says which key made it
 * with `kid` (RFC 7515 §4.1.4, RFC 7516 §4.1.6), on both layers: the JWE header names
 * the encryption key, the JWS header inside names the signing key. The two layers
 * rotate independently.
 *
 * The overlap must be at least the longest token lifetime, so that every token issued
 * before a rotation can live out its `exp`. After the overlap the retired key is gone,
 * and a token that names it is refused with jose's `ERR_JWKS_NO_MATCHING_KEY`, the
 * code jose uses when no key in a set matches a token.
 *
 * `kid` is only a name to look up in a list the reader holds: never a path, a URL or
 * a query (see the kid path-traversal pitfall). An unknown `kid` finds nothing.
 * Tests: test/blog-post.test.ts; prose: docs/06-the-blog-post.md §15.
 */

import {
  base64url,
  CompactEncrypt,
  compactDecrypt,
  errors,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'

/** One key of a set: its name, its bytes, and when it stopped being current. */
export interface VersionedKey {
  readonly kid: string
  readonly key: Uint8Array
  /** Unset for the current key. */
  readonly retiredAt?: Date
}

export interface KeySet {
  /** What new tokens use. */
  readonly current: VersionedKey
  /** Still accepted until `retiredAt` plus the overlap; newest first. */
  readonly retired: readonly VersionedKey[]
}

export interface RotatingKeys {
  readonly signing: KeySet
  readonly encryption: KeySet
}

/** The longest lifetime production-flow.ts issues: every token can live out its `exp`. */
export const DEFAULT_OVERLAP_SECONDS = 3600

/** 32 random bytes under a fresh name: HS256 wants at least 32, A256GCM exactly 32. */
export function newKey(kid: string): VersionedKey {
  return { kid, key: crypto.getRandomValues(new Uint8Array(32)) }
}

/** A set with one key. */
export function keySet(first: VersionedKey): KeySet {
  return { current: first, retired: [] }
}

// #region rotation-rotate
/** `next` becomes current; the old current key retires now, and stays readable for the overlap. */
export function rotate(set: KeySet, next: VersionedKey, now: Date): KeySet {
  if (next.kid === set.current.kid || set.retired.some((old) => old.kid === next.kid)) {
    throw new TypeError(
      `kid ${JSON.stringify(next.kid)} is already in the set; names are never reused`,
    )
  }
  return { current: next, retired: [{ ...set.current, retiredAt: now }, ...set.retired] }
}

/**
 * The key a token names, if the set still accepts it at `now`. A reused or guessed
 * name matches nothing: the lookup compares names, it never interprets them.
 */
export function findKey(set: KeySet, kid: unknown, now: Date, overlapSeconds: number): Uint8Array {
  if (typeof kid === 'string') {
    if (kid === set.current.kid) return set.current.key
    for (const old of set.retired) {
      const until = (old.retiredAt?.getTime() ?? 0) + overlapSeconds * 1000
      if (old.kid === kid && now.getTime() < until) return old.key
    }
  }
  throw new errors.JWKSNoMatchingKey(`no key named ${JSON.stringify(kid)} is accepted now`)
}
// #endregion rotation-rotate

export interface RotatingIssueOptions {
  readonly issuer: string
  readonly audience: string
  /** Seconds; fifteen minutes by default. Never more than the overlap. */
  readonly lifetimeSeconds?: number
  readonly currentDate?: Date
}

export interface RotatingReadOptions {
  readonly issuer: string
  readonly audience: string
  /** How long a retired key stays readable. Default one hour. */
  readonly overlapSeconds?: number
  readonly currentDate?: Date
}

// #region rotation-issue
/** A nested token made with the current key of each layer, and `kid` on both headers. */
export async function issueWithCurrentKeys(
  claims: JWTPayload,
  keys: RotatingKeys,
  options: RotatingIssueOptions,
): Promise<string> {
  const now = Math.floor((options.currentDate ?? new Date()).getTime() / 1000)
  const { signing, encryption } = keys
  const signed = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: signing.current.kid })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setJti(base64url.encode(crypto.getRandomValues(new Uint8Array(16))))
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetimeSeconds ?? 15 * 60))
    .sign(signing.current.key)
  return new CompactEncrypt(new TextEncoder().encode(signed))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT', kid: encryption.current.kid })
    .encrypt(encryption.current.key)
}
// #endregion rotation-issue

// #region rotation-read
/** Decrypts with the key the JWE names, then verifies with the key the JWS names. */
export async function readWithKeySets(
  token: string,
  keys: RotatingKeys,
  options: RotatingReadOptions,
): Promise<JWTPayload> {
  const now = options.currentDate ?? new Date()
  const overlap = options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS
  // jose calls these with the protected header, before any cryptography.
  const { plaintext, protectedHeader } = await compactDecrypt(
    token,
    (header) => findKey(keys.encryption, header.kid, now, overlap),
    {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      maxDecompressedLength: 0,
    },
  )
  if (protectedHeader.cty !== 'JWT') throw new errors.JWTInvalid('outer JWE must say cty "JWT"')
  let signed: string
  try {
    signed = new TextDecoder('utf-8', { fatal: true }).decode(plaintext)
  } catch (cause) {
    throw new errors.JWTInvalid('nested JWT is not UTF-8', { cause })
  }
  const { payload } = await jwtVerify(
    signed,
    (header) => findKey(keys.signing, header.kid, now, overlap),
    {
      algorithms: ['HS256'],
      typ: 'JWT',
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
      currentDate: now,
    },
  )
  return payload
}
// #endregion rotation-read
