/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 17: the verification key taken from the token's own header, embedded
 * (`jwk`, RFC 7515 §4.1.3) or fetched from a URL it names (`jku`, §4.1.2).
 * See docs/pitfalls/jwk-jku-header-trust.md.
 * ============================================================================
 *
 * A signature proves that whoever holds the key made the token. If the token also
 * says which key that is, anyone can make a key, sign with it, and name it. That was
 * CVE-2018-0114 (Cisco node-jose before 0.11.0, embedded `jwk`), and RFC 8725 §3.10
 * warns that following `jku` or `x5u` blindly also invites server-side request forgery.
 *
 * No network is used: `FakeFetch` serves JSON from a map and records each request.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'

/** The URL prefix the naive service believes identifies its own issuer. */
export const TRUSTED_PREFIX = 'https://auth.example'

export interface Jwk {
  kty: string
  kid?: string
  k?: string
}

/** A stand-in for `fetch` that serves fixed JSON bodies and remembers what was asked. */
export class FakeFetch {
  readonly requests: string[] = []
  private readonly bodies: ReadonlyMap<string, unknown>

  constructor(bodies: ReadonlyMap<string, unknown>) {
    this.bodies = bodies
  }

  async json(url: string): Promise<unknown> {
    this.requests.push(url)
    if (!this.bodies.has(url)) throw new Error(`404 ${url}`)
    return this.bodies.get(url)
  }
}

function keyFromJwk(jwk: unknown): Uint8Array {
  const { kty, k } = (jwk ?? {}) as Jwk
  if (kty !== 'oct' || typeof k !== 'string') throw new Error('unsupported key')
  return new Uint8Array(Buffer.from(k, 'base64url'))
}

/**
 * NEVER USE. "Supports key rotation": the header says which key to use. An embedded
 * `jwk` is used as is; a `jku` is fetched if it "looks like" the issuer's.
 */
export async function naiveVerifyWithHeaderKey(
  token: string,
  fetcher: FakeFetch,
): Promise<Record<string, unknown>> {
  const [header, payload, signature] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined)
    throw new Error('malformed token')
  const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
    jwk?: unknown
    jku?: unknown
    kid?: unknown
  }
  // #region naive-header-key
  let key: Uint8Array
  // MISTAKE: the token under test chooses the key that will test it.
  if (h.jwk !== undefined) {
    key = keyFromJwk(h.jwk)
  } else if (typeof h.jku === 'string' && h.jku.startsWith(TRUSTED_PREFIX)) {
    // A prefix is not an origin: "https://auth.example.attacker.test" passes too.
    const { keys } = (await fetcher.json(h.jku)) as { keys: Jwk[] }
    key = keyFromJwk(keys.find((candidate) => candidate.kid === h.kid))
  } else {
    throw new Error('no usable key')
  }
  // #endregion naive-header-key
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const received = Buffer.from(signature, 'base64url')
  if (received.length !== expected.length || !timingSafeEqual(received, expected))
    throw new Error('invalid signature')
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

/** The attacker's side: HS256 over any header, with a key of their own. */
export function forge(header: object, claims: object, key: Uint8Array): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url')
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${h}.${p}.${createHmac('sha256', key).update(`${h}.${p}`).digest('base64url')}`
}
