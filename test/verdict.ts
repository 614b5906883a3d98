/**
 * Small helpers shared by the hand-built-token suites (strictness, malicious, bytes).
 */

/** RFC 4648 §5: the base64url alphabet; a character's 6-bit value is its index. */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The verdict of an accepted call. */
export const ACCEPTED = 'accepted'

/**
 * BASE64URL of a string (as UTF-8) or bytes, built on Node's encoder rather than on the
 * module under test, so that a token built with it does not depend on what it tests.
 */
export function seg(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url')
}

/** 'accepted', or the error's `code` (its name when it has no code, e.g. 'TypeError'). */
export async function verdict(action: () => unknown): Promise<string> {
  try {
    await action()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string') return code
    if (error instanceof Error) return error.name
    throw error
  }
  return ACCEPTED
}
