/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 18: one key, several kinds of token, and a verifier that does not ask
 * which kind it was given. See docs/pitfalls/cross-jwt-confusion.md.
 * ============================================================================
 *
 * RFC 8725 §2.8 describes the confusion and §3.11 the cure: give each kind of JWT its
 * own `typ` and have each verifier insist on its own (RFC 9068 uses "at+jwt" for
 * access tokens). A valid MAC only says "this came from our issuer", not "this is a
 * session token".
 */

import { type JWTPayload, jwtVerify } from 'jose'

// #region naive-session
/**
 * NEVER USE (configured this way). The session check of an app that also mints
 * share-link tokens with the same key: MAC, algorithm and expiry are checked, so
 * anything the issuer ever signed for this user is a session.
 */
export async function naiveSessionFromToken(
  token: string,
  key: Uint8Array,
  currentDate: Date,
): Promise<JWTPayload> {
  // MISTAKE: no typ (and no other rule) tells a session token from a share link.
  const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate })
  return payload
}
// #endregion naive-session
