/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 4: an HMAC key that is a memorable phrase, as in the blog post
 * ('signing-secret'). See docs/pitfalls/weak-signing-secret.md.
 * ============================================================================
 *
 * The token is made by jose itself and is perfectly well-formed. The weakness is
 * entirely in the key: 14 bytes of lower-case words that a word list contains.
 */

import { SignJWT } from 'jose'

/** 2026-01-01T00:00:00Z: fixed, so that the docs page can quote the tokens. */
export const ISSUED_AT = 1_767_225_600

// #region naive-passphrase-key
/** The HMAC key is a phrase someone typed, turned into bytes. */
export const PASSPHRASE_KEY: Uint8Array = new TextEncoder().encode('signing-secret')

/** Issues an HS256 access token. jose accepts the 14-byte key without a word. */
export async function issueAccessToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(ISSUED_AT)
    .setExpirationTime(ISSUED_AT + 3600)
    .sign(PASSPHRASE_KEY)
}
// #endregion naive-passphrase-key
