/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 14: unbounded input, parsed before anything is authenticated.
 * See docs/pitfalls/unbounded-input.md.
 * ============================================================================
 *
 * No JOSE RFC caps a token's size, so nothing stops a client from sending megabytes.
 * Splitting, base64url-decoding and JSON-parsing all cost time and memory in proportion
 * to the input, and all of it happens before the MAC says whether the sender holds the
 * key. A cap checked first, in O(1), bounds that work for every caller.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'

// #region naive-parse-then-verify
/** NEVER USE. Splits, decodes and parses the whole token, then checks the MAC. */
export function naiveParseThenVerify(token: string, key: Uint8Array): Record<string, unknown> {
  // MISTAKE: no size limit, and every step below runs before the MAC is checked.
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error(`expected 3 segments, got ${parts.length}`)
  const [header, payload, signature] = parts as [string, string, string]
  const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
    alg?: unknown
  }
  if (parsedHeader.alg !== 'HS256') throw new Error('unsupported alg')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const received = Buffer.from(signature, 'base64url')
  if (received.length !== expected.length || !timingSafeEqual(received, expected))
    throw new Error('invalid signature')
  return claims
}
// #endregion naive-parse-then-verify

/** A string of `length` dots: the cheapest input that makes `split('.')` allocate the most. */
export function dots(length: number): string {
  return '.'.repeat(length)
}

/**
 * A well-formed HS256 token whose header carries `padding` extra characters inside a JSON
 * string, and whose signature is wrong: everything a parser does with it is wasted work.
 */
export function bigHeaderToken(padding: number): string {
  const header = `{"alg":"HS256","x":"${'A'.repeat(padding)}"}`
  const encodedHeader = Buffer.from(header).toString('base64url')
  const encodedPayload = Buffer.from('{"sub":"mallory"}').toString('base64url')
  // 32 zero bytes: a signature of the right length that verifies under no key.
  return `${encodedHeader}.${encodedPayload}.${'A'.repeat(43)}`
}

/** Milliseconds spent in `action`, whether it returns or throws. */
export async function timeIt(action: () => unknown): Promise<number> {
  const start = process.hrtime.bigint()
  try {
    await action()
  } catch {
    // Refusal is the expected outcome; only the time matters here.
  }
  return Number(process.hrtime.bigint() - start) / 1e6
}
