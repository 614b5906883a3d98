/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 16: the `kid` header used as a file path to find the key.
 * See docs/pitfalls/kid-path-traversal.md.
 * ============================================================================
 *
 * `kid` (RFC 7515 §4.1.4) is a hint chosen by whoever made the token, and nothing
 * about it is authenticated until the MAC has been checked with the key it selects.
 * RFC 8725 §3.10 warns that a key lookup built from it can be injected into. Here the
 * lookup is a path join, so `../` walks out of the key directory to a file whose
 * content the attacker knows, and that file becomes the HMAC key.
 *
 * No real file system is touched: FAKE_FILES stands in for one.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'
import { posix } from 'node:path'

const utf8 = new TextEncoder()

/** The real signing key, kept where the deployment keeps its keys. */
export const REAL_KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x16 + i)

/** A public page of the same app: anyone can download it, so its bytes are no secret. */
export const PUBLIC_PAGE = utf8.encode(
  '<!doctype html><title>Example</title><p>Welcome to example.com</p>\n',
)

/** A read-only, in-memory stand-in for the server's file system. */
export const FAKE_FILES: ReadonlyMap<string, Uint8Array> = new Map([
  ['/srv/keys/2026-01', REAL_KEY],
  ['/srv/app/public/index.html', PUBLIC_PAGE],
  ['/dev/null', new Uint8Array(0)],
])

/** Reads a file from FAKE_FILES, or throws as `fs.readFileSync` would (ENOENT). */
export function readFakeFile(path: string): Uint8Array {
  const bytes = FAKE_FILES.get(path)
  if (bytes === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`)
  return bytes
}

// #region naive-kid-lookup
/** NEVER USE. Finds the key file named by `kid`; `posix.join` happily resolves `..`. */
export function naiveKeyForKid(kid: unknown): Uint8Array {
  // MISTAKE: an attacker-chosen string becomes a path.
  return readFakeFile(posix.join('/srv/keys', String(kid)))
}
// #endregion naive-kid-lookup

/** NEVER USE. HS256 verification with the key the token itself pointed at. */
export function naiveVerifyWithKid(token: string): Record<string, unknown> {
  const [header, payload, signature] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined)
    throw new Error('malformed token')
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: unknown }
  const key = naiveKeyForKid(kid)
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const received = Buffer.from(signature, 'base64url')
  if (received.length !== expected.length || !timingSafeEqual(received, expected))
    throw new Error('invalid signature')
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

/**
 * The attacker's side: HS256 with any key bytes, the empty key included (which
 * `signCompact` would refuse as too short, so the attacker writes the three lines).
 */
export function forge(header: object, claims: object, key: Uint8Array): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url')
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${h}.${p}.${createHmac('sha256', key).update(`${h}.${p}`).digest('base64url')}`
}
