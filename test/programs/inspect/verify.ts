/**
 * Verifying or decrypting one layer of a token, with every party that can, so that
 * their verdicts can be shown side by side and the layer given an honest status:
 *
 *   verified      a signature or tag was checked and accepted, and the claims with it
 *   not verified  nothing was checked: no key for this layer, or none that fits
 *   rejected      a party checked it and refused it
 *
 * The parties: src (by hand), jose (safe options) and, only when both of those refuse
 * the key itself (a text secret shorter than HS256 allows), jose (defaults), as the
 * blog post calls it. For algorithms src does not implement (RS256, RSA-OAEP-256, …)
 * src answers "not implemented here" and jose verifies with the key the user gave,
 * its algorithms pinned by that key's type, never by the token (RFC 8725 §3.1).
 */

import {
  compactDecrypt,
  compactVerify,
  type JWTVerifyOptions,
  jwtDecrypt,
  jwtVerify,
  type KeyObject,
} from 'jose'
import * as manual from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import { count } from '../kit/index.ts'
import {
  ALL_ENC,
  CBC_HMAC_KEY_BYTES,
  GCM_KEY_BYTES,
  isGcm,
  isHmac,
  isJoseOnlyEnc,
  isJoseOnlyJweAlg,
  isPublicKeyJws,
  KEY_WRAP_BYTES,
  PRIVATE_KEY_JWE,
} from './algorithms.ts'
import { algorithmsForKey, type KeyRing, type PairKey, type SecretKey } from './keys.ts'
import type { TokenReport } from './token-lint.ts'
import { NOT_IMPLEMENTED, settle, type Verdict } from './verdict.ts'

export const SRC = 'src'
export const SAFE = 'jose (safe options)'
export const DEFAULTS = 'jose (defaults)'

/** What a check establishes: the MAC or signature, the tag (and the plaintext), the claims. */
export type CheckKind = 'signature' | 'decryption' | 'claims'

export interface Check {
  /** The function the parties ran: verifyCompact, verifyJwt, compactDecrypt, … */
  readonly operation: string
  readonly kind: CheckKind
  readonly src: Verdict
  /** jose (safe options). */
  readonly jose: Verdict
  /** jose (defaults); null unless src and jose (safe options) both refused the key. */
  readonly joseDefaults: Verdict | null
}

export type LayerStatus = 'verified' | 'not-verified' | 'rejected'

export interface KeyInfo {
  readonly source: string
  /** "32 bytes, base64url", "RSA 2048-bit public key (PEM)". Never the key. */
  readonly description: string
}

export interface LayerReport {
  /** "JWS", "JWE", "outer JWE", "inner JWS", "inner JWS in claim "token"". */
  readonly name: string
  /** "HS256", "dir + A256GCM". */
  readonly algorithm: string
  readonly key: KeyInfo | null
  readonly status: LayerStatus
  /** One line: what was checked and by whom, or why nothing was. */
  readonly summary: string
  readonly checks: Check[]
}

/** Claim expectations the user may pass (--issuer, --audience); empty by default. */
export interface ClaimExpectations {
  readonly issuer?: string | undefined
  readonly audience?: string[] | undefined
}

interface ClaimOptions {
  issuer?: string
  audience?: string[]
  currentDate: Date
}

/** The user's expectations, and the inspection's clock, so lint and verifiers agree on "now". */
function claimOptions(expect: ClaimExpectations, now: Date): ClaimOptions {
  const options: ClaimOptions = { currentDate: now }
  if (expect.issuer !== undefined) options.issuer = expect.issuer
  if (expect.audience !== undefined) options.audience = expect.audience
  return options
}

function secretInfo(key: SecretKey): KeyInfo {
  const how = key.encoding === 'raw' ? 'raw bytes' : key.encoding
  return { source: key.source, description: `${count(key.bytes.length, 'byte')}, ${how}` }
}

function pairInfo(key: PairKey): KeyInfo {
  return { source: key.source, description: key.description }
}

const SIGNING_KEY_HINT =
  'set JOSE_SIGNING_KEY or JOSE_KEY, or pass --signing-key-file PATH or --key-file PATH'
const ENCRYPTION_KEY_HINT =
  'set JOSE_ENCRYPTION_KEY or JOSE_KEY, or pass --encryption-key-file PATH or --key-file PATH'

