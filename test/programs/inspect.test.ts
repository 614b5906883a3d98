/**
 * The offline inspector (test/programs/inspect/inspect.ts): its text and --json output
 * on valid, nested, tampered, non-canonical and garbage tokens; every strictness rule
 * it names; what it says was proven, layer by layer (never OK about something nobody
 * checked); where keys may come from (environment, file, never argv) and how they are
 * written; the tokens people really paste (a Bearer prefix, the blog post's shape,
 * RS256 and RSA-OAEP from identity providers); stdin; colour; and that nothing ever
 * ends in a stack trace.
 *
 * Most cases run the program in-process against an in-memory terminal; two spawn the
 * real process, which is slow on 2 cores.
 */

import { spawnSync } from 'node:child_process'
import { createCipheriv, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { CompactEncrypt, EncryptJWT, SignJWT } from 'jose'
import { base64url, encryptJwt, signJwt, signThenEncrypt } from 'jose-by-hand'
import { generateJWEWith } from 'jose-by-hand/reference/article-flow'
import { afterAll, describe, expect, test } from 'vitest'
import { BASE64URL_ALPHABET } from '../support/forge.ts'
import { diagnoseBase64url } from './inspect/base64url-lint.ts'
import { HELP, INSPECT, inspect as runInspector, USAGE } from './inspect/inspect.ts'
import type { InspectReport } from './inspect/inspection.ts'
import { parseKeyFile } from './inspect/keys.ts'
import type { LayerReport } from './inspect/verify.ts'
import { createMemoryIO, type Env, type Program, runProgram, visibleWidth } from './kit/index.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const NOW = new Date('2030-01-01T00:00:00Z')
const NOW_SECONDS = NOW.getTime() / 1000

const KEY = new Uint8Array(32).fill(1)
const SIGNING_KEY = new Uint8Array(32).fill(2)
const OTHER_KEY = new Uint8Array(32).fill(3)
const KEY_ENV: Env = { JOSE_KEY: base64url.encode(KEY) }
const BOTH_KEYS: Env = {
  JOSE_SIGNING_KEY: base64url.encode(SIGNING_KEY),
  JOSE_ENCRYPTION_KEY: base64url.encode(KEY),
}
const CLAIMS = { sub: 'alice', role: 'user' }
const LIFETIME = { currentDate: NOW, issuedAt: '0s', expirationTime: '15m' }

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

interface Call {
  env?: Env
  stdin?: string
  stdinIsTTY?: boolean
  stdoutIsTTY?: boolean
  columns?: number
  /** The inspector's clock; NOW unless a token was made with the real one. */
  now?: Date
}

async function inspect(argv: readonly string[], call: Call = {}): Promise<Outcome> {
  const clock = call.now ?? NOW
  const atClock: Program = {
    ...INSPECT,
    run: (args, env, io) => runInspector(args, env, io, clock),
  }
  const io = createMemoryIO({
    stdin: call.stdin ?? '',
    stdinIsTTY: call.stdinIsTTY ?? false,
    stdoutIsTTY: call.stdoutIsTTY ?? false,
    ...(call.columns === undefined ? {} : { columns: call.columns }),
  })
  const code = await runProgram(atClock, argv, call.env ?? {}, io)
  return { code, stdout: io.stdout(), stderr: io.stderr() }
}

async function inspectJson(
  token: string,
  call: Call = {},
  argv: string[] = [],
): Promise<InspectReport> {
  const outcome = await inspect(['--json', ...argv, token], call)
  expect(outcome.stderr).toBe('')
  const report = JSON.parse(outcome.stdout) as InspectReport
  expect(report.exitCode).toBe(outcome.code)
  return report
}

/** Rules found, as "where rule" strings. */
function rules(report: InspectReport): string[] {
  const found: string[] = []
  for (const v of report.token.violations) found.push(`${v.where} ${v.rule}`)
  for (const v of report.decrypted?.inner?.violations ?? []) found.push(`${v.where} ${v.rule}`)
  return found
}

/** Notes found, as "where rule" strings. */
function noteRules(report: InspectReport): string[] {
  const found: string[] = []
  for (const n of [...report.input, ...report.token.notes]) found.push(`${n.where} ${n.rule}`)
  for (const n of report.decrypted?.inner?.notes ?? []) found.push(`${n.where} ${n.rule}`)
  return found
}

/** "operation src jose" per check of every layer: codes, or accepted / error / not-implemented. */
function verdicts(report: InspectReport): string[] {
  const lines: string[] = []
  for (const layer of report.layers) {
    for (const check of layer.checks) {
      const src = check.src.code ?? check.src.outcome
      const jose = check.jose.code ?? check.jose.outcome
      const defaults =
        check.joseDefaults === null
          ? ''
          : ` ${check.joseDefaults.code ?? check.joseDefaults.outcome}`
      lines.push(`${check.operation} ${src} ${jose}${defaults}`)
    }
  }
  return lines
}

/** "name status" per layer. */
function statuses(report: InspectReport): string[] {
  return report.layers.map((layer: LayerReport) => `${layer.name} ${layer.status}`)
}

function b64(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url')
}

/** A JWS over exactly these segments, with a valid HS256 (or other) MAC. */
function rawJws(header: string, payload: string, hash = 'sha256', key = KEY): string {
  const mac = createHmac(hash, key).update(`${header}.${payload}`, 'latin1').digest()
  return `${header}.${payload}.${b64(mac)}`
}

/** A dir JWE with exactly this header segment and these sizes, authenticated correctly. */
function rawJwe(
  header: string,
  plaintext: string,
  options: { ivBytes?: number; tagBytes?: number; encryptedKey?: string; key?: Uint8Array } = {},
): string {
  const key = options.key ?? KEY
  const iv = randomBytes(options.ivBytes ?? 12)
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, iv, {
    authTagLength: options.tagBytes ?? 16,
  })
  cipher.setAAD(Buffer.from(header, 'latin1'))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return `${header}.${options.encryptedKey ?? ''}.${b64(iv)}.${b64(ciphertext)}.${b64(cipher.getAuthTag())}`
}

const HS256 = b64('{"alg":"HS256"}')
const DIR = b64('{"alg":"dir","enc":"A256GCM"}')
const JWS = signJwt(CLAIMS, KEY, LIFETIME)
const JWE = encryptJwt(CLAIMS, KEY, LIFETIME)
const NESTED = signThenEncrypt(CLAIMS, { signingKey: SIGNING_KEY, encryptionKey: KEY }, LIFETIME)

