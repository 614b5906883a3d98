/**
 * The guided tour (`npm start`, reference/tour.ts) runs end to end and tells the
 * whole story: every chapter pointer, both implementations' verdicts, the blog post's
 * flow failing with ERR_JWE_INVALID, the corrected flow; colour only where wanted;
 * --step that never hangs. The worked examples are recomputed here independently
 * with node:crypto.
 *
 * Most runs are in-process (`run()` against an in-memory terminal); one spawns the
 * real process, which is slow on 2 cores.
 */

import { spawnSync } from 'node:child_process'
import { createCipheriv, createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { colourEnabled, type Env, PLAIN } from '../reference/cli/colour.ts'
import { runProgram } from '../reference/cli/main.ts'
import { createMemoryIO } from '../reference/cli/memory-io.ts'
import { createNarrator } from '../reference/cli/narrator.ts'
import { CHAPTERS, HELP, run } from '../reference/tour.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ESC = '\u001b['

interface Outcome {
  code: number
  stdout: string
  stderr: string
  linesRead: number
}

async function tour(
  argv: readonly string[],
  call: { env?: Env; stdin?: string; stdinIsTTY?: boolean; stdoutIsTTY?: boolean } = {},
): Promise<Outcome> {
  const io = createMemoryIO({
    stdin: call.stdin ?? '',
    stdinIsTTY: call.stdinIsTTY ?? false,
    stdoutIsTTY: call.stdoutIsTTY ?? false,
  })
  const code = await runProgram('tour', run, argv, call.env ?? {}, io)
  return { code, stdout: io.stdout(), stderr: io.stderr(), linesRead: io.linesRead() }
}

function b64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url')
}

function sequence(start: number, length: number): Buffer {
  const bytes = Buffer.alloc(length)
  for (let i = 0; i < length; i++) bytes[i] = start + i
  return bytes
}

/** The lines of `label`'s verdict block: the label, then one line per implementation. */
function verdictBlock(output: string, label: string): string {
  const lines = output.split('\n')
  const start = lines.findIndex((line) => line.trim() === label)
  expect(start, `no verdict block "${label}"`).toBeGreaterThanOrEqual(0)
  const block: string[] = []
  for (let i = start + 1; i < lines.length && /^ {4}\S/.test(lines[i] as string); i++) {
    block.push((lines[i] as string).trim())
  }
  return block.join('\n')
}

describe('the tour, end to end (NO_COLOR, not a terminal)', () => {
  let outcome: Outcome
  beforeAll(async () => {
    outcome = await tour([], { env: { NO_COLOR: '1' } })
  })

  test('finishes with exit 0, every verdict as the story expects, no colour', () => {
    expect(outcome.stderr).toBe('')
    expect(outcome.code).toBe(0)
    expect(outcome.stdout).toContain('✓ Every verdict above is the one the story expects.')
    expect(outcome.stdout).not.toContain('UNEXPECTED')
    expect(outcome.stdout).not.toContain(ESC)
  })

  test('has nine steps, each pointing at its docs chapter', () => {
    for (let step = 1; step <= 9; step++) expect(outcome.stdout).toContain(`Step ${step} of 9 · `)
    for (const chapter of Object.values(CHAPTERS)) {
      expect(outcome.stdout).toMatch(new RegExp(`read more: .*${chapter.replace('.', '\\.')}`))
    }
    expect(Object.values(CHAPTERS)).toEqual([
      'docs/01-base64url.md',
      'docs/02-jws-hs256.md',
      'docs/03-jwt-claims.md',
      'docs/04-jwe-dir-a256gcm.md',
      'docs/05-nested-sign-then-encrypt.md',
      'docs/06-the-blog-post.md',
      'docs/07-jose-in-production.md',
    ])
  })

  test('base64url: src refuses re-spellings that jose reads', () => {
    expect(outcome.stdout).toMatch(/"aGk="\s+padded\s+refused\s+"hi"/)
    expect(outcome.stdout).toMatch(/"aGl"\s+unused low bits set\s+refused\s+"hi"/)
    expect(outcome.stdout).toContain('✓ src accepts the canonical spelling only')
  })

  test('the JWS worked example: every intermediate value, recomputed here', () => {
    const header = b64('{"alg":"HS256","typ":"JWT"}')
    const payload = b64('{"sub":"alice","role":"user"}')
    const mac = createHmac('sha256', sequence(0, 32)).update(`${header}.${payload}`).digest()
    expect(outcome.stdout).toMatch(/key \(DEMO ONLY\)\s+000102030405.*fixed and public/)
    expect(outcome.stdout).toMatch(new RegExp(`BASE64URL\\(header\\)\\s+${header}\\n`))
    expect(outcome.stdout).toMatch(new RegExp(`signing input\\s+${header}\\.${payload}`))
    expect(outcome.stdout).toMatch(new RegExp(`HMAC-SHA-256\\s+${mac.toString('hex')}`))
    expect(outcome.stdout).toContain(`${header}.${payload}.${b64(mac)}`)
    expect(outcome.stdout).toContain('✓ src signCompact gives exactly this token')
    expect(outcome.stdout).toContain('✓ jose CompactSign gives exactly this token')
    expect(verdictBlock(outcome.stdout, 'verifying it')).toBe('src   accepted\njose  accepted')
  })

  test('the JWE worked example: AAD, IV, ciphertext and tag, recomputed here', () => {
    const header = b64('{"alg":"dir","enc":"A256GCM"}')
    const iv = sequence(0xf0, 12)
    const cipher = createCipheriv('aes-256-gcm', sequence(0x20, 32), iv)
    cipher.setAAD(Buffer.from(header, 'ascii'))
    const ciphertext = Buffer.concat([
      cipher.update('{"sub":"alice","role":"user"}'),
      cipher.final(),
    ])
    const tag = cipher.getAuthTag()
    expect(outcome.stdout).toMatch(/IV \(DEMO ONLY\)\s+f0f1f2f3f4f5f6f7f8f9fafb/)
    expect(outcome.stdout).toMatch(new RegExp(`ciphertext\\s+${ciphertext.toString('hex')}`))
    expect(outcome.stdout).toMatch(new RegExp(`tag\\s+${tag.toString('hex')} \\(128 bits\\)`))
    expect(outcome.stdout).toContain(`${header}..${b64(iv)}.${b64(ciphertext)}.${b64(tag)}`)
    expect(outcome.stdout).toContain(
      '✓ src encryptCompact, given the same IV, gives exactly this token',
    )
    expect(outcome.stdout).toContain(
      '✓ jose CompactEncrypt, given the same IV, gives exactly this token',
    )
    expect(outcome.stdout).toContain('✓ two encryptions of the same claims differ')
  })

  test('claims: readable by anyone; audience and expiry rejected by both', () => {
    expect(outcome.stdout).toMatch(
      /→\s+\{"sub":"alice","role":"user","iss":"https:\/\/auth\.example"/,
    )
    const same = 'src   rejected ERR_JWT_CLAIM_VALIDATION_FAILED  (unexpected "aud" claim value)'
    expect(
      verdictBlock(outcome.stdout, 'the same token, presented to https://billing.example'),
    ).toBe(`${same}\n${same.replace('src ', 'jose')}`)
    expect(verdictBlock(outcome.stdout, '16 minutes later')).toMatch(
      /^src\s+rejected ERR_JWT_EXPIRED.*\njose\s+rejected ERR_JWT_EXPIRED/,
    )
  })

  test('the readable JWT next to the opaque JWE', () => {
    expect(outcome.stdout).toMatch(/decodes to\s+\{"sub":"alice","role":"user"\}\s+[0-9a-f…]+\n/)
    expect(outcome.stdout).toMatch(/readable\?\s+yes, by anyone\s+no, not without the key/)
  })

  test('tampering: both implementations reject, with the same codes', () => {
    const cases: [string, string][] = [
      ['role "user" → "admin", old signature kept', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
      ['one bit of the MAC flipped', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
      ['header swapped for {"alg":"none"}, signature dropped', 'ERR_JOSE_ALG_NOT_ALLOWED'],
      ['one bit of the JWE ciphertext flipped', 'ERR_JWE_DECRYPTION_FAILED'],
      ['one bit of the tag flipped', 'ERR_JWE_DECRYPTION_FAILED'],
      ['header changed (it is the AAD)', 'ERR_JWE_DECRYPTION_FAILED'],
    ]
    for (const [label, code] of cases) {
      expect(verdictBlock(outcome.stdout, label)).toMatch(
        new RegExp(`^src\\s+rejected ${code}.*\\njose\\s+rejected ${code}`),
      )
    }
    expect(verdictBlock(outcome.stdout, 'signature re-spelled, unused low bits set')).toMatch(
      /^src\s+rejected ERR_JWS_INVALID/,
    )
  })

  test('nested: decryptThenVerify accepts in both; decryptJwt refuses in both', () => {
    expect(outcome.stdout).toMatch(/outer header\s+\{"alg":"dir","enc":"A256GCM","cty":"JWT"\}/)
    expect(verdictBlock(outcome.stdout, 'decryptThenVerify')).toBe('src   accepted\njose  accepted')
    expect(
      verdictBlock(
        outcome.stdout,
        'decryptJwt, which reads bare claims and would skip the inner signature',
      ),
    ).toMatch(/^src\s+rejected ERR_JWT_INVALID.*\njose\s+rejected ERR_JWT_INVALID/)
  })

  test("the blog post's flow fails with ERR_JWE_INVALID: 136 bits where 256 are expected", () => {
    expect(verdictBlock(outcome.stdout, "the post's generateJWE(claims)")).toBe(
      'raw jose  rejected ERR_JWE_INVALID  (Invalid Content Encryption Key length. Expected 256 bits, got 136 bits)',
    )
    expect(outcome.stdout).toMatch(/"encryption-secret"\s+17 bytes = 136 bits/)
    expect(outcome.stdout).toMatch(/"signing-secret"\s+14 bytes = 112 bits/)
    expect(verdictBlock(outcome.stdout, 'signing with "signing-secret"')).toMatch(
      /^src\s+error TypeError: HS256 needs a key of at least 32 bytes.*\njose\s+error TypeError.*\nraw jose\s+accepted$/,
    )
    expect(
      verdictBlock(outcome.stdout, 'a standard reader (decryptThenVerify) on that token'),
    ).toMatch(/^src\s+rejected ERR_JWT_INVALID.*\njose\s+rejected ERR_JWT_INVALID/)
    expect(verdictBlock(outcome.stdout, 'decodeJWE on a token for https://billing.example')).toBe(
      'raw jose  accepted',
    )
  })

  test('the corrected flow: accepted across implementations, replays refused', () => {
    expect(verdictBlock(outcome.stdout, "each implementation reads the other's token")).toBe(
      'src   accepted\njose  accepted',
    )
    expect(
      verdictBlock(
        outcome.stdout,
        "reference/production-flow.ts readToken, plain jose, on src's token",
      ),
    ).toBe('jose  accepted')
    expect(verdictBlock(outcome.stdout, 'replayed to https://billing.example')).toMatch(
      /^src\s+rejected ERR_JWT_CLAIM_VALIDATION_FAILED.*\njose\s+rejected ERR_JWT_CLAIM_VALIDATION_FAILED/,
    )
    expect(verdictBlock(outcome.stdout, 'replayed 6 minutes later')).toMatch(
      /^src\s+rejected ERR_JWT_EXPIRED.*\njose\s+rejected ERR_JWT_EXPIRED/,
    )
  })
})

describe('colour', () => {
  test('FORCE_COLOR colours output that is not a terminal', async () => {
    const { code, stdout } = await tour([], { env: { FORCE_COLOR: '1' } })
    expect(code).toBe(0)
    expect(stdout).toContain(`${ESC}1mjose-by-hand: the tour${ESC}22m`)
    // The JWS header segment of the worked example, in jwt.io's red.
    expect(stdout).toContain(`${ESC}31meyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9${ESC}39m`)
  })

  test('NO_COLOR turns colour off, even on a terminal and with FORCE_COLOR', async () => {
    const { stdout } = await tour([], {
      env: { NO_COLOR: '1', FORCE_COLOR: '1' },
      stdoutIsTTY: true,
    })
    expect(stdout).toContain('Step 9 of 9')
    expect(stdout).not.toContain(ESC)
  })

  test.each<[string, Env, boolean, boolean]>([
    ['a terminal', {}, true, true],
    ['a pipe', {}, false, false],
    ['a terminal, NO_COLOR=1', { NO_COLOR: '1' }, true, false],
    ['a terminal, NO_COLOR empty (does not count)', { NO_COLOR: '' }, true, true],
    ['a pipe, FORCE_COLOR=1', { FORCE_COLOR: '1' }, false, true],
    ['a pipe, FORCE_COLOR empty', { FORCE_COLOR: '' }, false, true],
    ['a terminal, FORCE_COLOR=0', { FORCE_COLOR: '0' }, true, false],
    ['a terminal, FORCE_COLOR=false', { FORCE_COLOR: 'false' }, true, false],
    ['a pipe, NO_COLOR and FORCE_COLOR', { NO_COLOR: 'yes', FORCE_COLOR: '1' }, false, false],
    ['a dumb terminal', { TERM: 'dumb' }, true, false],
  ])('%s', (_name, env, isTTY, expected) => {
    expect(colourEnabled({ env, isTTY })).toBe(expected)
  })
})

describe('--step, --help and usage', () => {
  test('--step with stdin not a terminal explains itself and runs straight through', async () => {
    const outcome = await tour(['--step'], { env: { NO_COLOR: '1' }, stdin: '\n\n' })
    expect(outcome.code).toBe(0)
    expect(outcome.stdout).toContain('--step: stdin is not a terminal')
    expect(outcome.stdout).not.toContain('Press Enter')
    expect(outcome.linesRead).toBe(0)
  })

  test('--step on a terminal waits for Enter between steps, eight times', async () => {
    const outcome = await tour(['--step'], {
      env: { NO_COLOR: '1' },
      stdin: '\n'.repeat(8),
      stdinIsTTY: true,
    })
    expect(outcome.code).toBe(0)
    expect(outcome.linesRead).toBe(8)
    expect(outcome.stdout).toContain('Press Enter for step 2')
    expect(outcome.stdout).toContain('Press Enter for step 9')
    expect(outcome.stdout).not.toContain('Press Enter for step 10')
  })

  test('--step stops pausing when stdin ends (Ctrl-D), and finishes', async () => {
    const outcome = await tour(['--step'], {
      env: { NO_COLOR: '1' },
      stdin: '\n\n',
      stdinIsTTY: true,
    })
    expect(outcome.code).toBe(0)
    expect(outcome.linesRead).toBe(3)
    expect(outcome.stdout).not.toContain('Press Enter for step 5')
    expect(outcome.stdout).toContain('Step 9 of 9')
  })

  test('--help prints the usage, the colour rules and the exit codes', async () => {
    const outcome = await tour(['--help'])
    expect(outcome.code).toBe(0)
    expect(outcome.stdout).toBe(HELP)
    for (const phrase of ['--step', 'NO_COLOR', 'FORCE_COLOR', 'UNEXPECTED', '2  usage error']) {
      expect(HELP).toContain(phrase)
    }
  })

  test('an unknown argument is a usage error, exit 2', async () => {
    const outcome = await tour(['--fast'])
    expect(outcome.code).toBe(2)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toBe('tour: unknown argument --fast\nRun with --help for usage.\n')
  })
})

describe('the narrator keeps the story honest', () => {
  test('a verdict or a claim that differs from the story is a surprise, printed as such', () => {
    const io = createMemoryIO()
    const t = createNarrator(io, PLAIN)
    t.verdicts('forged token', [
      {
        who: 'src',
        verdict: { outcome: 'accepted', code: null, message: 'accepted' },
        expected: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      },
      {
        who: 'jose',
        verdict: {
          outcome: 'rejected',
          code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
          message: 'm',
        },
        expected: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      },
    ])
    t.claim('tokens are identical', false)
    expect(t.surprises).toEqual([
      'forged token: src gave accepted, expected ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      'tokens are identical',
    ])
    expect(io.stdout()).toContain(
      'src   accepted  ✗ UNEXPECTED: the story expects ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
    expect(io.stdout()).toContain('jose  rejected ERR_JWS_SIGNATURE_VERIFICATION_FAILED  (m)\n')
    expect(io.stdout()).toContain('✗ UNEXPECTED: tokens are identical')
  })
})

describe('the real process', () => {
  test('node --import tsx reference/tour.ts: exit 0, the key lines, no colour in a pipe', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    delete env.FORCE_COLOR
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'reference/tour.ts'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    expect(child.stdout).not.toContain(ESC)
    expect(child.stdout).toContain('read more: docs/06-the-blog-post.md')
    expect(child.stdout).toMatch(/raw jose\s+rejected ERR_JWE_INVALID/)
    expect(child.stdout).toContain('✓ Every verdict above is the one the story expects.')
  })
})