// ─── One layer's verdict ─────────────────────────────────────────────────────────

function verdictsOf(check: Check): Verdict[] {
  return check.joseDefaults === null
    ? [check.src, check.jose]
    : [check.src, check.jose, check.joseDefaults]
}

function statusOf(checks: readonly Check[]): LayerStatus {
  let accepted = false
  for (const check of checks) {
    for (const verdict of verdictsOf(check)) {
      if (verdict.outcome === 'rejected') return 'rejected'
      if (verdict.outcome === 'accepted') accepted = true
    }
  }
  return accepted ? 'verified' : 'not-verified'
}

/** "src and jose (safe options)": the parties that accepted `check`. */
function acceptedBy(check: Check): string {
  const names: string[] = []
  if (check.src.outcome === 'accepted') names.push(SRC)
  if (check.jose.outcome === 'accepted') names.push(SAFE)
  if (check.joseDefaults?.outcome === 'accepted') names.push(DEFAULTS)
  return names.join(' and ')
}

/** Which claims the claims check looked at, and which it could not because nobody asked. */
function claimsPhrase(claims: Record<string, unknown> | null, expect: ClaimExpectations): string {
  const checked: string[] = []
  for (const claim of ['exp', 'nbf']) {
    if (claims !== null && Object.hasOwn(claims, claim)) checked.push(claim)
  }
  if (expect.issuer !== undefined) checked.push('iss')
  if (expect.audience !== undefined) checked.push('aud')
  const notAsked: string[] = []
  if (expect.issuer === undefined) notAsked.push('iss (--issuer)')
  if (expect.audience === undefined) notAsked.push('aud (--audience)')
  const done = checked.length === 0 ? 'no claims to check' : `claims checked: ${checked.join(', ')}`
  const open = notAsked.length === 0 ? '' : `; not asked for: ${notAsked.join(', ')}`
  return `${done}${open}`
}

function describeRejection(check: Check): string {
  const parts: string[] = []
  const named: [string, Verdict | null][] = [
    [SRC, check.src],
    [SAFE, check.jose],
    [DEFAULTS, check.joseDefaults],
  ]
  for (const [who, verdict] of named) {
    if (verdict?.outcome === 'rejected') parts.push(`${who} rejected ${verdict.code}`)
    if (verdict?.outcome === 'accepted') parts.push(`${who} accepted`)
  }
  return `${check.operation}: ${parts.join(', ')}`
}

/** What a JWE holds: a claims set, or a nested JWT (cty "JWT"), the next layer. */
export type JweContent = 'claims' | 'nested JWT'

/**
 * The layer's status and summary from its checks; `claims` is the claims set they
 * judged. A nested JWT's claims belong to the inner layer.
 */
function finishLayer(
  name: string,
  algorithm: string,
  key: KeyInfo | null,
  checks: Check[],
  claims: Record<string, unknown> | null,
  expect: ClaimExpectations,
  content: JweContent = 'claims',
): LayerReport {
  const status = statusOf(checks)
  let summary: string
  if (status === 'rejected') {
    const rejected = checks.find((check) => statusOf([check]) === 'rejected') as Check
    summary = describeRejection(rejected)
  } else if (status === 'not-verified') {
    const first = checks[0]
    const reason = first === undefined ? 'no check could run' : firstError(first)
    summary = `the key could not be used: ${reason}`
  } else {
    const proof = checks[0] as Check
    const what = proof.kind === 'decryption' ? 'tag checked and decrypted' : 'signature checked'
    const claimsCheck = checks.find((check) => check.kind === 'claims')
    let tail = claimsPhrase(claims, expect)
    if (content === 'nested JWT') tail = 'its content, a signed JWT, is the next layer'
    else if (claimsCheck === undefined) {
      const part = proof.kind === 'decryption' ? 'plaintext' : 'payload'
      tail = `the ${part} is not a claims set, so only its bytes are proven`
    }
    // Only jose (defaults) accepted: the other two refused to use the key at all.
    const only = proof.joseDefaults === null ? '' : ` only (${SRC} and ${SAFE} refuse this key)`
    summary = `${what} by ${acceptedBy(proof)}${only}; ${tail}`
  }
  return { name, algorithm, key, status, summary, checks }
}