describe('valid tokens, and what was proven about them', () => {
  test('a JWS without a key: anatomy, header, readable payload, and NOT VERIFIED, exit 3', async () => {
    const { code, stdout, stderr } = await inspect([JWS])
    expect(code).toBe(3)
    expect(stderr).toBe('')
    expect(stdout).toContain('Anatomy: JWS, 3 segments')
    expect(stdout).toContain(JWS)
    expect(stdout).toContain('legend: header . payload . signature')
    expect(stdout).toContain('"alg": "HS256"')
    expect(stdout).toContain('Payload (NOT verified)')
    expect(stdout).toContain('Anyone holding this token can read this payload')
    expect(stdout).toContain('Nothing proves who wrote these claims')
    expect(stdout).toContain('"role": "user"')
    expect(stdout).toMatch(/exp {2}2030-01-01T00:15:00\.000Z {2}\(in 15 min\)/)
    expect(stdout).toContain('✓ no violations')
    expect(stdout).toContain('offline: nothing you inspect leaves this machine')
    expect(stdout).toContain('Result: NOT VERIFIED (exit code 3)')
    expect(stdout).toMatch(
      /JWS \(HS256\) {2}NOT VERIFIED {2}no signing key: set JOSE_SIGNING_KEY or JOSE_KEY/,
    )
    expect(stdout).toContain('What was not verified is not proven')
    expect(stdout).not.toMatch(/\bOK\b/)
    // Not a terminal and no FORCE_COLOR: no escape codes.
    expect(stdout).not.toContain('\u001b[')
    const report = await inspectJson(JWS)
    expect(report.status).toBe('NOT VERIFIED')
    expect(statuses(report)).toEqual(['JWS not-verified'])
    expect(report.layers[0]?.checks).toEqual([])
  })

  test('a JWS with JOSE_KEY: both implementations accept, VERIFIED, exit 0', async () => {
    const { code, stdout } = await inspect([JWS], { env: KEY_ENV })
    expect(code).toBe(0)
    expect(stdout).toContain('key: 32 bytes, base64url, from JOSE_KEY')
    expect(stdout).toMatch(/check\s+src\s+jose \(safe options\)/)
    expect(stdout).toMatch(/verifyCompact\s+accepted\s+accepted/)
    expect(stdout).toMatch(/verifyJwt\s+accepted\s+accepted/)
    expect(stdout).toContain('Payload (signature verified)')
    expect(stdout).toContain('Result: VERIFIED (exit code 0)')
    expect(stdout).toContain(
      'JWS (HS256)  VERIFIED  signature checked by src and jose (safe options); claims checked: exp; not asked for: iss (--issuer), aud (--audience)',
    )
    const report = await inspectJson(JWS, { env: KEY_ENV })
    expect(report.schema).toBe('jose-by-hand/inspect@2')
    expect(report.inspectedAt).toBe(NOW.toISOString())
    expect(report.token.kind).toBe('JWS')
    expect(report.token.header).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(report.token.payload?.claims).toMatchObject(CLAIMS)
    expect(report.token.segments.map((s) => [s.name, s.canonical])).toEqual([
      ['header', true],
      ['payload', true],
      ['signature', true],
    ])
    expect(verdicts(report)).toEqual([
      'verifyCompact accepted accepted',
      'verifyJwt accepted accepted',
    ])
    expect(report.status).toBe('VERIFIED')
    expect(report.exitCode).toBe(0)
  })

  test('a JWS whose payload is not JSON is verified as bytes only, with a note', async () => {
    const token = rawJws(HS256, b64('just bytes'))
    const report = await inspectJson(token, { env: KEY_ENV })
    expect(verdicts(report)).toEqual(['verifyCompact accepted accepted'])
    expect(report.token.notes.map((n) => n.rule)).toContain('claims.not-json')
    expect(report.token.payload?.text).toBe('just bytes')
    expect(report.layers[0]?.summary).toBe(
      'signature checked by src and jose (safe options); the payload is not a claims set, so only its bytes are proven',
    )
  })

  test('a JWE: sizes and an unreadable payload without a key; the claims with one', async () => {
    const locked = await inspect([JWE])
    expect(locked.code).toBe(3)
    expect(locked.stdout).toContain('Anatomy: JWE, 5 segments')
    expect(locked.stdout).toContain(
      'legend: header . encrypted key . initialization vector . ciphertext . authentication tag',
    )
    expect(locked.stdout).toContain('IV 12 bytes (96 bits)')
    expect(locked.stdout).toContain('tag 16 bytes (128 bits)')
    expect(locked.stdout).toContain('unreadable without the key')
    expect(locked.stdout).not.toContain('"role": "user"')
    expect(locked.stdout).toMatch(/JWE \(dir \+ A256GCM\) {2}NOT VERIFIED {2}no encryption key/)

    const report = await inspectJson(JWE, { env: KEY_ENV })
    expect(report.token.jwe).toEqual({
      encryptedKeyBytes: 0,
      ivBytes: 12,
      ciphertextBytes: Buffer.byteLength(
        JSON.stringify({ ...CLAIMS, iat: NOW_SECONDS, exp: NOW_SECONDS + 900 }),
      ),
      tagBytes: 16,
    })
    expect(report.token.payload).toBeNull()
    expect(verdicts(report)).toEqual([
      'decryptCompact accepted accepted',
      'decryptJwt accepted accepted',
    ])
    expect(statuses(report)).toEqual(['JWE verified'])
    expect(report.decrypted?.from).toBe('src')
    expect(report.decrypted?.content?.claims).toMatchObject(CLAIMS)
    const unlocked = await inspect([JWE], { env: KEY_ENV })
    expect(unlocked.code).toBe(0)
    expect(unlocked.stdout).toContain('Decrypted: readable to you because you hold the key')
    expect(unlocked.stdout).toContain('"role": "user"')
  })

  test('a nested token with both keys: each layer VERIFIED, then both at once', async () => {
    const report = await inspectJson(NESTED, { env: BOTH_KEYS })
    expect(report.token.nested).toBe(true)
    expect(report.token.notes.map((n) => n.rule)).toContain('header.cty')
    expect(verdicts(report)).toEqual([
      'decryptCompact accepted accepted',
      'verifyCompact accepted accepted',
      'verifyJwt accepted accepted',
      'decryptThenVerify accepted accepted',
    ])
    expect(statuses(report)).toEqual(['outer JWE verified', 'inner JWS verified'])
    expect(report.layers[0]?.summary).toBe(
      'tag checked and decrypted by src and jose (safe options); its content, a signed JWT, is the next layer',
    )
    expect(report.decrypted?.inner?.kind).toBe('JWS')
    expect(report.decrypted?.inner?.payload?.claims).toMatchObject(CLAIMS)
    expect(report.exitCode).toBe(0)
    const { stdout } = await inspect([NESTED], { env: BOTH_KEYS })
    expect(stdout).toContain('The plaintext is the inner, signed JWT:')
    expect(stdout).toContain('key: 32 bytes, base64url, from JOSE_SIGNING_KEY')
    expect(stdout).toContain('key: 32 bytes, base64url, from JOSE_ENCRYPTION_KEY')
    expect(stdout).toContain('Result: VERIFIED (exit code 0)')
  })

  test('a nested token given only the encryption key: the inner JWS is NOT VERIFIED, exit 3', async () => {
    const { code, stdout } = await inspect([NESTED], {
      env: { JOSE_ENCRYPTION_KEY: base64url.encode(KEY) },
    })
    expect(code).toBe(3)
    expect(stdout).toContain('Result: NOT VERIFIED (exit code 3)')
    expect(stdout).toMatch(/outer JWE \(dir \+ A256GCM\) {2}VERIFIED {2}tag checked and decrypted/)
    expect(stdout).toMatch(/inner JWS \(HS256\) {10}NOT VERIFIED {2}no signing key/)
    expect(stdout).not.toMatch(/\bOK\b/)
    const report = await inspectJson(NESTED, {
      env: { JOSE_ENCRYPTION_KEY: base64url.encode(KEY) },
    })
    expect(verdicts(report)).toEqual(['decryptCompact accepted accepted'])
    expect(statuses(report)).toEqual(['outer JWE verified', 'inner JWS not-verified'])
    expect(report.status).toBe('NOT VERIFIED')
    expect(report.decrypted?.inner?.kind).toBe('JWS')
  })

  test('a nested token given only the signing key: neither layer can be checked', async () => {
    const report = await inspectJson(NESTED, {
      env: { JOSE_SIGNING_KEY: base64url.encode(SIGNING_KEY) },
    })
    expect(statuses(report)).toEqual(['outer JWE not-verified', 'inner JWS not-verified'])
    expect(report.layers[1]?.summary).toBe('not checked: the outer JWE was not decrypted')
    expect(report.exitCode).toBe(3)
  })

  test('a nested token with one key for both layers: the inner MAC fails in both', async () => {
    const report = await inspectJson(NESTED, { env: KEY_ENV })
    expect(verdicts(report)).toEqual([
      'decryptCompact accepted accepted',
      'verifyCompact ERR_JWS_SIGNATURE_VERIFICATION_FAILED ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      'verifyJwt ERR_JWS_SIGNATURE_VERIFICATION_FAILED ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      'decryptThenVerify ERR_JWS_SIGNATURE_VERIFICATION_FAILED ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ])
    expect(statuses(report)).toEqual(['outer JWE verified', 'inner JWS rejected'])
    expect(report.status).toBe('REJECTED')
    expect(report.exitCode).toBe(1)
  })
})

describe('the tokens people really have', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inspect-real-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const publicPem = join(dir, 'issuer.pem')
  writeFileSync(publicPem, rsa.publicKey.export({ type: 'spki', format: 'pem' }))
  const privateJwk = join(dir, 'recipient.jwk')
  writeFileSync(privateJwk, JSON.stringify(rsa.privateKey.export({ format: 'jwk' })))
  const TEXT_SECRET = new TextEncoder().encode('signing-secret')

  function rs256(claims: object): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'issuer-1' })
      .setExpirationTime(NOW_SECONDS + 900)
      .sign(rsa.privateKey)
  }

  test('a text secret needs --key-encoding utf8; the error says so and never echoes the key', async () => {
    const token = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(TEXT_SECRET)
    const refused = await inspect([token], { env: { JOSE_KEY: 'signing-secret' } })
    expect(refused.code).toBe(2)
    expect(refused.stdout).toBe('')
    const firstLine = refused.stderr.split('\n')[0]
    expect(firstLine).toBe(
      'inspect: JOSE_KEY is not canonical base64url: it sets unused low bits in its last character, so other spellings decode to the same bytes (RFC 4648 §3.5); jose ignores them. If the key is a text secret (a passphrase), add --key-encoding utf8; if it is hex, --key-encoding hex.',
    )
    expect(refused.stderr).not.toContain('signing-secret')
  })

  test('a text secret, from the environment or a file: a weak key, verified by jose (defaults) only', async () => {
    const token = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(NOW_SECONDS + 60)
      .sign(TEXT_SECRET)
    const file = join(dir, 'secret.txt')
    writeFileSync(file, 'signing-secret\n')
    for (const [argv, env] of [
      [['--key-encoding', 'utf8'], { JOSE_KEY: 'signing-secret' }],
      [['--key-encoding=utf8', '--key-file', file], {}],
    ] as const) {
      const report = await inspectJson(token, { env }, [...argv])
      expect(report.keys.map((finding) => finding.rule)).toEqual(['key.text'])
      expect(report.keys[0]?.message).toContain('RFC 7518 §3.2')
      expect(report.keys[0]?.message).toContain('RFC 8725 §3.5')
      expect(verdicts(report)).toEqual([
        'verifyCompact error error accepted',
        'verifyJwt error error accepted',
      ])
      expect(report.layers[0]?.checks[0]?.src.message).toBe(
        'TypeError: key has 14 bytes; the allowed algorithms (HS256) need at least 32 (RFC 7518 §3.2)',
      )
      expect(report.layers[0]?.summary).toMatch(
        /^signature checked by jose \(defaults\) only \(src and jose \(safe options\) refuse this key\); claims checked: exp/,
      )
      expect(report.status).toBe('VERIFIED')
      // A weak key is a violation: the token was made unsafely, whatever it verifies to.
      expect(report.violationCount).toBe(1)
      expect(report.exitCode).toBe(1)
    }
    const { stdout } = await inspect(['--key-encoding', 'utf8', token], {
      env: { JOSE_KEY: 'signing-secret' },
    })
    expect(stdout).toMatch(/check\s+src\s+jose \(safe options\)\s+jose \(defaults\)/)
    expect(stdout).toContain('key: 14 bytes, utf8, from JOSE_KEY')
    expect(stdout).not.toContain('signing-secret')
  })

  test('hex keys, with --key-encoding hex', async () => {
    const report = await inspectJson(JWS, { env: { JOSE_KEY: Buffer.from(KEY).toString('hex') } }, [
      '--key-encoding',
      'hex',
    ])
    expect(verdicts(report)[0]).toBe('verifyCompact accepted accepted')
    expect(report.layers[0]?.key?.description).toBe('32 bytes, hex')
  })

  test.each([
    ['Bearer ', `Bearer ${JWS}`, ['input input.bearer']],
    ['bearer, any case, several spaces', `bEaReR   ${JWS}`, ['input input.bearer']],
    [
      'the whole header line',
      `Authorization: Bearer ${JWS}`,
      ['input input.authorization', 'input input.bearer'],
    ],
    [
      'quotes and spaces',
      `  "Bearer ${JWS}"\n`,
      ['input input.whitespace', 'input input.quotes', 'input input.bearer'],
    ],
  ])('%s: removed, with a note, and the token is verified', async (_name, input, notes) => {
    const report = await inspectJson(input, { env: KEY_ENV })
    expect(report.input.map((note) => `${note.where} ${note.rule}`)).toEqual(notes)
    expect(report.token.length).toBe(JWS.length)
    expect(report.violationCount).toBe(0)
    expect(report.status).toBe('VERIFIED')
    const { stdout } = await inspect([input], { env: KEY_ENV })
    expect(stdout).toContain('Input')
    expect(stdout).not.toContain('whitespace; lenient decoders')
  })

  test("the blog post's { token } shape: both layers verified, and it is said not to be a nested JWT", async () => {
    // The post's flow reads the real clock (iat now, exp in an hour): so does the inspector here.
    const now = new Date()
    const token = await generateJWEWith(CLAIMS, { signingKey: SIGNING_KEY, encryptionKey: KEY })
    const report = await inspectJson(token, { env: BOTH_KEYS, now })
    expect(noteRules(report)).toContain('plaintext nested.token-claim')
    const shape = report.token.notes.find((note) => note.rule === 'nested.token-claim')
    expect(shape?.message).toMatch(
      /^carries a signed JWT in its "token" claim, and the header has no cty: this is not a nested JWT/,
    )
    expect(shape?.message).toContain('never checks the inner signature')
    expect(verdicts(report)).toEqual([
      'decryptCompact accepted accepted',
      'decryptJwt accepted accepted',
      'verifyCompact accepted accepted',
      'verifyJwt accepted accepted',
    ])
    expect(statuses(report)).toEqual(['JWE verified', 'inner JWS in claim "token" verified'])
    // Both claims checks, reported: the outer one has nothing to check.
    expect(report.layers[0]?.summary).toContain('no claims to check')
    expect(report.layers[1]?.summary).toContain('claims checked: exp')
    expect(report.decrypted?.innerFrom).toBe('claim "token"')
    expect(report.decrypted?.inner?.kind).toBe('JWS')
    expect(report.exitCode).toBe(0)
    const { stdout } = await inspect([token], { env: BOTH_KEYS, now })
    expect(stdout).toContain('Its claim "token" holds the inner, signed JWT:')
    expect(stdout).toContain(
      'Not a nested JWT: the signed JWT travels in a claim, with no cty "JWT"',
    )
    // With the encryption key only, the inner JWS is readable but unproven.
    const half = await inspectJson(token, {
      env: { JOSE_ENCRYPTION_KEY: base64url.encode(KEY) },
      now,
    })
    expect(statuses(half)).toEqual(['JWE verified', 'inner JWS in claim "token" not-verified'])
    expect(half.exitCode).toBe(3)
  })

  test('a signed JWT as the plaintext without cty "JWT": verified as the inner layer, and flagged', async () => {
    const inner = signJwt(CLAIMS, SIGNING_KEY, LIFETIME)
    const token = rawJwe(DIR, inner)
    const report = await inspectJson(token, { env: BOTH_KEYS })
    expect(noteRules(report)).toContain('header nested.no-cty')
    expect(statuses(report)).toEqual(['JWE verified', 'inner JWS verified'])
  })

  test('an RS256 JWS with the issuer\'s PEM public key: verified by jose, src "not implemented here"', async () => {
    const token = await rs256({ sub: 'alice', aud: 'api' })
    const report = await inspectJson(token, {}, [
      '--public-key-file',
      publicPem,
      '--audience',
      'api',
    ])
    expect(rules(report)).toEqual([])
    expect(noteRules(report)).toContain('header header.alg-jose-only')
    expect(verdicts(report)).toEqual([
      'compactVerify not-implemented accepted',
      'jwtVerify not-implemented accepted',
    ])
    expect(report.layers[0]?.key).toEqual({
      source: `--public-key-file ${publicPem}`,
      description: 'RSA 2048-bit public key (PEM)',
    })
    expect(report.status).toBe('VERIFIED')
    expect(report.exitCode).toBe(0)
    const { stdout } = await inspect(['--public-key-file', publicPem, token])
    expect(stdout).toMatch(/compactVerify\s+not implemented here\s+accepted/)
    expect(stdout).toContain('✓ no violations')
    // The same key from the environment, and a JWK Set whose "kid" picks the key.
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
    expect((await inspectJson(token, { env: { JOSE_PUBLIC_KEY: pem } })).status).toBe('VERIFIED')
    const set = {
      keys: [
        { ...other.publicKey.export({ format: 'jwk' }), kid: 'issuer-0' },
        { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'issuer-1' },
      ],
    }
    const fromSet = await inspectJson(token, { env: { JOSE_PUBLIC_KEY: JSON.stringify(set) } })
    expect(fromSet.layers[0]?.key?.source).toBe('JOSE_PUBLIC_KEY keys[1]')
    expect(fromSet.status).toBe('VERIFIED')
  })

  test('an RS256 JWS without its public key: NOT VERIFIED, no violation, and no HMAC key can help', async () => {
    const token = await rs256({ sub: 'alice' })
    const report = await inspectJson(token, { env: KEY_ENV })
    expect(report.violationCount).toBe(0)
    expect(report.layers[0]?.summary).toBe(
      "no public key: pass --public-key-file PATH or set JOSE_PUBLIC_KEY (the issuer's key, PEM or JWK); an HMAC key cannot verify RS256",
    )
    expect(report.exitCode).toBe(3)
    const wrong = await inspectJson(token, {
      env: { JOSE_PUBLIC_KEY: other.publicKey.export({ type: 'spki', format: 'pem' }) as string },
    })
    expect(verdicts(wrong)[0]).toBe(
      'compactVerify not-implemented ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
    expect(wrong.exitCode).toBe(1)
  })

  test('an ES256 key cannot be made to verify an RS256 token: the key, not the header, picks the algorithm', async () => {
    const token = await rs256({ sub: 'alice' })
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const report = await inspectJson(token, {
      env: { JOSE_PUBLIC_KEY: ec.publicKey.export({ type: 'spki', format: 'pem' }) as string },
    })
    expect(verdicts(report)[0]).toBe('compactVerify not-implemented ERR_JOSE_ALG_NOT_ALLOWED')
  })

  test("an RSA-OAEP-256 JWE with the recipient's private JWK: decrypted and checked by jose", async () => {
    const token = await new EncryptJWT({ ...CLAIMS })
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
      .setExpirationTime(NOW_SECONDS + 900)
      .encrypt(rsa.publicKey)
    const report = await inspectJson(token, {}, ['--private-key-file', privateJwk])
    expect(rules(report)).toEqual([])
    expect(noteRules(report)).toContain('header header.alg-jose-only')
    expect(verdicts(report)).toEqual([
      'compactDecrypt not-implemented accepted',
      'jwtDecrypt not-implemented accepted',
    ])
    expect(report.layers[0]?.key?.description).toBe('RSA 2048-bit private key (JWK)')
    expect(report.decrypted).toMatchObject({ from: 'jose', content: { claims: CLAIMS } })
    expect(report.exitCode).toBe(0)
    const locked = await inspectJson(token)
    expect(locked.layers[0]?.summary).toMatch(/^no private key: pass --private-key-file PATH/)
    expect(locked.exitCode).toBe(3)
  })

  test('A256KW and A128CBC-HS256, with a shared key: jose alone, the key size picking the algorithms', async () => {
    const secret = new Uint8Array(32).fill(7)
    const wrapped = await new CompactEncrypt(new TextEncoder().encode('{"sub":"alice"}'))
      .setProtectedHeader({ alg: 'A256KW', enc: 'A128CBC-HS256' })
      .encrypt(secret)
    const report = await inspectJson(wrapped, {
      env: { JOSE_ENCRYPTION_KEY: base64url.encode(secret) },
    })
    expect(rules(report)).toEqual([])
    expect(noteRules(report)).toEqual(
      expect.arrayContaining(['header header.alg-jose-only', 'header header.enc-jose-only']),
    )
    expect(verdicts(report)).toEqual([
      'compactDecrypt not-implemented accepted',
      'jwtDecrypt not-implemented accepted',
    ])
  })

  test('an expired token: jose rejects it too, and the finding says so', async () => {
    const token = signJwt(CLAIMS, KEY, { expirationTime: NOW_SECONDS - 10 })
    const report = await inspectJson(token, { env: KEY_ENV })
    const expired = report.token.violations.find((finding) => finding.rule === 'claims.exp')
    expect(expired?.message).toBe(
      'expired 10 s ago ("exp" 2029-12-31T23:59:50.000Z); a token is valid only before its exp (RFC 7519 §4.1.4), and jose rejects it too (ERR_JWT_EXPIRED)',
    )
    expect(verdicts(report)[1]).toBe('verifyJwt ERR_JWT_EXPIRED ERR_JWT_EXPIRED')
    expect(report.status).toBe('REJECTED')
    const { stdout } = await inspect([token], { env: KEY_ENV })
    expect(stdout).not.toContain('more lenient, accepts')
    expect(stdout).toContain('Result: REJECTED, 1 violation (exit code 1)')
  })

  test('counts read as English: 1 character, 5 characters', () => {
    expect(diagnoseBase64url('A').problems[0]?.message).toMatch(/^has 1 character, 1 more than/)
    expect(diagnoseBase64url('AAAAA').problems[0]?.message).toMatch(
      /^has 5 characters, 1 more than/,
    )
  })

  test('on a terminal, the report fits its width: tokens and findings are wrapped, not cut off', async () => {
    const token = `${JWS}AA`
    for (const width of [50, 80]) {
      const { stdout } = await inspect([token], {
        env: { NO_COLOR: '1', ...KEY_ENV },
        columns: width,
      })
      for (const line of stdout.split('\n')) {
        expect({ line, fits: visibleWidth(line) <= width }).toEqual({ line, fits: true })
      }
      expect(stdout.replace(/\n\s*/g, '')).toContain(token)
    }
  })
})

