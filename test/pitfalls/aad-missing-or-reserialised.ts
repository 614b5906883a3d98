/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 9: the JWE's Additional Authenticated Data is left out, or rebuilt
 * from a re-serialised header instead of the header segment that was received.
 * See docs/pitfalls/aad-missing-or-reserialised.md.
 * ============================================================================
 *
 * In compact JWE the protected header is not encrypted, but AES-GCM authenticates
 * it: RFC 7516 §5.1 step 14 makes ASCII(BASE64URL(header)) the AAD, and §5.2
 * step 14 asks the recipient to feed in exactly the segment it received.
 */

import { createCipheriv, createDecipheriv } from 'node:crypto'
import fc from 'fast-check'

export interface NaiveDecryption {
  header: Record<string, unknown>
  plaintext: string
}

function fromSegment(segment: string): Buffer {
  return Buffer.from(segment, 'base64url')
}

function toSegment(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url')
}

function splitFive(token: string): [string, string, string, string, string] {
  const parts = token.split('.')
  if (parts.length !== 5) throw new Error('not a compact JWE')
  return parts as [string, string, string, string, string]
}

// #region naive-no-aad
/** NEVER USE. A hand-rolled dir + A256GCM encryptor that forgets `setAAD`. */
export function naiveEncryptWithoutAad(
  plaintext: string,
  key: Uint8Array,
  header: Record<string, unknown>,
  iv: Uint8Array,
): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  // MISTAKE: no cipher.setAAD(...), so the tag will not cover the header.
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [
    toSegment(JSON.stringify(header)),
    '',
    toSegment(iv),
    toSegment(ciphertext),
    toSegment(tag),
  ].join('.')
}

/** NEVER USE. Its twin: the tag covers the ciphertext only, so the header can say anything. */
export function naiveDecryptWithoutAad(token: string, key: Uint8Array): NaiveDecryption {
  const [h, , iv, ciphertext, tag] = splitFive(token)
  const decipher = createDecipheriv('aes-256-gcm', key, fromSegment(iv))
  decipher.setAuthTag(fromSegment(tag))
  const plaintext = Buffer.concat([decipher.update(fromSegment(ciphertext)), decipher.final()])
  return {
    header: JSON.parse(fromSegment(h).toString('utf8')),
    plaintext: plaintext.toString('utf8'),
  }
}
// #endregion naive-no-aad

// #region naive-reserialised-aad
/**
 * NEVER USE. Remembers the AAD, but rebuilds it: parse the header, `JSON.stringify` it,
 * base64url it. That reproduces the received segment only when the producer happened
 * to spell its JSON exactly as `JSON.stringify` does.
 */
export function naiveDecryptReserialisedAad(token: string, key: Uint8Array): NaiveDecryption {
  const [h, , iv, ciphertext, tag] = splitFive(token)
  const header = JSON.parse(fromSegment(h).toString('utf8')) as Record<string, unknown>
  const cipher = header.enc === 'A128GCM' ? 'aes-128-gcm' : 'aes-256-gcm'
  const decipher = createDecipheriv(cipher, key, fromSegment(iv))
  // MISTAKE: the AAD must be the segment that arrived, not a re-encoding of its parse.
  decipher.setAAD(Buffer.from(toSegment(JSON.stringify(header)), 'ascii'))
  decipher.setAuthTag(fromSegment(tag))
  const plaintext = Buffer.concat([decipher.update(fromSegment(ciphertext)), decipher.final()])
  return { header, plaintext: plaintext.toString('utf8') }
}
// #endregion naive-reserialised-aad

/**
 * Not naive: a conforming producer that writes its header JSON its own way (spaces,
 * escaped slashes) and, as RFC 7516 §5.1 step 14 requires, authenticates exactly the
 * segment it sends. Other libraries do this; RFC 7515 Appendix A.1 even has CRLFs.
 */
export function encryptWithHeaderText(
  headerText: string,
  plaintext: string,
  key: Uint8Array,
  iv: Uint8Array,
): string {
  const enc = (JSON.parse(headerText) as { enc?: unknown }).enc
  const cipher = enc === 'A128GCM' ? 'aes-128-gcm' : 'aes-256-gcm'
  const encodedHeader = toSegment(headerText)
  const gcm = createCipheriv(cipher, key, iv)
  gcm.setAAD(Buffer.from(encodedHeader, 'ascii'))
  const ciphertext = Buffer.concat([gcm.update(plaintext, 'utf8'), gcm.final()])
  return [
    encodedHeader,
    '',
    toSegment(iv),
    toSegment(ciphertext),
    toSegment(gcm.getAuthTag()),
  ].join('.')
}

