/**
 * The common mistakes of each step, written as small mutants of the src/ regions, and
 * what the step's properties say about each one: the facilitator's table in
 * docs/workshop.md is generated from this file, with real, measured counterexamples.
 *
 *   npx tsx test/workshop/mistakes.ts            print the measurements as Markdown
 *   npx tsx test/workshop/mistakes.ts --write    also replace the table in docs/workshop.md
 *
 * Each mutant replaces one exact snippet of a region; if src/ changes so that the
 * snippet is gone, the script says so instead of measuring something else. Seeds are
 * fixed, so the same src/ gives the same counterexamples.
 */

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configureWorkshopRuns } from './config.ts'
import { REFERENCE_SRC, REPO_ROOT } from './paths.ts'
import { regionText, replaceRegion } from './regions.ts'
import { compactReport } from './report.ts'
import { runStepOn, type StepRun } from './runner.ts'
import { findStep, type Step, type StepId, stepOfTodo } from './steps.ts'

export interface Mistake {
  readonly step: StepId
  /** What a participant does, in a few words. */
  readonly mistake: string
  readonly file: string
  readonly region: string
  /** An exact snippet of the region, and what the mistake writes instead. */
  readonly find: string
  readonly replace: string
  /** The property of the step that catches it first (with MISTAKES_SEED, in step order). */
  readonly caughtBy: string
}