describe('tampered tokens and wrong keys', () => {
  test('a JWS with a changed payload: both reject, exit 1, no strictness violation', async () => {
    const [header, , signature] = JWS.split('.')
    const forged = `${header}.${b64(JSON.stringify({ ...CLAIMS, role: 'admin' }))}.${signature}`
    const report = await inspectJson(forged, { env: KEY_ENV })
    expect(report.violationCount).toBe(0)
    expect(verdicts(report)).toEqual([
      'verifyCompact ERR_JWS_SIGNATURE_VERIFICATION_FAILED ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      'verifyJwt ERR_JWS_SIGNATURE_VERIFICATION_FAILED ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ])
    expect(report.exitCode).toBe(1)
    const { code, stdout } = await inspect([forged], { env: KEY_ENV })
    expect(code).toBe(1)
    expect(stdout).toMatch(
      /verifyCompact\s+rejected ERR_JWS_SIGNATURE_VERIFICATION_FAILED\s+rejected ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
    )
    expect(stdout).toContain('Result: REJECTED (exit code 1)')
    expect(stdout).toContain(
      'JWS (HS256)  REJECTED  verifyCompact: src rejected ERR_JWS_SIGNATURE_VERIFICATION_FAILED, jose (safe options) rejected ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
  })

  test('a JWE with a flipped ciphertext bit: both reject with the one vague error', async () => {
    const segments = JWE.split('.')
    const ciphertext = Buffer.from(segments[3] as string, 'base64url')
    ciphertext[0] = (ciphertext[0] as number) ^ 1
    segments[3] = b64(ciphertext)
    const report = await inspectJson(segments.join('.'), { env: KEY_ENV })
    expect(verdicts(report)).toEqual([
      'decryptCompact ERR_JWE_DECRYPTION_FAILED ERR_JWE_DECRYPTION_FAILED',
    ])
    expect(report.decrypted).toBeNull()
    expect(report.exitCode).toBe(1)
  })

  test('the wrong key: both reject', async () => {
    const env = { JOSE_KEY: base64url.encode(OTHER_KEY) }
    expect(verdicts(await inspectJson(JWS, { env }))[0]).toBe(
      'verifyCompact ERR_JWS_SIGNATURE_VERIFICATION_FAILED ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
    expect(verdicts(await inspectJson(JWE, { env }))[0]).toBe(
      'decryptCompact ERR_JWE_DECRYPTION_FAILED ERR_JWE_DECRYPTION_FAILED',
    )
  })

  test('a key of the wrong size is an error of the key: NOT VERIFIED, not a verdict on the token', async () => {
    const env = { JOSE_KEY: base64url.encode(new Uint8Array(17)) }
    const report = await inspectJson(JWE, { env })
    expect(verdicts(report)).toEqual(['decryptCompact error error'])
    expect(report.layers[0]?.checks[0]?.src.message).toMatch(/^TypeError: key has 17 bytes/)
    expect(statuses(report)).toEqual(['JWE not-verified'])
    expect(report.layers[0]?.summary).toMatch(
      /^the key could not be used: TypeError: key has 17 bytes/,
    )
    const { code, stdout } = await inspect([JWE], { env })
    expect(code).toBe(3)
    expect(stdout).toMatch(/decryptCompact\s+error TypeError\s+error TypeError/)
  })

  test('a re-spelled signature: src rejects, jose accepts, and the disagreement is shown', async () => {
    const segments = JWS.split('.')
    const signature = segments[2] as string
    // 43 characters: the last carries 2 unused bits. Setting the lowest one keeps the bytes.
    const last = BASE64URL_ALPHABET.indexOf(signature.charAt(42))
    segments[2] = signature.slice(0, 42) + BASE64URL_ALPHABET.charAt(last | 1)
    const token = segments.join('.')
    const report = await inspectJson(token, { env: KEY_ENV })
    expect(rules(report)).toEqual(['signature base64url.spare-bits'])
    expect(verdicts(report)).toEqual([
      'verifyCompact ERR_JWS_INVALID accepted',
      'verifyJwt ERR_JWS_INVALID accepted',
    ])
    const { stdout } = await inspect([token], { env: KEY_ENV })
    expect(stdout).toContain('The two disagree')
    expect(stdout).toContain('NOT canonical')
  })
})

// Each row: a token breaking one rule, the finding the inspector must report, and the
// verdict src must give with JOSE_KEY: the lint and the verifier agree.
interface LintCase {
  name: string
  token: () => string
  finding: string
  /** "operation code" of src's check; undefined when nothing can be verified. */
  src: string | undefined
  env?: Env
}

const deep = `{"a":${'['.repeat(64)}${']'.repeat(64)}}`
const claims = (json: string): string => rawJws(HS256, b64(json))

const LINT_CASES: LintCase[] = [
  {
    name: 'padding',
    token: () => rawJws(`${HS256}=`, b64('{}')),
    finding: 'header base64url.padding',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'whitespace',
    token: () => rawJws(`${HS256.slice(0, 4)} ${HS256.slice(4)}`, b64('{}')),
    finding: 'header base64url.whitespace',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: "standard base64's + in the payload",
    token: () => rawJws(HS256, Buffer.from([0xfb, 0xef, 0xbe]).toString('base64')),
    finding: 'payload base64url.characters',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'a non-ASCII look-alike (U+016E reads as n in Node)',
    token: () => {
      const [h, p, s] = JWS.split('.') as [string, string, string]
      return `${h}.${p}.Ů${s.slice(1)}`
    },
    finding: 'signature base64url.characters',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'length 1 mod 4',
    token: () => `${JWS}AA`,
    finding: 'signature base64url.length',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'a byte-order mark',
    token: () => rawJws(b64('\ufeff{"alg":"HS256"}'), b64('{}')),
    finding: 'header utf8.bom',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'invalid UTF-8',
    token: () => rawJws(b64(Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d)), b64('{}')),
    finding: 'header utf8.invalid',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'a duplicate header member',
    token: () => rawJws(b64('{"alg":"HS256","alg":"HS256"}'), b64('{}')),
    finding: 'header json.duplicate-name',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'a duplicate claim',
    token: () => claims('{"sub":"alice","sub":"admin"}'),
    finding: 'payload json.duplicate-name',
    src: 'verifyJwt ERR_JWT_INVALID',
  },
  {
    name: 'an escaped lone surrogate',
    token: () => claims('{"sub":"\\ud800"}'),
    finding: 'payload json.lone-surrogate',
    src: 'verifyJwt ERR_JWT_INVALID',
  },
  {
    name: 'nesting deeper than 64',
    token: () => claims(deep),
    finding: 'payload json.depth',
    src: 'verifyJwt ERR_JWT_INVALID',
  },
  {
    name: 'alg none',
    token: () => `${b64('{"alg":"none"}')}.${b64('{}')}.`,
    finding: 'header header.alg',
    src: 'verifyCompact ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'HS384, outside the default allowlist',
    token: () => rawJws(b64('{"alg":"HS384"}'), b64('{}'), 'sha384', new Uint8Array(48)),
    finding: 'header header.alg',
    src: 'verifyCompact ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'an algorithm nobody implements',
    token: () => rawJws(b64('{"alg":"XY256"}'), b64('{}')),
    finding: 'header header.alg',
    src: 'verifyCompact ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'a well-formed crit',
    token: () => rawJws(b64('{"alg":"HS256","crit":["exp"],"exp":1}'), b64('{}')),
    finding: 'header header.crit',
    src: 'verifyCompact ERR_JOSE_NOT_SUPPORTED',
  },
  {
    name: 'an empty crit',
    token: () => rawJws(b64('{"alg":"HS256","crit":[]}'), b64('{}')),
    finding: 'header header.crit',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'b64 outside crit',
    token: () => rawJws(b64('{"alg":"HS256","b64":false}'), b64('{}')),
    finding: 'header header.b64',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'an HS256 signature of the wrong length',
    token: () => `${HS256}.${b64('{}')}.${b64(new Uint8Array(16))}`,
    finding: 'signature jws.signature-size',
    src: 'verifyCompact ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  },
  {
    name: 'zip',
    token: () => rawJwe(b64('{"alg":"dir","enc":"A256GCM","zip":"DEF"}'), '{}'),
    finding: 'header header.zip',
    src: 'decryptCompact ERR_JOSE_NOT_SUPPORTED',
  },
  {
    name: 'RSA1_5, open to padding oracles',
    token: () => rawJwe(b64('{"alg":"RSA1_5","enc":"A256GCM"}'), '{}'),
    finding: 'header header.alg',
    src: 'decryptCompact ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'A128GCM, outside the default allowlist',
    token: () =>
      rawJwe(b64('{"alg":"dir","enc":"A128GCM"}'), '{}', { key: new Uint8Array(16).fill(1) }),
    finding: 'header header.enc',
    src: 'decryptCompact ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'an unknown enc',
    token: () => rawJwe(b64('{"alg":"dir","enc":"A256CBC"}'), '{}'),
    finding: 'header header.enc',
    src: 'decryptCompact ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'a 64-bit IV',
    token: () => rawJwe(DIR, '{}', { ivBytes: 8 }),
    finding: 'iv jwe.iv-size',
    src: 'decryptCompact ERR_JWE_INVALID',
  },
  {
    name: 'a 96-bit tag',
    token: () => rawJwe(DIR, '{}', { tagBytes: 12 }),
    finding: 'tag jwe.tag-size',
    src: 'decryptCompact ERR_JWE_INVALID',
  },
  {
    name: 'an encrypted key with dir',
    token: () => rawJwe(DIR, '{}', { encryptedKey: b64(new Uint8Array(40)) }),
    finding: 'encryptedKey jwe.encrypted-key',
    src: 'decryptCompact ERR_JWE_INVALID',
  },
  {
    name: 'four segments',
    token: () => `${JWS}.${b64('{}')}`,
    finding: 'token token.segments',
    src: undefined,
  },
  {
    name: 'over the 65,536-character cap',
    token: () => claims(JSON.stringify({ padding: 'x'.repeat(50_000) })),
    finding: 'token token.length',
    src: 'verifyCompact ERR_JWS_INVALID',
  },
  {
    name: 'exp as a string',
    token: () => claims('{"exp":"soon"}'),
    finding: 'payload claims.type',
    src: 'verifyJwt ERR_JWT_CLAIM_VALIDATION_FAILED',
  },
  {
    name: 'exp as 1e400 (Infinity)',
    token: () => claims('{"exp":1e400}'),
    finding: 'payload claims.type',
    src: 'verifyJwt ERR_JWT_CLAIM_VALIDATION_FAILED',
  },
  {
    name: 'an aud array holding a number',
    token: () => claims('{"aud":["api",1]}'),
    finding: 'payload claims.type',
    src: 'verifyJwt ERR_JWT_CLAIM_VALIDATION_FAILED',
  },
  {
    name: 'exp in the past',
    token: () => signJwt(CLAIMS, KEY, { expirationTime: NOW_SECONDS - 10 }),
    finding: 'payload claims.exp',
    src: 'verifyJwt ERR_JWT_EXPIRED',
  },
  {
    name: 'nbf in the future',
    token: () => signJwt(CLAIMS, KEY, { notBefore: NOW_SECONDS + 100 }),
    finding: 'payload claims.nbf',
    src: 'verifyJwt ERR_JWT_CLAIM_VALIDATION_FAILED',
  },
  {
    name: 'a duplicate claim inside a JWE (found once decrypted)',
    token: () => rawJwe(DIR, '{"sub":"alice","sub":"admin"}'),
    finding: 'plaintext json.duplicate-name',
    src: 'decryptJwt ERR_JWT_INVALID',
  },
  {
    name: 'a duplicate claim in the inner JWS of a nested token',
    token: () =>
      rawJwe(
        b64('{"alg":"dir","enc":"A256GCM","cty":"JWT"}'),
        rawJws(HS256, b64('{"sub":"alice","sub":"admin"}'), 'sha256', SIGNING_KEY),
      ),
    finding: 'inner.payload json.duplicate-name',
    src: 'decryptThenVerify ERR_JWT_INVALID',
    env: {
      JOSE_SIGNING_KEY: base64url.encode(SIGNING_KEY),
      JOSE_ENCRYPTION_KEY: base64url.encode(KEY),
    },
  },
]

describe('strictness violations: what the inspector names, src rejects', () => {
  test.each(LINT_CASES)('$name', async (lintCase) => {
    const token = lintCase.token()
    const report = await inspectJson(token, { env: lintCase.env ?? KEY_ENV })
    expect(rules(report)).toContain(lintCase.finding)
    expect(report.exitCode).toBe(1)
    const checks = report.layers.flatMap((layer) => layer.checks)
    if (lintCase.src === undefined) {
      expect(checks).toEqual([])
      expect(report.layers.map((layer) => layer.summary)).toEqual([
        expect.stringContaining('nothing to verify'),
      ])
    } else {
      const [operation, code] = lintCase.src.split(' ')
      const check = checks.find((c) => c.operation === operation)
      expect(check?.src).toMatchObject({ outcome: 'rejected', code })
    }
    // The text output names the same rule.
    const { stdout } = await inspect([token], { env: lintCase.env ?? KEY_ENV })
    expect(stdout).toContain(`[${lintCase.finding.split(' ')[1]}]`)
  })

  test('clean tokens have no violations at all', async () => {
    for (const token of [JWS, JWE, NESTED]) {
      const report = await inspectJson(token, { env: KEY_ENV })
      expect(report.token.violations).toEqual([])
    }
  })

  test('every violation of a many-times-broken token is listed, not just the first', async () => {
    const token = `${HS256}=.${b64('{"sub":"a","sub":"b"}')}.${b64(new Uint8Array(16))}+`
    const report = await inspectJson(token)
    expect(rules(report)).toEqual(
      expect.arrayContaining([
        'header base64url.padding',
        'payload json.duplicate-name',
        'signature base64url.characters',
      ]),
    )
  })
})

describe('base64url diagnosis agrees with src', () => {
  // Every base64url character, plus the ones that make a spelling non-canonical.
  const character = fc.oneof(
    fc.constantFrom(...BASE64URL_ALPHABET),
    fc.constantFrom('=', '+', '/', ' ', '\n', 'Ů', 'é', '\u0000'),
  )
  const segment = fc
    .integer({ min: 0, max: 48 })
    .chain((n) => fc.array(character, { minLength: n, maxLength: n }))
    .map((chars) => chars.join(''))

  /** src's public decoder, which throws for anything but the canonical spelling. */
  function decodeBase64url(text: string): Uint8Array | undefined {
    try {
      return base64url.decode(text)
    } catch {
      return undefined
    }
  }

  test('a segment has no problem exactly when src decodes it', () => {
    fc.assert(
      fc.property(segment, (text) => {
        const diagnosis = diagnoseBase64url(text)
        const strict = decodeBase64url(text)
        expect(diagnosis.problems.length === 0).toBe(strict !== undefined)
        if (strict !== undefined) expect(diagnosis.lenient).toEqual(strict)
      }),
    )
  })

  test('canonical encodings of any bytes, including the empty string, have no problem', () => {
    const bytes = fc
      .integer({ min: 0, max: 64 })
      .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
    fc.assert(
      fc.property(bytes, (input) => {
        const diagnosis = diagnoseBase64url(base64url.encode(input))
        expect(diagnosis.problems).toEqual([])
        expect(diagnosis.strict).toEqual(input)
      }),
    )
  })
})

describe('keys: environment or file, never argv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inspect-keys-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test.each([
    ['--key=SeCrEtVaLuE1234'],
    ['--key', 'SeCrEtVaLuE1234'],
    ['--secret=SeCrEtVaLuE1234'],
    ['--signing-key=SeCrEtVaLuE1234'],
    ['-k', 'SeCrEtVaLuE1234'],
  ])('%s on the command line is refused, and the value is not echoed', async (...flags) => {
    const { code, stdout, stderr } = await inspect([...flags, JWS])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('keys are not accepted on the command line')
    expect(stderr).toContain('shell history')
    expect(stderr).toContain('process list')
    expect(stderr).toContain('JOSE_KEY')
    expect(stderr).not.toContain('SeCrEtVaLuE1234')
  })

  test('JOSE_SIGNING_KEY wins over JOSE_KEY for a JWS', async () => {
    const env = { JOSE_KEY: base64url.encode(OTHER_KEY), JOSE_SIGNING_KEY: base64url.encode(KEY) }
    const report = await inspectJson(JWS, { env })
    expect(report.layers[0]?.key).toEqual({
      source: 'JOSE_SIGNING_KEY',
      description: '32 bytes, base64url',
    })
    expect(verdicts(report)[0]).toBe('verifyCompact accepted accepted')
  })

  test('an empty variable counts as unset', async () => {
    const report = await inspectJson(JWS, { env: { JOSE_KEY: '' } })
    expect(report.layers[0]?.key).toBeNull()
    expect(report.layers[0]?.checks).toEqual([])
    expect(report.status).toBe('NOT VERIFIED')
  })

  test('a non-canonical variable is a usage error that says why', async () => {
    const { code, stderr } = await inspect([JWS], {
      env: { JOSE_KEY: `${base64url.encode(KEY)}=` },
    })
    expect(code).toBe(2)
    expect(stderr).toContain("JOSE_KEY is not canonical base64url: it has '=' padding")
  })

  test('--key-file with base64url text and a trailing newline (LF or CRLF)', async () => {
    for (const ending of ['\n', '\r\n', '']) {
      const path = join(dir, `text${ending.length}.key`)
      writeFileSync(path, `${base64url.encode(KEY)}${ending}`)
      const { code, stdout } = await inspect(['--json', `--key-file=${path}`, JWS])
      expect(code).toBe(0)
      const withKey = JSON.parse(stdout) as InspectReport
      expect(withKey.layers[0]?.key).toEqual({
        source: `--key-file ${path}`,
        description: '32 bytes, base64url',
      })
      expect(verdicts(withKey)[0]).toBe('verifyCompact accepted accepted')
    }
  })

  test('--key-file with raw bytes, and --key-file replacing JOSE_KEY', async () => {
    const raw = new Uint8Array(randomBytes(32))
    raw[0] = 0xff // Not printable ASCII, so the file is raw bytes.
    const path = join(dir, 'raw.key')
    writeFileSync(path, raw)
    const token = encryptJwt(CLAIMS, raw, LIFETIME)
    const { code, stdout } = await inspect(['--json', '--key-file', path, token], {
      env: { JOSE_KEY: base64url.encode(OTHER_KEY) },
    })
    expect(code).toBe(0)
    expect(verdicts(JSON.parse(stdout) as InspectReport)).toEqual([
      'decryptCompact accepted accepted',
      'decryptJwt accepted accepted',
    ])
  })

  test('--signing-key-file and --encryption-key-file verify a nested token', async () => {
    const signing = join(dir, 'signing.key')
    const encryption = join(dir, 'encryption.key')
    writeFileSync(signing, base64url.encode(SIGNING_KEY))
    writeFileSync(encryption, Buffer.from(KEY).toString('base64url'))
    const { stdout } = await inspect([
      '--json',
      '--signing-key-file',
      signing,
      `--encryption-key-file=${encryption}`,
      NESTED,
    ])
    expect(verdicts(JSON.parse(stdout) as InspectReport)).toEqual([
      'decryptCompact accepted accepted',
      'verifyCompact accepted accepted',
      'verifyJwt accepted accepted',
      'decryptThenVerify accepted accepted',
    ])
  })

  test('a missing, empty or non-canonical key file is a usage error', async () => {
    const missing = await inspect(['--key-file', join(dir, 'nope.key'), JWS])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('cannot read --key-file')
    expect(missing.stderr).toContain('ENOENT')
    const empty = join(dir, 'empty.key')
    writeFileSync(empty, '\n')
    expect((await inspect(['--key-file', empty, JWS])).stderr).toContain('is empty')
    const padded = join(dir, 'padded.key')
    writeFileSync(padded, `${base64url.encode(KEY)}=\n`)
    const bad = await inspect(['--key-file', padded, JWS])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('is not canonical base64url')
    expect((await inspect(['--key-file'])).stderr).toContain('--key-file needs a value')
  })

  test('parseKeyFile: printable text in the chosen encoding, anything else raw', () => {
    const text = (value: string): Uint8Array => new TextEncoder().encode(value)
    expect(parseKeyFile(text('AQID\n'), 'f', 'base64url')).toEqual({
      bytes: Uint8Array.of(1, 2, 3),
      encoding: 'base64url',
    })
    expect(parseKeyFile(text('010203\r\n'), 'f', 'hex').bytes).toEqual(Uint8Array.of(1, 2, 3))
    expect(parseKeyFile(text('AQID\n'), 'f', 'utf8').bytes).toEqual(text('AQID'))
    expect(parseKeyFile(Uint8Array.of(1, 2, 3), 'f', 'base64url')).toEqual({
      bytes: Uint8Array.of(1, 2, 3),
      encoding: 'raw',
    })
    expect(() => parseKeyFile(text('AQJ'), 'f', 'base64url')).toThrow(
      /^f is not canonical base64url: it sets unused low bits in its last character, .*--key-encoding utf8/,
    )
    expect(() => parseKeyFile(text('0102x'), 'f', 'hex')).toThrow(/^f is not hex: /)
  })
})

