/**
 * ============================================================================
 * NEVER USE: deliberately broken, for the workshop's bonus step (a pitfall hunt).
 * ============================================================================
 *
 * An HS256 JWS verifier that passes the obvious smoke test: a token it signed itself
 * verifies, and a token whose payload was edited does not. Participants are told only
 * that it is broken, and must write the fast-check property that proves it
 * (docs/workshop.md, "Bonus"). Do not read the comments below the line first.
 */

import { createHmac } from 'node:crypto'

/** What a verifier does for the bonus step: payload bytes back, or a throw. */
export type Verifier = (token: string, key: Uint8Array) => Uint8Array

/** Refuses what a careful reader would refuse at first glance. */
function parseHeader(segment: string): Record<string, unknown> {
  const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new Error('the header is not a JSON object')
  return header as Record<string, unknown>
}

export function naiveVerify(token: string, key: Uint8Array): Uint8Array {
  const segments = token.split('.')
  if (segments.length !== 3) throw new Error('a JWS has three segments')
  const [header, payload, signature] = segments as [string, string, string]
  // The verifier, not the token, picks the algorithm: only HS256.
  if (parseHeader(header).alg !== 'HS256') throw new Error('alg not allowed')
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const received = Buffer.from(signature, 'base64url')

  // ------------------------------------------------------------------------------
  // Spoilers below. The comparison does not stop at the first difference, so its
  // timing leaks nothing... but the loop runs over the bytes the *sender* chose to
  // send. A signature of zero bytes compares zero bytes, and verifies. (It also
  // decodes base64url leniently, which a property can catch as well: see
  // docs/01-base64url.md.)
  // ------------------------------------------------------------------------------
  let difference = 0
  for (let i = 0; i < received.length; i++) {
    difference |= (received[i] as number) ^ (expected[i] ?? 0)
  }
  if (difference !== 0) throw new Error('signature verification failed')
  return new Uint8Array(Buffer.from(payload, 'base64url'))
}
