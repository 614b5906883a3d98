/**
 * `npm start`: the guided tour. The whole story of this repository in a terminal,
 * with three parties side by side:
 *   src                  written by hand on node:crypto (`jose-by-hand`)
 *   jose (safe options)  jose, every choice made safely (`jose-by-hand/reference`)
 *   jose (defaults)      jose called as the blog post calls it, nothing configured
 *
 * Every step prints its intermediate values and points at its docs chapter. Every
 * verdict is checked against what the story says; a surprise is printed as such and
 * makes the tour exit with code 1, so `npm test` notices when the story rots.
 *
 * On a terminal the tour waits between steps (Enter, or q to quit) and shows one
 * step per screen, paging a step taller than the screen; piped, or with --no-pause,
 * it runs straight through. The worked examples compute their intermediate values
 * with node:crypto, as the chapters do, and check both implementations against them.
 *
 * Tests run `TOUR` in-process (kit/main.ts runProgram); the process entry is at the bottom.
 */

import { createCipheriv, createHmac, randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import * as src from 'jose-by-hand'
import * as ref from 'jose-by-hand/reference'
import {
  type ArticleKeys,
  decodeJWEWith,
  ENC_SECRET,
  generateJWE,
  generateJWEWith,
  SIGN_SECRET,
} from 'jose-by-hand/reference/article-flow'
import { readToken } from 'jose-by-hand/reference/production-flow'
import { renderAnatomy, renderLegend, type TokenKind } from '../inspect/anatomy.ts'
import { settle } from '../inspect/verdict.ts'
import {
  type CliIO,
  columns,
  count,
  type Env,
  EXIT,
  flag,
  hex,
  indent,
  isEntryPoint,
  type Palette,
  type Program,
  paletteFor,
  parseCommandLine,
  runMain,
  wrap,
} from '../kit/index.ts'
import { createNarrator, type Expected, type Narrator } from './narrator.ts'

/** The three parties, named the same way on every line of the tour. */
const SRC = 'src'
const SAFE = 'jose (safe options)'
const DEFAULTS = 'jose (defaults)'

export const USAGE = `Usage: npm start -- [--no-pause] [--help]

  --no-pause  run straight through, without waiting between steps
  -h, --help  what the tour shows, its keys, colour and exit codes`

export const HELP = `${USAGE}

A guided tour of jose-by-hand in your terminal, in nine steps: base64url, an HS256
JWS, JWT claims, a dir + A256GCM JWE, the readable JWT next to the opaque JWE,
tampering, sign-then-encrypt, the blog post's flow failing, and the corrected flow.
Each step names its docs chapter. Three parties answer side by side:
  ${SRC}                  the module written by hand on node:crypto
  ${SAFE}  jose, with every choice made safely (reference/index.ts)
  ${DEFAULTS}      jose called with nothing configured, as the blog post does

On a terminal the tour shows one step per screen and waits:
  Enter or space  the next step (or the rest of a step taller than the screen)
  q, Esc, Ctrl-C  stop here
Piped into a file or another program, or with --no-pause, it runs straight through.
Long values are wrapped to the terminal's width.

Colour is on for a terminal, off when stdout is a file or a pipe, off when
NO_COLOR is set to anything non-empty, and on when FORCE_COLOR is set (unless
it is 0 or false), even through a pipe.

Exit codes:
  0   every verdict was the one the story expects (or you stopped the tour)
  1   at least one verdict was not (printed as UNEXPECTED)
  2   usage error
  70  internal error (a bug: please report it)
`

/** The docs chapters, one per step of the story. */
export const CHAPTERS = {
  base64url: 'docs/01-base64url.md',
  jws: 'docs/02-jws-hs256.md',
  claims: 'docs/03-jwt-claims.md',
  jwe: 'docs/04-jwe-dir-a256gcm.md',
  nested: 'docs/05-nested-sign-then-encrypt.md',
  blog: 'docs/06-the-blog-post.md',
  production: 'docs/07-jose-in-production.md',
} as const

// DEMO ONLY. Fixed, public keys make the worked examples reproducible: the same
// tokens on every run, so you can check them by hand. A real key is 32 random bytes
// from a CSPRNG, kept secret; step 9 does it that way.
function sequence(start: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = start + i
  return bytes
}
const DEMO_SIGNING_KEY = sequence(0x00, 32)
const DEMO_ENCRYPTION_KEY = sequence(0x20, 32)
// DEMO ONLY: a fixed IV, for the worked example. Reusing an IV under one key breaks
// AES-GCM (RFC 7518 §5.3 and NIST SP 800-38D §8): every real token draws a fresh one.
const DEMO_IV = sequence(0xf0, 12)

const ISSUER = 'https://auth.example'
const API = 'https://api.example'
const BILLING = 'https://billing.example'
const CLAIMS = { sub: 'alice', role: 'user' }

const utf8 = new TextEncoder()
const text = new TextDecoder()

/** What earlier steps made, for later steps to show, tamper with and compare. */
interface Story {
  readonly now: Date
  jws: string
  jwt: string
  jweWorked: string
  jweRandom: string
}

function b64(input: Uint8Array | string): string {
  return src.base64url.encode(input)
}

function anatomy(t: Narrator, token: string, kind: TokenKind): void {
  const segments = token.split('.')
  t.show('token', renderAnatomy(segments, kind, t.palette))
  t.show('', `${t.palette.dim('legend:')} ${renderLegend(kind, segments.length, t.palette)}`)
}

/** `token` with segment `index` replaced. */
function withSegment(token: string, index: number, segment: string): string {
  const segments = token.split('.')
  segments[index] = segment
  return segments.join('.')
}

/** `token` with one bit flipped in the first byte of segment `index`. */
function flipBit(token: string, index: number): string {
  const bytes = src.base64url.decode(token.split('.')[index] as string)
  bytes[0] = (bytes[0] as number) ^ 0x01
  return withSegment(token, index, b64(bytes))
}

/** The same bytes, re-spelled: the last character's unused low bits set. */
function respell(segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = alphabet.indexOf(segment.charAt(segment.length - 1))
  return segment.slice(0, -1) + alphabet.charAt(last | 1)
}

/** Either implementation: src's functions return values, jose's return Promises. */
type Api = typeof src | typeof ref

/**
 * Runs `action` on src, then on jose, and prints both verdicts under `label`, each
 * checked against the story: `expected` for both, or `joseExpected` for jose.
 */
async function both(
  t: Narrator,
  label: string,
  action: (api: Api) => unknown,
  expected: Expected,
  joseExpected: Expected = expected,
): Promise<void> {
  const bySrc = await settle(() => action(src))
  const byJose = await settle(() => action(ref))
  t.verdicts(label, [
    { who: SRC, verdict: bySrc.verdict, expected },
    { who: SAFE, verdict: byJose.verdict, expected: joseExpected },
  ])
}

// ─── Step 1 ──────────────────────────────────────────────────────────────────────

async function base64urlStep(t: Narrator): Promise<void> {
  t.say('Every binary part of a token is written in base64url: base64 with - and _ in place')
  t.say('of + and /, and no = padding (RFC 7515 §2). The same two bytes, both ways:')
  t.blank()
  const bytes = Uint8Array.of(0xfb, 0xff)
  t.show('bytes', hex(bytes))
  t.show('base64 (RFC 4648 §4)', Buffer.from(bytes).toString('base64'))
  t.show('base64url (JOSE)', b64(bytes))
  t.claim(`${SRC} and ${DEFAULTS} encode them alike`, b64(bytes) === ref.base64url.encode(bytes))
  t.blank()
  t.say('One byte string must have exactly one spelling. Here are four spellings of "hi":')
  const spellings: [string, string][] = [
    ['aGk', 'canonical'],
    ['aGk=', 'padded'],
    ['aGl', 'unused low bits set'],
    ['aG k', 'with a space'],
  ]
  const rows: string[][] = [
    [
      t.palette.dim('spelling'),
      '',
      t.palette.dim('src decodes'),
      t.palette.dim(`${DEFAULTS} decodes`),
    ],
  ]
  let srcStrict = true
  let joseLenient = 0
  for (const [spelling, what] of spellings) {
    const bySrc = await settle(() => text.decode(src.base64url.decode(spelling)))
    const byJose = await settle(() => text.decode(ref.base64url.decode(spelling)))
    const canonical = what === 'canonical'
    if ((bySrc.value === 'hi') !== canonical) srcStrict = false
    if (!canonical && byJose.value === 'hi') joseLenient++
    rows.push([
      JSON.stringify(spelling),
      t.palette.dim(what),
      bySrc.value === undefined ? t.palette.red('refused') : `"${bySrc.value}"`,
      byJose.value === undefined ? t.palette.red('refused') : `"${byJose.value}"`,
    ])
  }
  t.block(columns(rows))
  t.claim('src accepts the canonical spelling only', srcStrict)
  t.say(
    `jose reads ${joseLenient} of the 3 other spellings as "hi" too. A lenient decoder lets anyone`,
  )
  t.say('re-spell a token without touching its signature, and every cache, blocklist or replay')
  t.say('check keyed on the token string is bypassed. (A documented difference: jose is still')
  t.say('the right choice in production, for reasons chapter 7 gives.)')
}

// ─── Step 2 ──────────────────────────────────────────────────────────────────────

async function jwsStep(t: Narrator, story: Story): Promise<void> {
  t.say('A JWS signs a header and a payload with HMAC-SHA-256 (RFC 7515 §5.1, RFC 7518 §3.2).')
  t.say('Worked example, computed step by step, then by both implementations:')
  t.blank()
  const header = { alg: 'HS256', typ: 'JWT' }
  const payload = JSON.stringify(CLAIMS)
  t.show('key (DEMO ONLY)', `${hex(DEMO_SIGNING_KEY)} (${count(32, 'byte')}, fixed and public)`)
  t.show('header JSON', JSON.stringify(header))
  const encodedHeader = b64(JSON.stringify(header))
  t.show('BASE64URL(header)', t.palette.red(encodedHeader))
  t.show('payload', payload)
  const encodedPayload = b64(payload)
  t.show('BASE64URL(payload)', t.palette.magenta(encodedPayload))
  const signingInput = `${encodedHeader}.${encodedPayload}`
  t.show('signing input', `${signingInput}  (ASCII: header '.' payload)`)
  // RFC 7515 §5.1 step 5: HMAC-SHA-256 over the ASCII bytes of the signing input.
  const mac = new Uint8Array(
    createHmac('sha256', DEMO_SIGNING_KEY).update(signingInput, 'ascii').digest(),
  )
  t.show('HMAC-SHA-256', `${hex(mac, 64)} (${count(mac.length, 'byte')})`)
  t.show('BASE64URL(MAC)', t.palette.cyan(b64(mac)))
  const byHand = `${signingInput}.${b64(mac)}`
  anatomy(t, byHand, 'JWS')
  t.blank()
  const bySrc = src.signCompact(payload, DEMO_SIGNING_KEY, header)
  const byJose = await ref.signCompact(payload, DEMO_SIGNING_KEY, header)
  t.claim(`${SRC}: signCompact gives exactly this token`, bySrc === byHand)
  t.claim(`${SAFE}: CompactSign gives exactly this token`, byJose === byHand)
  story.jws = byHand
  await both(t, 'verifying it', (api) => api.verifyCompact(byHand, DEMO_SIGNING_KEY), 'accepted')
  t.blank()
  t.say("The header's bytes are signed, not its meaning. The same members in another order:")
  const reordered = src.signCompact(payload, DEMO_SIGNING_KEY, { typ: 'JWT', alg: 'HS256' })
  t.show('header JSON', JSON.stringify({ typ: 'JWT', alg: 'HS256' }))
  anatomy(t, reordered, 'JWS')
  t.claim(
    'a different header segment, so a different MAC',
    reordered.split('.')[2] !== byHand.split('.')[2],
  )
  t.say('A verifier recomputes the MAC over the bytes it received (never a re-serialisation)')
  t.say('and compares it in constant time, so timing reveals nothing (src/hmac.ts, macEquals).')
}

// ─── Step 3 ──────────────────────────────────────────────────────────────────────

async function claimsStep(t: Narrator, story: Story): Promise<void> {
  t.say('A JWT is a JWS whose payload is a claims set (RFC 7519). Who issued it (iss), for whom')
  t.say('(aud), about whom (sub), and when it stops being valid (exp):')
  t.blank()
  const now = story.now
  const options = {
    issuer: ISSUER,
    audience: API,
    issuedAt: '0s',
    expirationTime: '15m',
    currentDate: now,
  }
  t.code(
    `signJwt(${JSON.stringify(CLAIMS)}, key, { issuer, audience, issuedAt: '0s', expirationTime: '15m' })`,
  )
  const jwt = src.signJwt(CLAIMS, DEMO_SIGNING_KEY, options)
  const joseJwt = await ref.signJwt(CLAIMS, DEMO_SIGNING_KEY, options)
  anatomy(t, jwt, 'JWS')
  t.claim('src and jose produce the same token, byte for byte', jwt === joseJwt)
  story.jwt = jwt
  t.blank()
  t.say(`${t.palette.yellow('Anyone can read this.')} No key is needed, only base64url:`)
  t.code("Buffer.from(token.split('.')[1], 'base64url').toString()")
  t.show('→', Buffer.from(jwt.split('.')[1] as string, 'base64url').toString())
  t.say('The signature stops changes, not reading. Never put secrets in a JWT.')
  t.blank()
  const expect = { issuer: ISSUER, audience: API }
  await both(
    t,
    `verify, expecting iss ${ISSUER} and aud ${API}`,
    (api) => api.verifyJwt(jwt, DEMO_SIGNING_KEY, expect),
    'accepted',
  )
  const wrongAudience = { issuer: ISSUER, audience: BILLING }
  await both(
    t,
    `the same token, presented to ${BILLING}`,
    (api) => api.verifyJwt(jwt, DEMO_SIGNING_KEY, wrongAudience),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  )
  const later = { ...expect, currentDate: new Date(now.getTime() + 16 * 60_000) }
  await both(
    t,
    '16 minutes later',
    (api) => api.verifyJwt(jwt, DEMO_SIGNING_KEY, later),
    'ERR_JWT_EXPIRED',
  )
  t.blank()
  t.say('Verification options are not optional. A token issued for billing, checked with no')
  t.say('audience, passes: nothing asked whom it was for.')
  const billing = src.signJwt(CLAIMS, DEMO_SIGNING_KEY, { ...options, audience: BILLING })
  await both(
    t,
    'billing token, verified without an audience',
    (api) => api.verifyJwt(billing, DEMO_SIGNING_KEY),
    'accepted',
  )
  await both(
    t,
    `billing token, verified with audience ${API}`,
    (api) => api.verifyJwt(billing, DEMO_SIGNING_KEY, expect),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  )
  t.say('Keep lifetimes short (minutes): a stolen token is good until its exp, and no longer.')
}

// ─── Step 4 ──────────────────────────────────────────────────────────────────────

async function jweStep(t: Narrator, story: Story): Promise<void> {
  t.say('A JWE encrypts. With alg "dir" the key both sides share IS the content encryption key:')
  t.say('a symmetric secret, not a private key, and whoever can decrypt can also encrypt.')
  t.say('A256GCM encrypts with AES-256 in GCM mode (RFC 7516 §5.1, RFC 7518 §4.5 and §5.3).')
  t.blank()
  const header = { alg: 'dir', enc: 'A256GCM' }
  const plaintext = JSON.stringify(CLAIMS)
  t.show('key (DEMO ONLY)', `${hex(DEMO_ENCRYPTION_KEY)} (${count(32, 'byte')}, fixed and public)`)
  t.show('header JSON', JSON.stringify(header))
  const encodedHeader = b64(JSON.stringify(header))
  t.show('BASE64URL(header)', t.palette.red(encodedHeader))
  const aad = utf8.encode(encodedHeader)
  t.show('AAD', `ASCII of that segment: ${count(aad.length, 'byte')}, authenticated, not encrypted`)
  t.show('IV (DEMO ONLY)', `${hex(DEMO_IV)} (96 bits; fixed here for the worked example only)`)
  t.show('plaintext', plaintext)
  // RFC 7516 §5.1 steps 14-15: AES-256-GCM with the header segment as AAD, 128-bit tag.
  const cipher = createCipheriv('aes-256-gcm', DEMO_ENCRYPTION_KEY, DEMO_IV, {
    authTagLength: 16,
  })
  cipher.setAAD(aad)
  const ciphertext = new Uint8Array(
    Buffer.concat([cipher.update(utf8.encode(plaintext)), cipher.final()]),
  )
  const tag = new Uint8Array(cipher.getAuthTag())
  t.show(
    'ciphertext',
    `${hex(ciphertext, 64)} (${count(ciphertext.length, 'byte')}: as long as the plaintext)`,
  )
  t.show('tag', `${hex(tag)} (128 bits)`)
  const byHand = `${encodedHeader}..${b64(DEMO_IV)}.${b64(ciphertext)}.${b64(tag)}`
  anatomy(t, byHand, 'JWE')
  t.say('The encrypted key segment is empty: with "dir" there is no key to wrap.')
  t.blank()
  const bySrc = src.encryptCompact(plaintext, DEMO_ENCRYPTION_KEY, header, { iv: DEMO_IV })
  const byJose = await ref.encryptCompact(plaintext, DEMO_ENCRYPTION_KEY, header, { iv: DEMO_IV })
  t.claim(`${SRC}: encryptCompact, given the same IV, gives exactly this token`, bySrc === byHand)
  t.claim(`${SAFE}: CompactEncrypt, given the same IV, gives exactly this token`, byJose === byHand)
  story.jweWorked = byHand
  t.blank()
  t.say('For real, the IV is fresh random bits on every call. An IV used twice under one key')
  t.say('reveals the XOR of two plaintexts and lets an attacker forge tags.')
  const first = src.encryptCompact(plaintext, DEMO_ENCRYPTION_KEY)
  const second = await ref.encryptCompact(plaintext, DEMO_ENCRYPTION_KEY)
  t.show(`IV from ${SRC}`, first.split('.')[2] as string)
  t.show(`IV from ${SAFE}`, second.split('.')[2] as string)
  t.claim('two encryptions of the same claims differ', first !== second)
  story.jweRandom = first
  t.verdicts("each implementation decrypts the other's token", [
    {
      who: SRC,
      verdict: (await settle(() => src.decryptCompact(second, DEMO_ENCRYPTION_KEY))).verdict,
      expected: 'accepted',
    },
    {
      who: SAFE,
      verdict: (await settle(() => ref.decryptCompact(first, DEMO_ENCRYPTION_KEY))).verdict,
      expected: 'accepted',
    },
  ])
  t.say('Decryption checks the 128-bit tag over header, IV and ciphertext before it releases any')
  t.say('plaintext. The AAD is the header segment as received.')
}

// ─── Step 5 ──────────────────────────────────────────────────────────────────────

async function readableStep(t: Narrator, story: Story): Promise<void> {
  t.say('The same claims, signed (step 2) and encrypted (step 4). What plain base64url decoding,')
  t.say('with no key at all, shows a thief:')
  t.blank()
  const payload = Buffer.from(story.jws.split('.')[1] as string, 'base64url').toString()
  const ciphertext = Buffer.from(story.jweRandom.split('.')[3] as string, 'base64url')
  const p = t.palette
  t.block(
    columns([
      ['', p.bold('JWT (JWS)'), p.bold('JWE')],
      ['segments', '3', '5'],
      ['decodes to', p.magenta(payload), p.magenta(hex(ciphertext, 16))],
      ['readable?', p.yellow('yes, by anyone'), p.green('no, not without the key')],
    ]),
  )
  t.claim(
    'the JWT payload decodes to the claims, no key needed',
    payload === JSON.stringify(CLAIMS),
  )
  t.claim(
    'the JWE ciphertext does not contain them',
    !ciphertext.toString('latin1').includes('alice'),
  )
  t.blank()
  t.say('Both are bearer tokens. A script injected into the page (XSS) that steals either one can')
  t.say('replay it until it expires: encryption hides the claims, it does not stop the theft.')
  t.say('HttpOnly cookies and short lifetimes reduce the risk: a script cannot read an HttpOnly')
  t.say('cookie, and a stolen token stops working sooner. Neither stops a script from making')
  t.say('requests from the page itself while it runs.')
}

// ─── Step 6 ──────────────────────────────────────────────────────────────────────

async function tamperingStep(t: Narrator, story: Story): Promise<void> {
  t.say('Change anything, and both implementations refuse the token.')
  t.blank()
  const jws = story.jws
  const forged = withSegment(jws, 1, b64(JSON.stringify({ ...CLAIMS, role: 'admin' })))
  t.show('payload changed', Buffer.from(forged.split('.')[1] as string, 'base64url').toString())
  const tamperedJws: [string, string, Expected][] = [
    ['role "user" → "admin", old signature kept', forged, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    ['one bit of the MAC flipped', flipBit(jws, 2), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    [
      'header swapped for {"alg":"none"}, signature dropped',
      `${b64('{"alg":"none"}')}.${jws.split('.')[1]}.`,
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ],
  ]
  for (const [label, token, code] of tamperedJws) {
    await both(t, label, (api) => api.verifyCompact(token, DEMO_SIGNING_KEY), code)
  }
  const jwe = story.jweWorked
  const tamperedJwe: [string, string][] = [
    ['one bit of the JWE ciphertext flipped', flipBit(jwe, 3)],
    ['one bit of the tag flipped', flipBit(jwe, 4)],
    [
      'header changed (it is the AAD)',
      withSegment(jwe, 0, b64('{"alg":"dir","enc":"A256GCM","kid":"x"}')),
    ],
  ]
  for (const [label, token] of tamperedJwe) {
    await both(
      t,
      label,
      (api) => api.decryptCompact(token, DEMO_ENCRYPTION_KEY),
      'ERR_JWE_DECRYPTION_FAILED',
    )
  }
  t.say('GCM alone is malleable: flipping a ciphertext bit flips the same plaintext bit. The tag')
  t.say('is what catches it, and every failure gets the same vague error, so an attacker learns')
  t.say('nothing about why.')
  t.blank()
  t.say('One case where they differ: the same signature bytes, spelled differently (step 1).')
  const respelled = withSegment(jws, 2, respell(jws.split('.')[2] as string))
  await both(
    t,
    'signature re-spelled, unused low bits set',
    (api) => api.verifyCompact(respelled, DEMO_SIGNING_KEY),
    'ERR_JWS_INVALID',
    'any',
  )
  t.say('Two different strings, one valid signature: the token is malleable where jose is lenient.')
}

// ─── Step 7 ──────────────────────────────────────────────────────────────────────

async function nestedStep(t: Narrator, story: Story): Promise<void> {
  t.say('Sign, then encrypt (RFC 7519 §5.2, §11.2): the signed JWT of step 3 becomes the JWE')
  t.say('plaintext, and the outer header says cty "JWT" so the reader knows to verify it.')
  t.blank()
  const keys = { signingKey: DEMO_SIGNING_KEY, encryptionKey: DEMO_ENCRYPTION_KEY }
  const options = {
    issuer: ISSUER,
    audience: API,
    issuedAt: '0s',
    expirationTime: '15m',
    currentDate: story.now,
  }
  t.code(
    "signThenEncrypt(claims, { signingKey, encryptionKey }, { issuer, audience, expirationTime: '15m' })",
  )
  const nested = src.signThenEncrypt(CLAIMS, keys, options)
  const outer = JSON.parse(
    Buffer.from(nested.split('.')[0] as string, 'base64url').toString(),
  ) as object
  t.show('outer header', JSON.stringify(outer))
  anatomy(t, nested, 'JWE')
  const inner = text.decode(src.decryptCompact(nested, DEMO_ENCRYPTION_KEY).plaintext)
  t.show('decrypted: inner JWS', renderAnatomy(inner.split('.'), 'JWS', t.palette))
  t.claim('the inner token is the signed JWT of step 3, byte for byte', inner === story.jwt)
  t.blank()
  const expect = { issuer: ISSUER, audience: API }
  await both(
    t,
    'decryptThenVerify',
    (api) => api.decryptThenVerify(nested, keys, expect),
    'accepted',
  )
  await both(
    t,
    'decryptJwt, which reads bare claims and would skip the inner signature',
    (api) => api.decryptJwt(nested, DEMO_ENCRYPTION_KEY),
    'ERR_JWT_INVALID',
  )
  t.blank()
  t.say('Which layer proves what:')
  t.block(
    columns([
      ['outer JWE', 'the claims stay confidential; the sender knew the encryption key'],
      ['inner JWS', 'who signed the claims (the signing key), unchanged since'],
      ['claims', 'whether they apply here and now: iss, aud, exp, nbf'],
    ]),
  )
}

// ─── Step 8 ──────────────────────────────────────────────────────────────────────

async function blogStep(t: Narrator): Promise<void> {
  t.say('The post signs a JWT with the key "signing-secret", then encrypts { token: <that JWT> }')
  t.say('with EncryptJWT, dir + A256GCM and the key "encryption-secret". Reproduced on jose in')
  t.say('reference/article-flow.ts; here is what running it does:')
  t.blank()
  const attempt = await settle(() => generateJWE(CLAIMS))
  t.verdicts("the post's generateJWE(claims)", [
    { who: DEFAULTS, verdict: attempt.verdict, expected: 'ERR_JWE_INVALID' },
  ])
  t.claim('jose says 136 bits where 256 are expected', attempt.verdict.message.includes('136'))
  t.blank()
  t.say('Why: a passphrase is not a key.')
  t.show(
    '"encryption-secret"',
    `${count(ENC_SECRET.length, 'byte')} = ${ENC_SECRET.length * 8} bits. With "dir" it IS the AES-256 key: exactly 256 bits (RFC 7518 §5.3)`,
  )
  t.show(
    '"signing-secret"',
    `${count(SIGN_SECRET.length, 'byte')} = ${SIGN_SECRET.length * 8} bits. HS256 wants at least 256 (RFC 7518 §3.2)`,
  )
  const weakSign = {
    who: DEFAULTS,
    verdict: (
      await settle(() => new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(SIGN_SECRET))
    ).verdict,
    expected: 'accepted' as const,
  }
  t.verdicts('signing with "signing-secret"', [
    {
      who: SRC,
      verdict: (await settle(() => src.signJwt(CLAIMS, SIGN_SECRET))).verdict,
      expected: 'error',
    },
    {
      who: SAFE,
      verdict: (await settle(() => ref.signJwt(CLAIMS, SIGN_SECRET))).verdict,
      expected: 'error',
    },
    weakSign,
  ])
  t.say(`${DEFAULTS} signs with the short key; ${SRC} and ${SAFE} refuse it.`)
  t.blank()
  t.say('Even with proper 32-byte keys, the shape is not a standard nested JWT: the signed JWT')
  t.say('travels as a claim named "token", and the outer header has no cty "JWT".')
  const keys: ArticleKeys = {
    signingKey: new Uint8Array(randomBytes(32)),
    encryptionKey: new Uint8Array(randomBytes(32)),
  }
  const articleToken = await generateJWEWith(CLAIMS, keys)
  t.show('outer header', Buffer.from(articleToken.split('.')[0] as string, 'base64url').toString())
  await both(
    t,
    'a standard reader (decryptThenVerify) on that token',
    (api) => api.decryptThenVerify(articleToken, keys),
    'ERR_JWT_INVALID',
  )
  t.say("And the post's decodeJWE checks neither issuer nor audience, though the post itself")
  t.say('recommends both. A token minted for another service passes:')
  const forBilling = await generateJWEWith({ ...CLAIMS, aud: BILLING }, keys)
  t.verdicts(`decodeJWE on a token for ${BILLING}`, [
    {
      who: DEFAULTS,
      verdict: (await settle(() => decodeJWEWith(forBilling, keys))).verdict,
      expected: 'accepted',
    },
  ])
  t.blank()
  t.say('What the post gets right: short lifetimes, checking iss and aud, HTTPS, HttpOnly')
  t.say('cookies. What it gets wrong: "dir" uses a shared secret, not a private key, and a JWE')
  t.say('does not remove the XSS risk: stolen, it replays like any bearer token.')
}

// ─── Step 9 ──────────────────────────────────────────────────────────────────────

async function productionStep(t: Narrator, story: Story): Promise<void> {
  t.say('The flow done right: two independent 32-byte random keys (in production: loaded from')
  t.say('a secret store or base64url environment variables), a standard nested JWT, iss and aud')
  t.say('set and checked, a lifetime of minutes, and a jti to recognise replays.')
  t.blank()
  const keys = {
    signingKey: new Uint8Array(randomBytes(32)),
    encryptionKey: new Uint8Array(randomBytes(32)),
  }
  t.show('keys', `2 × ${count(32, 'byte')} from crypto.randomBytes (printed nowhere)`)
  const jti = b64(new Uint8Array(randomBytes(16)))
  const options = {
    issuer: ISSUER,
    audience: API,
    jwtId: jti,
    issuedAt: '0s',
    expirationTime: '5m',
    currentDate: story.now,
  }
  t.code(
    "signThenEncrypt(claims, keys, { issuer, audience, jwtId, issuedAt: '0s', expirationTime: '5m' })",
  )
  const bySrc = src.signThenEncrypt(CLAIMS, keys, options)
  const byJose = await ref.signThenEncrypt(CLAIMS, keys, options)
  anatomy(t, bySrc, 'JWE')
  const expect = { issuer: ISSUER, audience: API, maxTokenAge: '5m', requiredClaims: ['jti'] }
  t.code(
    "decryptThenVerify(token, keys, { issuer, audience, maxTokenAge: '5m', requiredClaims: ['jti'] })",
  )
  t.verdicts("each implementation reads the other's token", [
    {
      who: SRC,
      verdict: (await settle(() => src.decryptThenVerify(byJose, keys, expect))).verdict,
      expected: 'accepted',
    },
    {
      who: SAFE,
      verdict: (await settle(() => ref.decryptThenVerify(bySrc, keys, expect))).verdict,
      expected: 'accepted',
    },
  ])
  t.verdicts("reference/production-flow.ts readToken (jose, configured there) on src's token", [
    {
      who: SAFE,
      verdict: (await settle(() => readToken(bySrc, keys, { issuer: ISSUER, audience: API })))
        .verdict,
      expected: 'accepted',
    },
  ])
  const billing = { ...expect, audience: BILLING }
  await both(
    t,
    `replayed to ${BILLING}`,
    (api) => api.decryptThenVerify(bySrc, keys, billing),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  )
  const later = { ...expect, currentDate: new Date(story.now.getTime() + 6 * 60_000) }
  await both(
    t,
    'replayed 6 minutes later',
    (api) => api.decryptThenVerify(bySrc, keys, later),
    'ERR_JWT_EXPIRED',
  )
  t.blank()
  t.say("A reviewer's checklist: random keys of the right size, one per purpose; algorithms")
  t.say('pinned by the reader; iss, aud and exp required and checked; minutes, not days; a')
  t.say('standard nested JWT (cty "JWT"); tokens in HttpOnly, Secure cookies; and jose, not a')
  t.say('hand-written module like src, in production.')
}

// ─── The tour ────────────────────────────────────────────────────────────────────

interface Step {
  readonly title: string
  readonly chapter: string
  readonly run: (t: Narrator, story: Story) => Promise<void>
}

const STEPS: readonly Step[] = [
  {
    title: 'base64url: one spelling per byte string',
    chapter: CHAPTERS.base64url,
    run: base64urlStep,
  },
  {
    title: 'A JWS with HS256, by hand and by both implementations',
    chapter: CHAPTERS.jws,
    run: jwsStep,
  },
  {
    title: 'JWT claims: readable by anyone, checked by the verifier',
    chapter: CHAPTERS.claims,
    run: claimsStep,
  },
  { title: 'A JWE with dir + A256GCM', chapter: CHAPTERS.jwe, run: jweStep },
  { title: 'The readable JWT next to the opaque JWE', chapter: CHAPTERS.jwe, run: readableStep },
  { title: 'Tampering, rejected', chapter: `${CHAPTERS.jws}, ${CHAPTERS.jwe}`, run: tamperingStep },
  { title: 'Nested: sign, then encrypt', chapter: CHAPTERS.nested, run: nestedStep },
  { title: "The blog post's flow, failing", chapter: CHAPTERS.blog, run: blogStep },
  { title: 'The corrected flow', chapter: CHAPTERS.production, run: productionStep },
]

// ─── Screens ─────────────────────────────────────────────────────────────────────

/** Cursor home, then erase the display (ECMA-48 §8.3.21 CUP, §8.3.39 ED). */
const CLEAR_SCREEN = '\u001b[H\u001b[2J'
/** Keys that stop the tour: q, Esc, Ctrl-C (raw mode delivers it as a byte) and Ctrl-D. */
const QUIT_KEYS: readonly string[] = ['q', 'Q', '\u001b', '\u0003', '\u0004']
const NEXT_KEYS: readonly string[] = ['\r', '\n', ' ']

type Choice = 'next' | 'quit' | 'straight'

/** The next key that means something; other keys are ignored. */
async function nextChoice(io: CliIO): Promise<Choice> {
  for (;;) {
    const key = await io.readKey()
    // stdin ended: nobody is left to press a key, so the rest runs straight through.
    if (key === undefined) return 'straight'
    if (NEXT_KEYS.includes(key)) return 'next'
    if (QUIT_KEYS.includes(key)) return 'quit'
  }
}

/** Back to the start of the line, then erase it (ECMA-48 §8.3.41 EL): removes the prompt. */
const ERASE_LINE = '\r\u001b[2K'

/**
 * Shows a step on a fresh screen, a screenful at a time: a step taller than the screen
 * stops when the screen is full, and Enter scrolls the rest in, as `more` does. The
 * last prompt says what Enter leads to (`next`). Returns what the person chose.
 */
async function showScreens(
  io: CliIO,
  lines: readonly string[],
  palette: Palette,
  next: string,
): Promise<Choice> {
  // One row is kept for the prompt; a terminal too small to page is paged by 10.
  const pageRows = Math.max((io.rows ?? 24) - 1, 10)
  for (let start = 0; start < lines.length; start += pageRows) {
    const last = start + pageRows >= lines.length
    const page = lines.slice(start, start + pageRows).join('\n')
    io.out(`${start === 0 ? CLEAR_SCREEN : ERASE_LINE}${page}\n`)
    const prompt = last ? `Enter: ${next}` : 'Enter: the rest of this step'
    io.out(palette.dim(`── ${prompt} · q: quit ──`))
    const choice = await nextChoice(io)
    if (choice !== 'next') {
      io.out('\n')
      if (choice === 'straight') {
        const rest = lines.slice(start + pageRows)
        if (rest.length > 0) io.out(`${rest.join('\n')}\n`)
      }
      return choice
    }
  }
  return 'next'
}

/** The last screen: the verdict on the story, and where to go from here. */
function summaryLines(t: Narrator, columnsWide: number | undefined): string[] {
  const p = t.palette
  const lines: string[] = []
  if (t.surprises.length === 0) {
    lines.push(`${p.green('✓')} Every verdict above is the one the story expects.`)
  } else {
    lines.push(
      `${p.red('✗')} ${count(t.surprises.length, 'surprise')}: the code no longer tells this story.`,
    )
    for (const surprise of t.surprises) lines.push(`  - ${surprise}`)
  }
  lines.push('', p.bold('Where to go next'))
  const rows = [
    [
      'npm run workshop',
      'write it yourself, step by step, with hints and checks (docs/workshop.md)',
    ],
    ['npm run -s inspect -- TOKEN', 'take a real token apart, offline; verify it with its key'],
    ['npm run lab', 'the same story in a browser, to read and to tamper with'],
    [
      'docs/pitfalls/iv-reuse.md',
      'why the IV above is DEMO ONLY: two tokens under one IV, and a forgery that runs',
    ],
    ['docs/README.md', 'the chapters in reading order, and shorter paths through them'],
  ]
  const table = columns(rows.map(([command, what]) => [p.cyan(command as string), what as string]))
  for (const row of indent(table, 2).split('\n')) lines.push(wrap(row, columnsWide, 31))
  return lines
}

// ─── The tour ────────────────────────────────────────────────────────────────────

/** The tour as a function: `argv` without node and script, the environment, the streams. */
async function runTour(argv: readonly string[], env: Env, io: CliIO): Promise<number> {
  const line = parseCommandLine(argv, {
    help: { type: 'boolean', short: 'h' },
    'no-pause': { type: 'boolean' },
  })
  if (flag(line, 'help')) {
    io.out(HELP)
    return EXIT.OK
  }
  const palette = paletteFor({ env, isTTY: io.stdoutIsTTY })
  const t = createNarrator(palette, io.columns)
  // Someone must be there to press a key, and see the screen: both ends a terminal.
  let pausing = !flag(line, 'no-pause') && io.stdinIsTTY && io.stdoutIsTTY
  const intro = wrap(
    [
      palette.bold('jose-by-hand: the tour'),
      palette.dim(`${SRC}: written by hand on node:crypto · ${SAFE}: jose-by-hand/reference`),
      palette.dim(`${DEFAULTS}: jose with nothing configured, as the blog post calls it`),
    ].join('\n'),
    io.columns,
    2,
  ).split('\n')
  if (!pausing) io.out(`${intro.join('\n')}\n`)
  const story: Story = { now: new Date(), jws: '', jwt: '', jweWorked: '', jweRandom: '' }
  for (let i = 0; i < STEPS.length; i++) {
    const step = STEPS[i] as Step
    t.step(i + 1, STEPS.length, step.title, step.chapter)
    await step.run(t, story)
    const lines = t.takeLines()
    if (!pausing) {
      io.out(`\n${lines.join('\n')}\n`)
      continue
    }
    const screen =
      i === 0 ? [...wrap(intro.join('\n'), io.columns).split('\n'), '', ...lines] : lines
    const next = i + 1 < STEPS.length ? `step ${i + 2} of ${STEPS.length}` : 'where to go next'
    const choice = await showScreens(io, screen, palette, next)
    if (choice === 'quit') {
      io.out(`Stopped after step ${i + 1} of ${STEPS.length}. Run npm start to begin again.\n`)
      return EXIT.OK
    }
    if (choice === 'straight') pausing = false
  }
  const summary = summaryLines(t, io.columns).join('\n')
  io.out(pausing ? `${CLEAR_SCREEN}${summary}\n` : `\n${summary}\n`)
  return t.surprises.length === 0 ? EXIT.OK : EXIT.FAILURE
}

export const TOUR: Program = { name: 'tour', usage: USAGE, run: runTour }

if (isEntryPoint(import.meta.url)) await runMain(TOUR)