describe('input, usage and errors', () => {
  test('the token from stdin, with or without "-", its trailing newline ignored', async () => {
    for (const argv of [['--json'], ['--json', '-']]) {
      const { code, stdout } = await inspect(argv, { stdin: `${JWS}\n`, env: KEY_ENV })
      expect(code).toBe(0)
      const report = JSON.parse(stdout) as InspectReport
      expect(report.token.length).toBe(JWS.length)
      expect(verdicts(report)[0]).toBe('verifyCompact accepted accepted')
    }
  })

  test('empty stdin, a terminal with no token, or an oversized stdin is a usage error', async () => {
    const empty = await inspect([], { stdin: '' })
    expect(empty).toMatchObject({ code: 2, stdout: '' })
    expect(empty.stderr).toContain('no token: stdin was empty')
    const terminal = await inspect([], { stdinIsTTY: true })
    expect(terminal.code).toBe(2)
    expect(terminal.stderr).toContain('no token given')
    const huge = await inspect(['-'], { stdin: 'a'.repeat(1024 * 1024 + 1) })
    expect(huge.code).toBe(2)
    expect(huge.stderr).toContain('more than 1048576 bytes')
  })

  test('a string of many dots: the first 8 segments examined, and a note saying so', async () => {
    const report = await inspectJson('.'.repeat(100_000))
    expect(report.token.segments).toHaveLength(8)
    expect(report.token.notes.map((n) => n.message)).toContain(
      'only the first 8 of 100001 segments are examined',
    )
    expect(rules(report)).toContain('token token.segments')
  })

  test('--issuer and --audience are passed to every claims check of both', async () => {
    const token = signJwt(CLAIMS, KEY, {
      ...LIFETIME,
      issuer: 'https://auth.example',
      audience: 'api',
    })
    const right = await inspect(
      ['--json', '--issuer', 'https://auth.example', '--audience=api', token],
      {
        env: KEY_ENV,
      },
    )
    expect(verdicts(JSON.parse(right.stdout) as InspectReport)).toEqual([
      'verifyCompact accepted accepted',
      'verifyJwt accepted accepted',
    ])
    const wrong = await inspect(['--json', '--audience', 'billing', '--audience', 'admin', token], {
      env: KEY_ENV,
    })
    expect(wrong.code).toBe(1)
    expect(verdicts(JSON.parse(wrong.stdout) as InspectReport)).toEqual([
      'verifyCompact accepted accepted',
      'verifyJwt ERR_JWT_CLAIM_VALIDATION_FAILED ERR_JWT_CLAIM_VALIDATION_FAILED',
    ])
    const nested = await inspect(['--json', '--issuer', 'someone-else', NESTED], {
      env: BOTH_KEYS,
    })
    expect(verdicts(JSON.parse(nested.stdout) as InspectReport)).toEqual([
      'decryptCompact accepted accepted',
      'verifyCompact accepted accepted',
      'verifyJwt ERR_JWT_CLAIM_VALIDATION_FAILED ERR_JWT_CLAIM_VALIDATION_FAILED',
      'decryptThenVerify ERR_JWT_CLAIM_VALIDATION_FAILED ERR_JWT_CLAIM_VALIDATION_FAILED',
    ])
    expect(JSON.parse(right.stdout).layers[0].summary).toBe(
      'signature checked by src and jose (safe options); claims checked: exp, iss, aud',
    )
  })

  test('unknown options, bad values and two tokens are usage errors: one line, then the usage', async () => {
    const unknown = await inspect(['--verbose', JWS])
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toBe(`inspect: unknown option --verbose\n\n${USAGE}\n`)
    expect((await inspect([JWS, JWE])).stderr).toMatch(/^inspect: one token at a time, please\n/)
    expect((await inspect(['--key-encoding', 'base64', JWS])).stderr).toMatch(
      /^inspect: --key-encoding must be one of base64url, hex, utf8\n/,
    )
    expect((await inspect(['--key-file=', JWS])).stderr).toMatch(
      /^inspect: --key-file needs a value\n/,
    )
  })

  test('--help documents offline use, keys, file format, JSON and exit codes', async () => {
    const { code, stdout } = await inspect(['--help'])
    expect(code).toBe(0)
    expect(stdout).toBe(HELP)
    for (const phrase of [
      'the token never leaves this machine',
      'JOSE_KEY',
      'JOSE_SIGNING_KEY',
      'JOSE_ENCRYPTION_KEY',
      '--key-file PATH',
      'NEVER read from the command line',
      'printable ASCII',
      '--key-encoding',
      '--public-key-file PATH, JOSE_PUBLIC_KEY',
      '--private-key-file PATH, JOSE_PRIVATE_KEY',
      'jose-by-hand/inspect@2',
      '0   VERIFIED',
      '1   REJECTED, or violations found',
      '2   usage error',
      '3   NOT VERIFIED',
      '70  internal error',
    ]) {
      expect(stdout).toContain(phrase)
    }
  })

  test.each([
    ['garbage', 'garbage'],
    ['dots only', '....'],
    ['control characters', '\u0000\u0001.\u00ff.\uffff'],
    ['a lone surrogate', '\ud800.e30.e30'],
    ['JSON', '{"alg":"HS256"}'],
  ])('%s: a clear report and exit 1, never a stack trace', async (_name, input) => {
    const { code, stdout, stderr } = await inspect([input], { env: KEY_ENV })
    expect(code).toBe(1)
    expect(stderr).toBe('')
    expect(stdout).toContain('Strictness')
    expect(stdout).toMatch(/✗ \d+ violations?/)
    expect(stdout).not.toMatch(/\n\s+at /)
  })

  test('an unexpected failure is a short report, exit 70, no stack trace', async () => {
    const io = createMemoryIO()
    const broken: Program = {
      ...INSPECT,
      run: async () => {
        throw new RangeError('boom')
      },
    }
    const code = await runProgram(broken, [], {}, io)
    expect(code).toBe(70)
    const lines = io.stderr().split('\n')
    expect(lines[0]).toBe('inspect: internal error (a bug in inspect, not a mistake of yours)')
    expect(lines[1]).toBe('  RangeError: boom')
    expect(lines[2]).toMatch(/^ {2}at .*inspect\.test\.ts/)
    expect(lines[3]).toBe(`  node ${process.version}. Please report it with the command you ran.`)
    expect(lines).toHaveLength(5)
  })
})