/** Replaces the header segment of a compact token, keeping every other byte. */
export function withHeader(token: string, header: Record<string, unknown>): string {
  const dot = token.indexOf('.')
  return `${toSegment(JSON.stringify(header))}${token.slice(dot)}`
}

// ---------------------------------------------------------------------------
// The generated inputs that break the two naive decryptors.
// ---------------------------------------------------------------------------

/** An edit of a header: one member set to a new value (or a new member added). */
export interface HeaderEdit {
  name: string
  value: string | number | boolean | null
}

// Members whose edit changes how the token is processed (algorithm, compression,
// extensions): a strict decryptor refuses those before it gets to the tag.
const PROCESSING_MEMBERS = new Set(['alg', 'enc', 'zip', 'crit', 'b64'])

/**
 * Edits an attacker might make without changing the algorithms: re-target the key
 * (`kid`), change a claim replicated in the header (`sub`, RFC 7519 §5.3), change the
 * content type (`cty`), or add any other member.
 */
export function headerEditArbitrary(): fc.Arbitrary<HeaderEdit> {
  return fc.record({
    name: fc.oneof(
      fc.constantFrom('sub', 'kid', 'cty', 'typ'),
      fc.string({ maxLength: 8 }).filter((name) => !PROCESSING_MEMBERS.has(name)),
    ),
    value: fc.oneof(fc.string({ maxLength: 16 }), fc.integer(), fc.boolean(), fc.constant(null)),
  })
}

/** The members of the header, with the separator slots where JSON allows whitespace. */
export interface HeaderSpelling {
  /** Whitespace for each of the 15 places RFC 8259 §2 allows it in the header below. */
  gaps: string[]
  /** Write `/` as `\/` (RFC 8259 §7 allows it; PHP's json_encode does it by default). */
  escapeSlash: boolean
}

const GAPS = 15

/** Whitespace per RFC 8259 §2, boundary values first: none, one space, CRLF (RFC 7515 A.1). */
export function headerSpellingArbitrary(): fc.Arbitrary<HeaderSpelling> {
  const gap = fc.constantFrom('', ' ', '\r\n ', '\t', '\n', '  ')
  return fc.record({
    gaps: fc.array(gap, { minLength: GAPS, maxLength: GAPS }),
    escapeSlash: fc.boolean(),
  })
}

/**
 * `{"alg":"dir","enc":"A256GCM","cty":"application/jwt","kid":"k1"}` spelled with the given
 * whitespace: slots sit around every brace, colon and comma.
 */
export function spellHeader(spelling: HeaderSpelling): string {
  const slash = spelling.escapeSlash ? '\\/' : '/'
  const members: [string, string][] = [
    ['alg', '"dir"'],
    ['enc', '"A256GCM"'],
    ['cty', `"application${slash}jwt"`],
    ['kid', '"k1"'],
  ]
  const g = spelling.gaps
  let text = `${g[0]}{`
  let slot = 1
  for (let i = 0; i < members.length; i++) {
    const [name, value] = members[i] as [string, string]
    if (i > 0) text += ','
    text += `${g[slot++]}"${name}"${g[slot++]}:${g[slot++]}${value}`
  }
  text += `${g[slot++]}}${g[slot++]}`
  return text
}

// ---------------------------------------------------------------------------
// The properties a correct decryptor has, which the naive ones break. Shared by the
// test and by measure-9-18.ts (which counts the cases fast-check needs).
// ---------------------------------------------------------------------------

/** Any edit to the header of `token` is refused. The AAD-less decryptor breaks it. */
export function headerEditsRefusedProperty(
  token: string,
  key: Uint8Array,
): fc.IPropertyWithHooks<[HeaderEdit]> {
  const original = JSON.parse(fromSegment(token.slice(0, token.indexOf('.'))).toString('utf8'))
  return fc.property(headerEditArbitrary(), (edit) => {
    const edited = { ...original, [edit.name]: edit.value }
    fc.pre(JSON.stringify(edited) !== JSON.stringify(original))
    try {
      naiveDecryptWithoutAad(withHeader(token, edited), key)
      return false
    } catch {
      return true
    }
  })
}

/** Every validly spelled token decrypts. The re-serialising decryptor breaks it. */
export function everySpellingDecryptsProperty(
  plaintext: string,
  key: Uint8Array,
  iv: Uint8Array,
): fc.IPropertyWithHooks<[HeaderSpelling]> {
  return fc.property(headerSpellingArbitrary(), (spelling) => {
    const token = encryptWithHeaderText(spellHeader(spelling), plaintext, key, iv)
    try {
      return naiveDecryptReserialisedAad(token, key).plaintext === plaintext
    } catch {
      return false
    }
  })
}
