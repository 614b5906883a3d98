/**
 * The guided tour (`npm start`, test/programs/tour/tour.ts) runs end to end and tells
 * the whole story: every chapter pointer, the three parties' verdicts under the same
 * three labels, the blog post's flow failing with ERR_JWE_INVALID, the corrected
 * flow; colour only where wanted; long values wrapped to the terminal; pauses on a
 * terminal that never hang. The worked examples are recomputed here independently
 * with node:crypto. A real terminal is driven in tour-terminal.test.ts.
 *
 * Most runs are in-process (against an in-memory terminal); one spawns the real
 * process, which is slow on 2 cores.
 */

import { spawnSync } from 'node:child_process'
import { createCipheriv, createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  colourEnabled,
  createMemoryIO,
  type Env,
  PLAIN,
  runProgram,
  visibleWidth,
} from './kit/index.ts'
import { createNarrator } from './tour/narrator.ts'
import { CHAPTERS, HELP, TOUR, USAGE } from './tour/tour.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ESC = '\u001b['

const CLEAR_SCREEN = `${ESC}H${ESC}2J`

interface Outcome {
  code: number
  stdout: string
  stderr: string
  keysRead: number
}

interface Call {
  env?: Env
  keys?: string[]
  stdinIsTTY?: boolean
  stdoutIsTTY?: boolean
  columns?: number
  rows?: number
}

async function tour(argv: readonly string[], call: Call = {}): Promise<Outcome> {
  const io = createMemoryIO({
    keys: call.keys ?? [],
    stdinIsTTY: call.stdinIsTTY ?? false,
    stdoutIsTTY: call.stdoutIsTTY ?? false,
    ...(call.columns === undefined ? {} : { columns: call.columns }),
    ...(call.rows === undefined ? {} : { rows: call.rows }),
  })
  const code = await runProgram(TOUR, argv, call.env ?? {}, io)
  return { code, stdout: io.stdout(), stderr: io.stderr(), keysRead: io.keysRead() }
}

/** A terminal at both ends, as `npm start` in a shell has. */
const TERMINAL: Call = { env: { NO_COLOR: '1' }, stdinIsTTY: true, stdoutIsTTY: true, rows: 1000 }

function b64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url')
}

function sequence(start: number, length: number): Buffer {
  const bytes = Buffer.alloc(length)
  for (let i = 0; i < length; i++) bytes[i] = start + i
  return bytes
}