describe('colour', () => {
  const esc = '\u001b['

  test('FORCE_COLOR colours a JWS as jwt.io does: header red, payload purple, signature cyan', async () => {
    const [header, payload, signature] = JWS.split('.')
    const { stdout } = await inspect([JWS], { env: { FORCE_COLOR: '1' } })
    expect(stdout).toContain(`${esc}31m${header}${esc}39m`)
    expect(stdout).toContain(`${esc}35m${payload}${esc}39m`)
    expect(stdout).toContain(`${esc}36m${signature}${esc}39m`)
  })

  test('a JWE gets five distinct colours and a legend', async () => {
    const { stdout } = await inspect([JWE], { stdoutIsTTY: true })
    const legend = stdout.split('\n').find((line) => line.includes('legend:')) as string
    for (const [code, name] of [
      [31, 'header'],
      [33, 'encrypted key'],
      [32, 'initialization vector'],
      [35, 'ciphertext'],
      [36, 'authentication tag'],
    ] as const) {
      expect(legend).toContain(`${esc}${code}m${name}${esc}39m`)
    }
  })

  test('NO_COLOR wins over FORCE_COLOR and a terminal; FORCE_COLOR=0 turns it off', async () => {
    for (const env of [
      { NO_COLOR: '1', FORCE_COLOR: '1' },
      { FORCE_COLOR: '0' },
      { TERM: 'dumb' },
    ]) {
      const { stdout } = await inspect([JWS], { env, stdoutIsTTY: true })
      expect(stdout).not.toContain(esc)
    }
    // NO_COLOR set but empty does not count.
    const { stdout } = await inspect([JWS], { env: { NO_COLOR: '' }, stdoutIsTTY: true })
    expect(stdout).toContain(esc)
  })
})