export const MISTAKES: readonly Mistake[] = [
  // Step 1: base64url ----------------------------------------------------------------------
  {
    step: '1',
    mistake: 'encoding with base64 instead of base64url',
    file: 'base64url.ts',
    region: 'base64url-encode',
    find: ".toString('base64url')",
    replace: ".toString('base64')",
    caughtBy: 'base64url/encode-matches-jose',
  },
  {
    step: '1',
    mistake: 'decoding with Buffer alone (no canonical checks)',
    file: 'base64url.ts',
    region: 'base64url-decode',
    find: '  const length = input.length\n',
    replace:
      "  return new Uint8Array(Buffer.from(input, 'base64url'))\n  const length = input.length\n",
    caughtBy: 'base64url/decode-is-canonical',
  },
  {
    step: '1',
    mistake: 'forgetting the spare-bit check',
    file: 'base64url.ts',
    region: 'base64url-decode',
    find: 'if (value < 0 || (value & unusedBits) !== 0) return undefined',
    replace: 'if (value < 0) return undefined',
    caughtBy: 'base64url/decode-is-canonical',
  },
  {
    step: '1',
    mistake: 'not counting the bytes Buffer wrote (padding and junk slip through)',
    file: 'base64url.ts',
    region: 'base64url-decode',
    find: '  if (decoded.length !== byteLength) return undefined\n',
    replace: '',
    caughtBy: 'base64url/decode-is-canonical',
  },
  {
    step: '1',
    mistake: "accepting '+' and '/' (the base64 alphabet)",
    file: 'base64url.ts',
    region: 'base64url-decode',
    find: "  if (input.includes('+') || input.includes('/')) return undefined\n",
    replace: '',
    caughtBy: 'base64url/decode-is-canonical',
  },
  // Step 2: signing ------------------------------------------------------------------------
  {
    step: '2',
    mistake: 'always hashing with SHA-256, whatever the alg',
    file: 'hmac.ts',
    region: 'hmac-sign',
    find: 'createHmac(algorithm.hash, key)',
    replace: "createHmac('sha256', key)",
    caughtBy: 'hmac/matches-node-crypto',
  },
  {
    step: '2',
    mistake: 'rebuilding the header with alg first instead of serialising it as given',
    file: 'jws.ts',
    region: 'sign-compact',
    find: "serializeProtectedHeader(header, JWSInvalid, 'JWS Protected Header')",
    replace:
      "serializeProtectedHeader({ alg: header.alg, ...header }, JWSInvalid, 'JWS Protected Header')",
    caughtBy: 'jws/sign-matches-jose',
  },
  {
    step: '2',
    mistake: 'MACing the header JSON instead of its base64url segment',
    file: 'jws.ts',
    region: 'sign-compact',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant, not a template
    find: 'const signingInput = `${serialized.segment}.${encodedPayload}`',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant, not a template
    replace: 'const signingInput = `${JSON.stringify(header)}.${encodedPayload}`',
    caughtBy: 'jws/sign-matches-jose',
  },
  {
    step: '2',
    mistake: "serialising the header by hand and skipping the recipient's checks",
    file: 'jws.ts',
    region: 'sign-compact',
    find: "  const serialized = serializeProtectedHeader(header, JWSInvalid, 'JWS Protected Header')\n  checkCrit(serialized.header, JWSInvalid)\n  checkNoBareB64(serialized.header)\n  const algorithm = signingAlgorithm(serialized.header)\n",
    replace:
      '  const serialized = { segment: encodeBase64url(JSON.stringify(header)) }\n  const algorithm = signingAlgorithm(header)\n',
    caughtBy: 'sign/refuses-headers-a-recipient-refuses',
  },
  // Step 3: verifying ----------------------------------------------------------------------
  {
    step: '3',
    mistake: 'comparing MACs with === (as strings)',
    file: 'hmac.ts',
    region: 'mac-compare',
    find: '  return timingSafeEqual(expected, received)\n',
    replace:
      "  return Buffer.from(expected).toString('hex') === Buffer.from(received).toString('hex')\n",
    caughtBy: 'verify/uses-timing-safe-equal',
  },
  {
    step: '3',
    mistake: 'comparing only as many bytes as were received',
    file: 'hmac.ts',
    region: 'mac-compare',
    find: '  if (received.length !== expected.length) return false\n  return timingSafeEqual(expected, received)\n',
    replace:
      '  let difference = 0\n  for (let i = 0; i < received.length; i++) difference |= (received[i] ?? 0) ^ (expected[i] ?? 0)\n  return difference === 0\n',
    caughtBy: 'mac-compare/is-byte-equality',
  },
  {
    step: '3',
    mistake: 'calling timingSafeEqual without checking the lengths first',
    file: 'hmac.ts',
    region: 'mac-compare',
    find: '  if (received.length !== expected.length) return false\n',
    replace: '',
    caughtBy: 'mac-compare/is-byte-equality',
  },
  {
    step: '3',
    mistake: 'a hand-written constant-time loop instead of crypto.timingSafeEqual',
    file: 'hmac.ts',
    region: 'mac-compare',
    find: '  return timingSafeEqual(expected, received)\n',
    replace:
      '  let difference = 0\n  for (let i = 0; i < expected.length; i++) difference |= (expected[i] ?? 0) ^ (received[i] ?? 0)\n  return difference === 0\n',
    caughtBy: 'verify/uses-timing-safe-equal',
  },
  {
    step: '3',
    mistake: "trusting the token's alg (no allowlist)",
    file: 'jws.ts',
    region: 'verify-compact',
    find: '  if (!algorithms.includes(alg))\n    throw new JOSEAlgNotAllowed(\'"alg" (Algorithm) Header Parameter value not allowed\')\n',
    replace: '',
    caughtBy: 'verify/allowlist-decides-the-algorithm',
  },
  {
    step: '3',
    mistake: 'MACing the re-serialised header instead of the received segment',
    file: 'jws.ts',
    region: 'verify-compact',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant, not a template
    find: 'const signingInput = `${encodedHeader}.${encodedPayload}`',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant, not a template
    replace: 'const signingInput = `${encodeBase64url(JSON.stringify(header))}.${encodedPayload}`',
    caughtBy: 'verify/macs-the-received-header',
  },
  // Step 4: claims -------------------------------------------------------------------------
  {
    step: '4',
    mistake: 'exp < now instead of exp <= now',
    file: 'claims.ts',
    region: 'validate-claims',
    find: 'payload.exp <= now - tolerance',
    replace: 'payload.exp < now - tolerance',
    caughtBy: 'claims/clock-boundaries-agree',
  },
  {
    step: '4',
    mistake: 'nbf >= now instead of nbf > now',
    file: 'claims.ts',
    region: 'validate-claims',
    find: 'payload.nbf > now + tolerance',
    replace: 'payload.nbf >= now + tolerance',
    caughtBy: 'claims/clock-boundaries-agree',
  },
  {
    step: '4',
    mistake: 'adding the clock tolerance to exp the wrong way',
    file: 'claims.ts',
    region: 'validate-claims',
    find: 'payload.exp <= now - tolerance',
    replace: 'payload.exp <= now + tolerance',
    caughtBy: 'claims/clock-boundaries-agree',
  },
  {
    step: '4',
    mistake: 'requiring every audience to match instead of one',
    file: 'claims.ts',
    region: 'validate-claims',
    find: '(aud as string[]).some((a) => expected.includes(a))',
    replace: '(aud as string[]).every((a) => expected.includes(a))',
    caughtBy: 'claims/verify-jwt-agrees',
  },
  {
    step: '4',
    mistake: 'checking presence in the order the options are listed (requiredClaims first)',
    file: 'claims.ts',
    region: 'validate-claims',
    find: "  if (issuer !== undefined) requirePresent(payload, 'iss')\n  if (subject !== undefined) requirePresent(payload, 'sub')\n  if (audience !== undefined) requirePresent(payload, 'aud')\n  if (maxAge !== undefined) requirePresent(payload, 'iat')\n  const listed = [...requiredClaims]\n  for (let i = listed.length - 1; i >= 0; i--) requirePresent(payload, listed[i] as string)\n",
    replace:
      "  for (const claim of requiredClaims) requirePresent(payload, claim)\n  if (issuer !== undefined) requirePresent(payload, 'iss')\n  if (subject !== undefined) requirePresent(payload, 'sub')\n  if (audience !== undefined) requirePresent(payload, 'aud')\n  if (maxAge !== undefined) requirePresent(payload, 'iat')\n",
    caughtBy: 'claims/first-missing-claim-agrees',
  },
  {
    step: '4',
    mistake: "typeof 'number' instead of Number.isFinite for NumericDates",
    file: 'claims.ts',
    region: 'registered-claim-types',
    find: '!Number.isFinite(payload[claim])',
    replace: "typeof payload[claim] !== 'number'",
    caughtBy: 'claims/registered-claim-types',
  },
  // Step 5: JWE framing --------------------------------------------------------------------
  {
    step: '5',
    mistake: 'a constant IV',
    file: 'jwe.ts',
    region: 'encrypt-compact',
    find: '    iv = randomIv()\n',
    replace: '    iv = new Uint8Array(IV_BYTES)\n',
    caughtBy: 'jwe-random-iv/ivs-never-repeat',
  },
  {
    step: '5',
    mistake: 'using the header JSON, not its segment, as the AAD when encrypting',
    file: 'jwe.ts',
    region: 'encrypt-compact',
    find: 'const aad = utf8Encode(serialized.segment)',
    replace: 'const aad = utf8Encode(JSON.stringify(header))',
    caughtBy: 'jwe-fixed-iv/encrypt-matches-jose',
  },
  {
    step: '5',
    mistake: 'using the parsed header, re-serialised, as the AAD when decrypting',
    file: 'jwe.ts',
    region: 'decrypt-compact',
    find: 'const aad = utf8Encode(encodedHeader)',
    replace: 'const aad = utf8Encode(encodeBase64url(JSON.stringify(header)))',
    caughtBy: 'jwe/aad-is-the-received-header',
  },
  {
    step: '5',
    mistake: 'not checking the tag length',
    file: 'jwe.ts',
    region: 'decrypt-compact',
    find: "  if (tag.length !== TAG_BYTES) throw new JWEInvalid('JWE Authentication Tag must be 128 bits')\n",
    replace: '',
    caughtBy: 'jwe/tampered-tokens-are-refused-like-jose',
  },
  {
    step: '5',
    mistake: 'refusing zip "DEF" before the tag is checked',
    file: 'jwe.ts',
    region: 'decrypt-compact',
    find: "  if (zip !== undefined && zip !== 'DEF')\n",
    replace: '  if (zip !== undefined)\n',
    caughtBy: 'jwe/tampered-tokens-are-refused-like-jose',
  },
  // Step 6: AES-GCM ------------------------------------------------------------------------
  {
    step: '6',
    mistake: 'not setting authTagLength when decrypting',
    file: 'aes-gcm.ts',
    region: 'gcm-decrypt',
    find: 'createDecipheriv(algorithm.cipher, key, iv, { authTagLength: TAG_BYTES })',
    replace: 'createDecipheriv(algorithm.cipher, key, iv)',
    caughtBy: 'gcm/decrypt-releases-only-authentic-plaintext',
  },
  {
    step: '6',
    mistake: "releasing update()'s plaintext although final() failed",
    file: 'aes-gcm.ts',
    region: 'gcm-decrypt',
    find: '    unverified?.fill(0)\n    return undefined\n',
    replace: '    // the caller will notice\n',
    caughtBy: 'gcm/decrypt-releases-only-authentic-plaintext',
  },
  {
    step: '6',
    mistake: 'forgetting setAAD when encrypting',
    file: 'aes-gcm.ts',
    region: 'gcm-encrypt',
    find: '  cipher.setAAD(aad)\n',
    replace: '',
    caughtBy: 'gcm/encrypt-matches-webcrypto',
  },
  {
    step: '6',
    mistake: 'calling setAuthTag outside the try (a short tag throws instead of giving undefined)',
    file: 'aes-gcm.ts',
    region: 'gcm-decrypt',
    find: '  let unverified: Buffer | undefined\n  try {\n    // A tag of any other length makes setAuthTag throw: answered like any forgery.\n    decipher.setAuthTag(tag)\n',
    replace: '  decipher.setAuthTag(tag)\n  let unverified: Buffer | undefined\n  try {\n',
    caughtBy: 'gcm/decrypt-releases-only-authentic-plaintext',
  },
  // Step 7: nested -------------------------------------------------------------------------
  {
    step: '7',
    mistake: 'not checking the outer cty',
    file: 'nested.ts',
    region: 'decrypt-then-verify',
    find: '  if (!isNestedJwtType(outerHeader.cty))\n    throw new JWTInvalid(\'outer JWE must say cty "JWT" for a nested JWT\')\n',
    replace: '',
    caughtBy: 'nested/verdicts-agree-with-jose',
  },
  {
    step: '7',
    mistake: 'not comparing claims replicated in the outer header',
    file: 'nested.ts',
    region: 'decrypt-then-verify',
    find: '  checkReplicatedClaims(outerHeader, payload)\n',
    replace: '',
    caughtBy: 'nested/verdicts-agree-with-jose',
  },
  {
    step: '7',
    mistake: 'encrypting the bare claims instead of the signed inner JWT',
    file: 'nested.ts',
    region: 'sign-then-encrypt',
    find: 'encryptCompact(inner, encryptionKey, ',
    replace: 'encryptCompact(JSON.stringify(claims), encryptionKey, ',
    caughtBy: 'nested/sign-then-encrypt-matches-jose',
  },
  {
    step: '7',
    mistake: 'verifying the inner JWT with the encryption key',
    file: 'nested.ts',
    region: 'decrypt-then-verify',
    find: 'verifyJwt(inner, signingKey, {',
    replace: 'verifyJwt(inner, encryptionKey, {',
    caughtBy: 'nested/verdicts-agree-with-jose',
  },
  {
    step: '7',
    mistake: 'not lifting maxTokenLength for the inner token',
    file: 'nested.ts',
    region: 'decrypt-then-verify',
    find: '    maxTokenLength: Number.POSITIVE_INFINITY,\n',
    replace: '',
    caughtBy: 'nested/inner-token-bounded-by-the-outer',
  },
  // The GHASH step -----------------------------------------------------------------------
  {
    step: 'ghash',
    mistake:
      'reading the bits of X from the least significant bit (the ordinary order, not GCM’s reflected one)',
    file: 'glass-box/gf128.ts',
    region: 'gf128-multiply',
    find: '>>> (7 - (i & 7))) & 1',
    replace: '>>> (i & 7)) & 1',
    caughtBy: 'ghash/one-is-0x80-then-zeros',
  },
  {
    step: 'ghash',
    mistake: 'forgetting the reduction by R when x^127 is shifted out',
    file: 'glass-box/gf128.ts',
    region: 'gf128-multiply',
    find: '    if (carry === 1) v0 ^= R_TOP_WORD\n',
    replace: '',
    caughtBy: 'ghash/tags-match-node-crypto',
  },
  {
    step: 'ghash',
    mistake: 'multiplying each block by H without adding the running value Y first',
    file: 'glass-box/ghash.ts',
    region: 'ghash',
    find: '    for (let j = 0; j < BLOCK_BYTES; j++) y[j] = (y[j] as number) ^ (input[offset + j] as number)\n    y = gf128Multiply(y, h)\n',
    replace: '    y = gf128Multiply(input.slice(offset, offset + BLOCK_BYTES), h)\n',
    caughtBy: 'ghash/tags-match-node-crypto',
  },
]