function firstError(check: Check): string {
  for (const verdict of verdictsOf(check)) {
    if (verdict.outcome === 'error') return verdict.message
  }
  return 'no party could judge it'
}

function notVerified(name: string, algorithm: string, reason: string): LayerReport {
  return { name, algorithm, key: null, status: 'not-verified', summary: reason, checks: [] }
}

// ─── JWS ─────────────────────────────────────────────────────────────────────────

/** The public key for a token whose header names `kid`, out of those given. */
function choosePublicKey(
  keys: readonly PairKey[],
  kid: unknown,
): { key: PairKey } | { reason: string } {
  if (keys.length === 0) {
    return {
      reason:
        "no public key: pass --public-key-file PATH or set JOSE_PUBLIC_KEY (the issuer's key, PEM or JWK)",
    }
  }
  if (typeof kid === 'string') {
    const match = keys.find((key) => key.kid === kid)
    if (match !== undefined) return { key: match }
    if (keys.length > 1) return { reason: `no key given has "kid": ${JSON.stringify(kid)}` }
  }
  if (keys.length > 1) {
    return { reason: `${keys.length} public keys given and the token names no "kid"` }
  }
  return { key: keys[0] as PairKey }
}

/** Verifies a JWS: with src and jose for HMAC, with jose alone for public-key algorithms. */
export async function verifyJws(
  token: string,
  analysis: TokenReport,
  keys: KeyRing,
  expect: ClaimExpectations,
  now: Date,
  name: string,
): Promise<LayerReport> {
  const alg = analysis.header?.alg
  const algorithm = typeof alg === 'string' ? alg : 'no alg'
  const claims = analysis.payload?.claims ?? null
  if (isPublicKeyJws(alg)) {
    const chosen = choosePublicKey(keys.publicKeys, analysis.header?.kid)
    if ('reason' in chosen) {
      const shared = keys.signing === undefined ? '' : `; an HMAC key cannot verify ${algorithm}`
      return notVerified(name, algorithm, `${chosen.reason}${shared}`)
    }
    const checks = await joseJwsChecks(token, chosen.key, claims, claimOptions(expect, now))
    return finishLayer(name, algorithm, pairInfo(chosen.key), checks, claims, expect)
  }
  const key = keys.signing
  if (key === undefined) {
    const pair = keys.publicKeys.length === 0 ? '' : `; a public key cannot verify ${algorithm}`
    return notVerified(name, algorithm, `no signing key: ${SIGNING_KEY_HINT}${pair}`)
  }
  const checks = await hmacChecks(token, key.bytes, claims, claimOptions(expect, now))
  return finishLayer(name, algorithm, secretInfo(key), checks, claims, expect)
}

/**
 * src and jose (safe options) on an HMAC JWS, and jose (defaults) when both refuse the
 * key; then the claims, when the payload is a claims set (`claims` is not null).
 */
async function hmacChecks(
  token: string,
  key: Uint8Array,
  claims: Record<string, unknown> | null,
  options: ClaimOptions,
): Promise<Check[]> {
  const src = await settle(() => manual.verifyCompact(token, key))
  const jose = await settle(() => reference.verifyCompact(token, key))
  // Both refuse to use the key (too short for HS256): the blog post's jose, which does
  // not check key sizes, is then the only one that can say whether the MAC matches.
  const keyRefused = src.verdict.outcome === 'error' && jose.verdict.outcome === 'error'
  const defaults = keyRefused ? (await settle(() => compactVerify(token, key))).verdict : null
  const checks: Check[] = [
    {
      operation: 'verifyCompact',
      kind: 'signature',
      src: src.verdict,
      jose: jose.verdict,
      joseDefaults: defaults,
    },
  ]
  if (claims === null) return checks
  const srcJwt = await settle(() => manual.verifyJwt(token, key, options))
  const joseJwt = await settle(() => reference.verifyJwt(token, key, options))
  const defaultsJwt = keyRefused
    ? (await settle(() => jwtVerify(token, key, options))).verdict
    : null
  checks.push({
    operation: 'verifyJwt',
    kind: 'claims',
    src: srcJwt.verdict,
    jose: joseJwt.verdict,
    joseDefaults: defaultsJwt,
  })
  return checks
}