/** The environment without FORCE_COLOR (a test runner may set it; Node warns when both are set). */
function withoutForceColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env }
  delete copy.FORCE_COLOR
  return copy
}

describe('the real process', () => {
  function spawnInspect(argv: string[], input: string): ReturnType<typeof spawnSync> {
    return spawnSync(
      process.execPath,
      ['--import', 'tsx', 'test/programs/inspect/inspect.ts', ...argv],
      {
        cwd: ROOT,
        input,
        encoding: 'utf8',
        env: withoutForceColor({ ...process.env, NO_COLOR: '1', JOSE_KEY: base64url.encode(KEY) }),
        timeout: 30_000,
      },
    )
  }

  test('a token piped on stdin, --json, JOSE_KEY from the environment', () => {
    const child = spawnInspect(['--json'], `${JWS}\n`)
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    const report = JSON.parse(child.stdout as string) as InspectReport
    expect(verdicts(report)).toEqual([
      'verifyCompact accepted accepted',
      'verifyJwt accepted accepted',
    ])
  })

  test('garbage and a key on argv: non-zero exits, messages, no stack trace', () => {
    const garbage = spawnInspect(['not-a-token'], '')
    expect(garbage.status).toBe(1)
    expect(garbage.stdout).toContain('token.segments')
    expect(garbage.stderr).not.toContain('    at ')
    const keyOnArgv = spawnInspect(['--key=abc', 'x.y.z'], '')
    expect(keyOnArgv.status).toBe(2)
    expect(keyOnArgv.stderr).toContain('keys are not accepted on the command line')
    expect(keyOnArgv.stderr).not.toContain('    at ')
  })
})