const BOTH_ACCEPT = 'src                  accepted\njose (safe options)  accepted'

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
    expect(outcome.stdout).toContain('✓ src: signCompact gives exactly this token')
    expect(outcome.stdout).toContain('✓ jose (safe options): CompactSign gives exactly this token')
    expect(verdictBlock(outcome.stdout, 'verifying it')).toBe(BOTH_ACCEPT)
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
      '✓ src: encryptCompact, given the same IV, gives exactly this token',
    )
    expect(outcome.stdout).toContain(
      '✓ jose (safe options): CompactEncrypt, given the same IV, gives exactly this token',
    )
    expect(outcome.stdout).toContain('✓ two encryptions of the same claims differ')
  })

  test('claims: readable by anyone; audience and expiry rejected by both', () => {
    expect(outcome.stdout).toMatch(
      /→\s+\{"sub":"alice","role":"user","iss":"https:\/\/auth\.example"/,
    )
    const same = 'rejected ERR_JWT_CLAIM_VALIDATION_FAILED  (unexpected "aud" claim value)'
    expect(
      verdictBlock(outcome.stdout, 'the same token, presented to https://billing.example'),
    ).toBe(`src                  ${same}\njose (safe options)  ${same}`)
    expect(verdictBlock(outcome.stdout, '16 minutes later')).toMatch(
      /^src\s+rejected ERR_JWT_EXPIRED.*\njose \(safe options\)\s+rejected ERR_JWT_EXPIRED/,
    )
  })

  test('the readable JWT next to the opaque JWE', () => {
    expect(outcome.stdout).toMatch(/decodes to\s+\{"sub":"alice","role":"user"\}\s+[0-9a-f…]+\n/)
    expect(outcome.stdout).toMatch(/readable\?\s+yes, by anyone\s+no, not without the key/)
    // Chapter 6's wording: HttpOnly cookies and short lifetimes limit theft, they do not stop it.
    expect(outcome.stdout).toContain('HttpOnly cookies and short lifetimes reduce the risk')
    expect(outcome.stdout).not.toMatch(/lifetimes do\./)
  })

  test('every verdict is given by src, jose (safe options) or jose (defaults), by those names', () => {
    expect(outcome.stdout).not.toContain('raw jose')
    const lines = outcome.stdout.split('\n')
    let verdictLines = 0
    for (const line of lines) {
      const verdict = /^ {4}(\S.*?)\s{2,}(accepted|rejected|error)\b/.exec(line)
      if (verdict === null) continue
      verdictLines++
      expect(['src', 'jose (safe options)', 'jose (defaults)']).toContain(verdict[1])
    }
    expect(verdictLines).toBeGreaterThan(40)
  })

  test('the last screen points to the workshop, the inspector, the lab, the forgery and the reading order', () => {
    const last = outcome.stdout.slice(outcome.stdout.indexOf('Where to go next'))
    expect(last).toMatch(/npm run workshop\s+write it yourself/)
    expect(last).toMatch(/npm run -s inspect -- TOKEN\s+take a real token apart/)
    expect(last).toMatch(/npm run lab\s+the same story in a browser/)
    expect(last).toMatch(/docs\/pitfalls\/iv-reuse\.md\s+why the IV above is DEMO ONLY/)
    expect(last).toMatch(/docs\/README\.md\s+the chapters in reading order/)
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
        new RegExp(`^src\\s+rejected ${code}.*\\njose \\(safe options\\)\\s+rejected ${code}`),
      )
    }
    expect(verdictBlock(outcome.stdout, 'signature re-spelled, unused low bits set')).toMatch(
      /^src\s+rejected ERR_JWS_INVALID/,
    )
  })

  test('nested: decryptThenVerify accepts in both; decryptJwt refuses in both', () => {
    expect(outcome.stdout).toMatch(/outer header\s+\{"alg":"dir","enc":"A256GCM","cty":"JWT"\}/)
    expect(verdictBlock(outcome.stdout, 'decryptThenVerify')).toBe(BOTH_ACCEPT)
    expect(
      verdictBlock(
        outcome.stdout,
        'decryptJwt, which reads bare claims and would skip the inner signature',
      ),
    ).toMatch(/^src\s+rejected ERR_JWT_INVALID.*\njose \(safe options\)\s+rejected ERR_JWT_INVALID/)
  })

  test("the blog post's flow fails with ERR_JWE_INVALID: 136 bits where 256 are expected", () => {
    expect(verdictBlock(outcome.stdout, "the post's generateJWE(claims)")).toBe(
      'jose (defaults)  rejected ERR_JWE_INVALID  (Invalid Content Encryption Key length. Expected 256 bits, got 136 bits)',
    )
    expect(outcome.stdout).toMatch(/"encryption-secret"\s+17 bytes = 136 bits/)
    expect(outcome.stdout).toMatch(/"signing-secret"\s+14 bytes = 112 bits/)
    expect(verdictBlock(outcome.stdout, 'signing with "signing-secret"')).toMatch(
      /^src\s+error TypeError: HS256 needs a key of at least 32 bytes.*\njose \(safe options\)\s+error TypeError.*\njose \(defaults\)\s+accepted$/,
    )
    expect(
      verdictBlock(outcome.stdout, 'a standard reader (decryptThenVerify) on that token'),
    ).toMatch(/^src\s+rejected ERR_JWT_INVALID.*\njose \(safe options\)\s+rejected ERR_JWT_INVALID/)
    expect(verdictBlock(outcome.stdout, 'decodeJWE on a token for https://billing.example')).toBe(
      'jose (defaults)  accepted',
    )
  })

  test('the corrected flow: accepted across implementations, replays refused', () => {
    expect(verdictBlock(outcome.stdout, "each implementation reads the other's token")).toBe(
      BOTH_ACCEPT,
    )
    expect(
      verdictBlock(
        outcome.stdout,
        "reference/production-flow.ts readToken (jose, configured there) on src's token",
      ),
    ).toBe('jose (safe options)  accepted')
    expect(verdictBlock(outcome.stdout, 'replayed to https://billing.example')).toMatch(
      /^src\s+rejected ERR_JWT_CLAIM_VALIDATION_FAILED.*\njose \(safe options\)\s+rejected ERR_JWT_CLAIM_VALIDATION_FAILED/,
    )
    expect(verdictBlock(outcome.stdout, 'replayed 6 minutes later')).toMatch(
      /^src\s+rejected ERR_JWT_EXPIRED.*\njose \(safe options\)\s+rejected ERR_JWT_EXPIRED/,
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

describe('pauses on a terminal, none in a pipe', () => {
  function screens(stdout: string): number {
    return stdout.split(CLEAR_SCREEN).length - 1
  }

  test('piped, or with --no-pause, the tour never waits for a key', async () => {
    const piped = await tour([], { env: { NO_COLOR: '1' }, keys: ['q'] })
    const noPause = await tour(['--no-pause'], { ...TERMINAL, keys: ['q'] })
    // Input from a pipe: nobody to press a key. Output to a pipe: nobody to see the screen.
    const inPiped = await tour([], { ...TERMINAL, stdinIsTTY: false, keys: ['q'] })
    const outPiped = await tour([], { ...TERMINAL, stdoutIsTTY: false, keys: ['q'] })
    for (const outcome of [piped, noPause, inPiped, outPiped]) {
      expect(outcome.code).toBe(0)
      expect(outcome.keysRead).toBe(0)
      expect(outcome.stdout).toContain('Step 9 of 9')
      expect(outcome.stdout).not.toContain('q: quit')
      expect(screens(outcome.stdout)).toBe(0)
    }
  })

  test('on a terminal: one step per screen, Enter for the next, then the last screen', async () => {
    const outcome = await tour([], { ...TERMINAL, keys: Array(9).fill('\r') })
    expect(outcome.code).toBe(0)
    expect(outcome.keysRead).toBe(9)
    const pages = outcome.stdout.split(CLEAR_SCREEN).slice(1)
    expect(pages).toHaveLength(10)
    for (let step = 1; step <= 9; step++) {
      const page = pages[step - 1] as string
      expect(page.match(/Step \d of 9/g)).toEqual([`Step ${step} of 9`])
      const next = step < 9 ? `step ${step + 1} of 9` : 'where to go next'
      expect(page.endsWith(`── Enter: ${next} · q: quit ──`)).toBe(true)
    }
    expect(pages[0]).toMatch(/^jose-by-hand: the tour\n/)
    expect(pages[9]).toMatch(/^✓ Every verdict above is the one the story expects\./)
  })

  test.each([
    ['q', 'q'],
    ['Esc', '\u001b'],
    ['Ctrl-C (a byte in raw mode)', '\u0003'],
  ])('%s stops the tour where it is, exit 0', async (_name, key) => {
    const outcome = await tour([], { ...TERMINAL, keys: ['\r', key] })
    expect(outcome.code).toBe(0)
    expect(outcome.keysRead).toBe(2)
    expect(outcome.stdout).toContain('Step 2 of 9')
    expect(outcome.stdout).not.toContain('Step 3 of 9')
    expect(outcome.stdout).toContain('Stopped after step 2 of 9. Run npm start to begin again.\n')
  })

  test('other keys are ignored; when stdin ends, the rest runs straight through', async () => {
    const outcome = await tour([], { ...TERMINAL, keys: ['x', '\r'] })
    expect(outcome.code).toBe(0)
    // x (ignored), Enter (step 2), then the end of input.
    expect(outcome.keysRead).toBe(3)
    expect(screens(outcome.stdout)).toBe(2)
    expect(outcome.stdout).toContain('Step 9 of 9')
    expect(outcome.stdout).toContain('Where to go next')
  })

  test('a step taller than the screen stops when the screen is full, then scrolls on', async () => {
    const rows = 15
    const outcome = await tour([], { ...TERMINAL, rows, keys: Array(200).fill(' ') })
    expect(outcome.code).toBe(0)
    expect(outcome.stdout).toContain('── Enter: the rest of this step · q: quit ──')
    // Between two prompts there is never more than a screenful, less the prompt's row.
    const chunks = outcome.stdout.split(/── Enter: [^─]+ · q: quit ──/)
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.replace(CLEAR_SCREEN, '').split('\n').length - 1).toBeLessThanOrEqual(rows - 1)
    }
  })
})

describe('long values and prose fit the terminal', () => {
  test.each([60, 80])(
    'at %i columns, no line is wider, and tokens are cut, not lost',
    async (width) => {
      const outcome = await tour(['--no-pause'], { env: { NO_COLOR: '1' }, columns: width })
      expect(outcome.code).toBe(0)
      for (const line of outcome.stdout.split('\n')) {
        expect({ line, width: visibleWidth(line) <= width }).toEqual({ line, width: true })
      }
      // The JWS worked example (step 2's first token), put back together from its lines.
      const lines = outcome.stdout.split('\n')
      const start = lines.findIndex((line) => line.startsWith(`  token${' '.repeat(19)}`))
      let token = (lines[start] as string).slice(26)
      for (let i = start + 1; /^ {26}[A-Za-z0-9_.-]+$/.test(lines[i] as string); i++) {
        token += (lines[i] as string).slice(26)
      }
      expect(token.split('.')).toHaveLength(3)
      expect(token).toMatch(
        /^eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIn0\.[A-Za-z0-9_-]{43}$/,
      )
    },
  )

  test('in a pipe, tokens stay on one line, and prose is at most 92 columns wide', async () => {
    const outcome = await tour([], { env: { NO_COLOR: '1' } })
    const prose = outcome.stdout.split('\n').filter((line) => line.startsWith('  A JWS signs'))
    expect(prose).toHaveLength(1)
    expect((prose[0] as string).length).toBeLessThanOrEqual(92)
    expect(outcome.stdout).toMatch(
      /token {19}eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\n/,
    )
  })
})

describe('--help and usage', () => {
  test('--help prints the usage, the keys, the colour rules and the exit codes', async () => {
    const outcome = await tour(['--help'])
    expect(outcome.code).toBe(0)
    expect(outcome.stdout).toBe(HELP)
    expect(HELP.startsWith(USAGE)).toBe(true)
    for (const phrase of [
      '--no-pause',
      'q, Esc, Ctrl-C',
      'NO_COLOR',
      'FORCE_COLOR',
      'UNEXPECTED',
      '2   usage error',
      '70  internal error',
    ]) {
      expect(HELP).toContain(phrase)
    }
  })

  test('an unknown option is a usage error: one line, the usage, exit 2', async () => {
    const outcome = await tour(['--fast'])
    expect(outcome.code).toBe(2)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toBe(`tour: unknown option --fast\n\n${USAGE}\n`)
  })
})

describe('the narrator keeps the story honest', () => {
  test('a verdict or a claim that differs from the story is a surprise, printed as such', () => {
    const t = createNarrator(PLAIN, undefined)
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
    const printed = t.takeLines().join('\n')
    expect(printed).toContain(
      'src   accepted  ✗ UNEXPECTED: the story expects ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
    expect(printed).toContain('jose  rejected ERR_JWS_SIGNATURE_VERIFICATION_FAILED  (m)\n')
    expect(printed).toContain('✗ UNEXPECTED: tokens are identical')
    expect(t.takeLines()).toEqual([])
  })
})

describe('the real process', () => {
  test('node --import tsx test/programs/tour/tour.ts: exit 0, the key lines, no colour in a pipe', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    delete env.FORCE_COLOR
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/programs/tour/tour.ts'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    expect(child.stdout).not.toContain(ESC)
    expect(child.stdout).toContain('read more: docs/06-the-blog-post.md')
    expect(child.stdout).toMatch(/jose \(defaults\)\s+rejected ERR_JWE_INVALID/)
    expect(child.stdout).toContain('✓ Every verdict above is the one the story expects.')
  })
})