/** jose alone, with the algorithms the key allows. */
async function joseJwsChecks(
  token: string,
  key: PairKey,
  claims: Record<string, unknown> | null,
  options: ClaimOptions,
): Promise<Check[]> {
  const algorithms = algorithmsForKey(key, 'sign')
  const signature = await settle(() => compactVerify(token, key.key, { algorithms }))
  const checks: Check[] = [
    {
      operation: 'compactVerify',
      kind: 'signature',
      src: NOT_IMPLEMENTED,
      jose: signature.verdict,
      joseDefaults: null,
    },
  ]
  if (claims === null) return checks
  const jwtOptions: JWTVerifyOptions = { algorithms, ...options }
  const jwt = await settle(() => jwtVerify(token, key.key, jwtOptions))
  checks.push({
    operation: 'jwtVerify',
    kind: 'claims',
    src: NOT_IMPLEMENTED,
    jose: jwt.verdict,
    joseDefaults: null,
  })
  return checks
}

// ─── JWE ─────────────────────────────────────────────────────────────────────────

export interface Decryption {
  readonly plaintext: Uint8Array
  /** Whose plaintext this is: src's when it accepted, else jose's. */
  readonly from: 'src' | 'jose'
}

export interface JweOutcome {
  readonly layer: LayerReport
  readonly decryption: Decryption | undefined
}

function startsLikeJsonObject(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes).trimStart().startsWith('{')
}

/**
 * Decrypts a JWE: with src and jose for dir + AES-GCM, with jose alone for the rest.
 * The claims are checked too, unless the content is a nested JWT (cty "JWT"), whose
 * claims belong to the inner JWS.
 */
export async function decryptJwe(
  token: string,
  analysis: TokenReport,
  keys: KeyRing,
  expect: ClaimExpectations,
  now: Date,
  name: string,
): Promise<JweOutcome> {
  const { alg, enc } = analysis.header ?? {}
  const algorithm = `${typeof alg === 'string' ? alg : 'no alg'} + ${typeof enc === 'string' ? enc : 'no enc'}`
  const options = claimOptions(expect, now)
  const joseOnly = isJoseOnlyJweAlg(alg) || isJoseOnlyEnc(enc)
  const usesPrivateKey = typeof alg === 'string' && PRIVATE_KEY_JWE.includes(alg)
  let key: KeyObject | Uint8Array
  let info: KeyInfo
  let management: string[]
  let contents: string[]
  if (usesPrivateKey) {
    const privateKey = keys.privateKey
    if (privateKey === undefined) {
      const reason = `no private key: pass --private-key-file PATH or set JOSE_PRIVATE_KEY (the recipient's key, PEM or JWK)`
      return { layer: notVerified(name, algorithm, reason), decryption: undefined }
    }
    key = privateKey.key
    info = pairInfo(privateKey)
    management = algorithmsForKey(privateKey, 'encrypt')
    contents = ALL_ENC
  } else {
    const secret = keys.encryption
    if (secret === undefined) {
      const reason = `no encryption key: ${ENCRYPTION_KEY_HINT}`
      return { layer: notVerified(name, algorithm, reason), decryption: undefined }
    }
    key = secret.bytes
    info = secretInfo(secret)
    // The key's size picks the algorithms (RFC 7518 §4.4, §5.2, §5.3), not the header.
    management = ['dir', ...sized(KEY_WRAP_BYTES, secret.bytes.length)]
    contents =
      alg === 'dir'
        ? sized({ ...GCM_KEY_BYTES, ...CBC_HMAC_KEY_BYTES }, secret.bytes.length)
        : ALL_ENC
  }
  const content: JweContent = analysis.nested ? 'nested JWT' : 'claims'
  if (!joseOnly && key instanceof Uint8Array) {
    return bothImplementationsDecrypt(token, key, info, name, algorithm, content, options, expect)
  }
  const decrypted = await settle(() =>
    compactDecrypt(token, key, {
      keyManagementAlgorithms: management,
      contentEncryptionAlgorithms: contents,
    }),
  )
  const checks: Check[] = [
    {
      operation: 'compactDecrypt',
      kind: 'decryption',
      src: NOT_IMPLEMENTED,
      jose: decrypted.verdict,
      joseDefaults: null,
    },
  ]
  const plaintext = decrypted.value?.plaintext
  let claims: Record<string, unknown> | null = null
  if (plaintext !== undefined && content === 'claims' && startsLikeJsonObject(plaintext)) {
    const jwt = await settle(() =>
      jwtDecrypt(token, key, {
        keyManagementAlgorithms: management,
        contentEncryptionAlgorithms: contents,
        ...options,
      }),
    )
    checks.push({
      operation: 'jwtDecrypt',
      kind: 'claims',
      src: NOT_IMPLEMENTED,
      jose: jwt.verdict,
      joseDefaults: null,
    })
    claims = (jwt.value?.payload as Record<string, unknown> | undefined) ?? null
  }
  const layer = finishLayer(name, algorithm, info, checks, claims, expect, content)
  return {
    layer,
    decryption: plaintext === undefined ? undefined : { plaintext, from: 'jose' },
  }
}