/** src/ with one mistake made: the file's region text with the snippet replaced. */
export function mutatedFile(mistake: Mistake): string {
  const path = join(REFERENCE_SRC, mistake.file)
  const text = readFileSync(path, 'utf8')
  const region = regionText(text, `src/${mistake.file}`, mistake.region)
  const first = region.indexOf(mistake.find)
  if (first === -1 || region.indexOf(mistake.find, first + 1) !== -1) {
    throw new Error(
      `mistake "${mistake.mistake}": the snippet must occur exactly once in src/${mistake.file}#${mistake.region}; src/ changed? Snippet: ${JSON.stringify(mistake.find)}`,
    )
  }
  const mutated =
    region.slice(0, first) + mistake.replace + region.slice(first + mistake.find.length)
  return replaceRegion(text, `src/${mistake.file}`, mistake.region, mutated)
}

export interface Measurement {
  readonly mistake: Mistake
  readonly run: StepRun
}

/** Runs the mistake's step against src/ with the mistake made, in a temporary copy. */
export interface MeasureOptions {
  readonly numRuns?: number
  /** Run only this property of the step (its cases are the same as in the full run). */
  readonly only?: string
}

/** Runs the mistake's step against src/ with the mistake made, in a temporary copy. */
export async function measure(
  mistake: Mistake,
  seed: number,
  options: MeasureOptions = {},
): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'jose-by-hand-mistake-'))
  try {
    cpSync(REFERENCE_SRC, dir, { recursive: true })
    writeFileSync(join(dir, mistake.file), mutatedFile(mistake))
    const step = findStep(mistake.step) as Step
    return { mistake, run: await runStepOn(step, dir, { seed, ...options }) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * `true` when the step caught the mistake as documented: the property named by
 * `caughtBy` failed, with a counterexample (not a TODO, not a load error).
 */
export function caught(measurement: Measurement): boolean {
  const last = measurement.run.results.at(-1)
  if (measurement.run.passed || last === undefined || measurement.run.loadError !== undefined)
    return false
  return last.id === measurement.mistake.caughtBy && stepOfTodo(last.report.message) === undefined
}

/** The seed of the documented measurements: the same src/ gives the same counterexamples. */
export const MISTAKES_SEED = 20_250_101

function markdownFor(measurements: readonly Measurement[]): string {
  const lines: string[] = []
  for (const step of ['1', '2', '3', '4', '5', '6', '7', 'ghash'] as const) {
    const found = measurements.filter((m) => m.mistake.step === step)
    if (found.length === 0) continue
    lines.push(step === 'ghash' ? '#### The GHASH step' : `#### Step ${step}`, '')
    for (const { mistake, run } of found) {
      const last = run.results.at(-1)
      lines.push(`**${mistake.mistake}** (\`src/${mistake.file}#${mistake.region}\`)`, '')
      if (run.passed || last === undefined) {
        lines.push('Not caught by the step: every property passed.', '')
        continue
      }
      lines.push(
        `Caught by \`${last.id}\` after ${last.report.numRuns} run(s):`,
        '',
        '```text',
        compactReport(last.report.message, DOC_LINE),
        '```',
        '',
      )
    }
  }
  return lines.join('\n')
}

/** Lines in docs/workshop.md are cut shorter than on a terminal. */
const DOC_LINE = 700

const START = '<!-- mistakes:start (generated by test/workshop/mistakes.ts --write) -->'
const END = '<!-- mistakes:end -->'

async function main(): Promise<void> {
  configureWorkshopRuns()
  const measurements: Measurement[] = []
  for (const mistake of MISTAKES) {
    const measurement = await measure(mistake, MISTAKES_SEED)
    measurements.push(measurement)
    const last = measurement.run.results.at(-1)
    const verdict = caught(measurement)
      ? 'caught'
      : `NOT CAUGHT by ${mistake.caughtBy} (${measurement.run.passed ? 'every property passed' : `first failure: ${last?.id}`})`
    process.stderr.write(`step ${mistake.step}: ${mistake.mistake}: ${verdict}\n`)
  }
  const markdown = markdownFor(measurements)
  if (process.argv.includes('--write')) {
    const page = join(REPO_ROOT, 'docs', 'workshop.md')
    const text = readFileSync(page, 'utf8')
    const start = text.indexOf(START)
    const end = text.indexOf(END)
    if (start === -1 || end === -1) throw new Error(`${page} has no ${START} … ${END} markers`)
    writeFileSync(page, `${text.slice(0, start + START.length)}\n\n${markdown}\n${text.slice(end)}`)
  } else {
    process.stdout.write(`${markdown}\n`)
  }
  const missed = measurements.filter((m) => !caught(m)).length
  if (missed > 0) process.exitCode = 1
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main()
}