/** The names in `table` whose key size is `bytes`. */
function sized(table: Readonly<Record<string, number>>, bytes: number): string[] {
  const names: string[] = []
  for (const [name, size] of Object.entries(table)) if (size === bytes) names.push(name)
  return names
}

async function bothImplementationsDecrypt(
  token: string,
  key: Uint8Array,
  info: KeyInfo,
  name: string,
  algorithm: string,
  content: JweContent,
  options: ClaimOptions,
  expect: ClaimExpectations,
): Promise<JweOutcome> {
  const src = await settle(() => manual.decryptCompact(token, key))
  const jose = await settle(() => reference.decryptCompact(token, key))
  const checks: Check[] = [
    {
      operation: 'decryptCompact',
      kind: 'decryption',
      src: src.verdict,
      jose: jose.verdict,
      joseDefaults: null,
    },
  ]
  let decryption: Decryption | undefined
  if (src.value !== undefined) decryption = { plaintext: src.value.plaintext, from: 'src' }
  else if (jose.value !== undefined) decryption = { plaintext: jose.value.plaintext, from: 'jose' }
  let claims: Record<string, unknown> | null = null
  if (
    decryption !== undefined &&
    content === 'claims' &&
    startsLikeJsonObject(decryption.plaintext)
  ) {
    const srcJwt = await settle(() => manual.decryptJwt(token, key, options))
    const joseJwt = await settle(() => reference.decryptJwt(token, key, options))
    checks.push({
      operation: 'decryptJwt',
      kind: 'claims',
      src: srcJwt.verdict,
      jose: joseJwt.verdict,
      joseDefaults: null,
    })
    claims = (srcJwt.value?.payload ?? joseJwt.value?.payload ?? null) as Record<
      string,
      unknown
    > | null
  }
  const layer = finishLayer(name, algorithm, info, checks, claims, expect, content)
  return { layer, decryption }
}

// ─── Both layers at once ─────────────────────────────────────────────────────────

/**
 * decryptThenVerify, when src implements both layers and both keys are there: the one
 * call an application makes, which also checks that the layers agree (RFC 7519 §5.3).
 * Added to the inner layer's checks, whose status it then shares.
 */
export async function nestedCheck(
  token: string,
  outer: TokenReport,
  inner: TokenReport,
  keys: KeyRing,
  expect: ClaimExpectations,
  now: Date,
): Promise<Check | undefined> {
  const { signing, encryption } = keys
  if (signing === undefined || encryption === undefined) return undefined
  if (outer.header?.alg !== 'dir' || !isGcm(outer.header?.enc) || !isHmac(inner.header?.alg)) {
    return undefined
  }
  const both = { signingKey: signing.bytes, encryptionKey: encryption.bytes }
  const options = claimOptions(expect, now)
  const src = await settle(() => manual.decryptThenVerify(token, both, options))
  const jose = await settle(() => reference.decryptThenVerify(token, both, options))
  return {
    operation: 'decryptThenVerify',
    kind: 'claims',
    src: src.verdict,
    jose: jose.verdict,
    joseDefaults: null,
  }
}

/** `layer` with `check` added, its status and summary worked out again. */
export function withCheck(
  layer: LayerReport,
  check: Check,
  claims: Record<string, unknown> | null,
  expect: ClaimExpectations,
): LayerReport {
  return finishLayer(
    layer.name,
    layer.algorithm,
    layer.key,
    [...layer.checks, check],
    claims,
    expect,
  )
}

/** A layer that cannot be looked at, because the one around it was not decrypted. */
export function unreachable(name: string, reason: string): LayerReport {
  return notVerified(name, 'unknown', reason)
}
