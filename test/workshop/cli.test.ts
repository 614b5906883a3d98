/**
 * The workshop CLI as a participant uses it, run in-process against a temporary folder:
 * init (never overwriting), verify (TODO, pass, a real mistake with its replay line,
 * the replay itself), progress, hints, solution gating, reset.
 */

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type CliIo, main } from './cli.ts'
import { MISTAKES, mutatedFile } from './mistakes.ts'
import { layoutOf, REPO_ROOT } from './paths.ts'
import { readProgress } from './progress.ts'
import { regionText, replaceRegion } from './regions.ts'
import { referenceRegionText, sourceFiles } from './starter.ts'
import { findStep, type Step } from './steps.ts'
import { TSX_LOADER } from './timeout.ts'

interface Ran {
  code: number
  out: string
  err: string
}

let root: string

async function run(argv: readonly string[], env: Record<string, string> = {}): Promise<Ran> {
  let out = ''
  let err = ''
  const io: CliIo = {
    out: (text) => {
      out += text
    },
    err: (text) => {
      err += text
    },
    env: { NO_COLOR: '1', ...env },
    isTTY: false,
    cwd: root,
  }
  const code = await main([...argv, '--dir', 'ws'], io)
  return { code, out, err }
}

function path(...parts: string[]): string {
  return join(root, 'ws', ...parts)
}

/** Pastes src/'s code into the regions of `step`, as a participant who solved it. */
function solve(step: Step): void {
  for (const ref of step.regions) {
    const file = path('src', ref.file)
    writeFileSync(
      file,
      replaceRegion(readFileSync(file, 'utf8'), file, ref.region, referenceRegionText(ref)),
    )
  }
}

/** Step 1 "solved" by a participant who forgot the spare-bit check (docs/workshop.md). */
function withSpareBitMistake(starter: string, file: string): string {
  const mistake = MISTAKES.find((m) => m.mistake === 'forgetting the spare-bit check')
  if (mistake === undefined) throw new Error('the spare-bit mistake is gone from mistakes.ts')
  const mutant = mutatedFile(mistake)
  let text = starter
  for (const region of ['base64url-encode', 'base64url-decode']) {
    text = replaceRegion(text, file, region, regionText(mutant, 'mutant', region))
  }
  return text
}

const step1 = findStep('1') as Step
const step2 = findStep('2') as Step

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'jose-by-hand-workshop-cli-'))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('npm run workshop (CLI)', () => {
  test('before init, the status says how to start', async () => {
    const ran = await run([])
    expect(ran.code).toBe(0)
    expect(ran.out).toContain('not started. Run npm run workshop:init')
  })

  test('init writes the starter; a second init keeps the participant’s edits', async () => {
    const first = await run(['init'])
    expect(first.code).toBe(0)
    expect(first.out).toContain(`wrote ${join('ws', 'src', 'base64url.ts')}`)
    expect(readFileSync(path('src', 'base64url.ts'), 'utf8')).toContain(
      "throw new Error('TODO(step 1): implement decodeBase64url — read docs/01-base64url.md, then run: npm run workshop -- verify 1')",
    )
    writeFileSync(path('src', 'duration.ts'), '// my notes\n', { flag: 'a' })
    const second = await run(['init'])
    expect(second.code).toBe(0)
    // Every src/ file, plus bonus/property.ts, tsconfig.json, README.md and .gitignore.
    expect(second.out).toContain(`kept ${sourceFiles().length + 4} existing file(s) untouched`)
    expect(readFileSync(path('src', 'duration.ts'), 'utf8')).toMatch(/\/\/ my notes\n$/)
  })

  test('the status shows 0/7, a bar, and step 1 with its chapter and command', async () => {
    const ran = await run([])
    expect(ran.out).toContain('0/7 steps verified [░░░░░░░░░░░░░░░░░░░░░░░░░░░░] 0%')
    expect(ran.out).toContain('Next: step 1, base64url: one spelling for every byte string')
    expect(ran.out).toContain('read   docs/01-base64url.md')
    expect(ran.out).toContain('check  npm run workshop -- verify 1')
  })

  test('verify on the starter fails with the step’s TODO, and runs later steps on src/', async () => {
    const ran = await run(['verify', '1'])
    expect(ran.code).toBe(1)
    expect(ran.out).toContain(
      '(not started yet, so taken from src/ for this run: steps 2, 3, 4, 5, 6, 7)',
    )
    expect(ran.out).toContain(
      'Your code still throws its TODO: TODO(step 1): implement encodeBase64url',
    )
  })

  test('the solution is refused before the step passes', async () => {
    const ran = await run(['solution', '1'])
    expect(ran.code).toBe(1)
    expect(ran.err).toContain(
      'The solution of step 1 is shown once your code passes: npm run workshop -- verify 1',
    )
  })

  test('a real mistake shows the counterexample, the expectation and a replay line that replays it', async () => {
    const file = path('src', 'base64url.ts')
    const starter = readFileSync(file, 'utf8')
    writeFileSync(file, withSpareBitMistake(starter, file))
    const ran = await run(['verify', '1'])
    expect(ran.code).toBe(1)
    expect(ran.out).toContain('✗ base64url/decode-is-canonical')
    expect(ran.out).toContain('Counterexample:')
    expect(ran.out).toMatch(
      /not canonical base64url \((the four|the two) unused bits of the last character must be zero/,
    )
    const replay =
      /FC_SEED=(-?\d+) FC_PATH="([0-9:]+)" npm run workshop -- verify 1 --only base64url\/decode-is-canonical/.exec(
        ran.out,
      )
    expect(replay, ran.out).not.toBeNull()
    const counterexample = /Counterexample: .*/.exec(ran.out)?.[0]
    expect(counterexample).toMatch(/^Counterexample: ./)

    const replayed = await run(['verify', '1', '--only', 'base64url/decode-is-canonical'], {
      FC_SEED: replay?.[1] as string,
      FC_PATH: replay?.[2] as string,
    })
    expect(replayed.code).toBe(1)
    expect(replayed.out).toContain(counterexample)
    expect(replayed.out).toContain('Property failed after 1 tests')
    writeFileSync(file, starter)
  })

  test('docs/workshop.md shows, character for character, what this mistake prints', async () => {
    // The example under "Reading a failure": the spare-bit mistake, seed 20250101, 100 runs.
    const page = readFileSync(join(REPO_ROOT, 'docs', 'workshop.md'), 'utf8')
    const section = page.slice(page.indexOf('### Reading a failure'))
    const shown = /```text\n([\s\S]*?)```/.exec(section)?.[1]
    const file = path('src', 'base64url.ts')
    const starter = readFileSync(file, 'utf8')
    writeFileSync(file, withSpareBitMistake(starter, file))
    const ran = await run(['verify', '1'], { FC_SEED: '20250101', FC_NUM_RUNS: '100' })
    writeFileSync(file, starter)
    expect(ran.code).toBe(1)
    expect(ran.out).toBe(shown)
  })

  test('FC_PATH without --only is refused: a path belongs to one property', async () => {
    const ran = await run(['verify', '1'], { FC_PATH: '0:1' })
    expect(ran.code).toBe(1)
    expect(ran.err).toContain('FC_PATH replays one property: add --only <property id>')
  })

  test('a solved step verifies, is recorded, and unlocks its solution', async () => {
    solve(step1)
    const ran = await run(['verify', '1'])
    expect(ran.code, ran.out).toBe(0)
    expect(ran.out).toContain('step 1 verified.')
    expect(ran.out).toContain('1/7 steps verified')
    expect(ran.out).toContain('Next: step 2, the JWS signing input and HMAC')
    const progress = readProgress(layoutOf(path()))
    expect(Object.keys(progress.verified['1']?.seeds ?? {})).toEqual([
      'base64url/encode-matches-jose',
      'base64url/decode-is-canonical',
    ])
    const status = await run([])
    expect(status.out).toContain('1/7 steps verified')
    const shown = await run(['solution', '1'])
    expect(shown.code).toBe(0)
    expect(shown.out).toContain('── base64url.ts#base64url-decode: yours (-) and src/ (+) ──')
    // Solved with src/'s own code: every line is common, none is marked - or +.
    const reference = referenceRegionText({ file: 'base64url.ts', region: 'base64url-decode' })
    for (const line of reference.split('\n')) expect(shown.out).toContain(`  ${line}`)
    expect(shown.out).not.toMatch(/^[-+] /m)
  })

  test('solution N is a diff: the lines only in yours, and the lines only in src/', async () => {
    const file = path('src', 'base64url.ts')
    const solved = readFileSync(file, 'utf8')
    const mistake = 'if (value < 0 || (value & unusedBits) !== 0) return undefined'
    writeFileSync(file, solved.replace(mistake, 'if (value < 0) return undefined'))
    const shown = await run(['solution', '1'])
    writeFileSync(file, solved)
    expect(shown.code).toBe(0)
    expect(shown.out).toMatch(/^- {5}if \(value < 0\) return undefined$/m)
    expect(shown.out).toMatch(
      /^\+ {5}if \(value < 0 \|\| \(value & unusedBits\) !== 0\) return undefined$/m,
    )
  })

  test('a step that passed and fails later no longer counts as verified', async () => {
    const file = path('src', 'base64url.ts')
    const solved = readFileSync(file, 'utf8')
    expect(readProgress(layoutOf(path())).verified['1']?.at).toMatch(/^\d{4}-\d\d-\d\dT/)
    writeFileSync(file, withSpareBitMistake(solved, file))
    const ran = await run(['verify', '1'])
    expect(ran.code).toBe(1)
    expect(ran.out).toContain('Step 1 no longer counts as verified.')
    expect(readProgress(layoutOf(path())).verified['1']).toBeUndefined()
    expect((await run([])).out).toContain('0/7 steps verified')
    writeFileSync(file, solved)
    expect((await run(['verify', '1'])).code).toBe(0)
  })

  test('type errors in the participant’s files fail verify, with their own paths', async () => {
    const file = path('src', 'base64url.ts')
    const solved = readFileSync(file, 'utf8')
    const broken = solved.replace(
      '  const length = input.length\n',
      '  const length: number = input.length.toString()\n',
    )
    expect(broken).not.toBe(solved)
    writeFileSync(file, broken)
    const ran = await run(['verify', '1'])
    writeFileSync(file, solved)
    expect(ran.code).toBe(1)
    expect(ran.err).toContain('your code does not type-check')
    expect(ran.err).toMatch(/ws\/src\/base64url\.ts:\d+:\d+ error TS2322/)
  })

  test('a syntax error points at the participant’s file, not at a scratch copy', async () => {
    const file = path('src', 'base64url.ts')
    const solved = readFileSync(file, 'utf8')
    writeFileSync(file, solved.replace('  const length = input.length\n', '  const length = (\n'))
    const ran = await run(['verify', '1'])
    writeFileSync(file, solved)
    expect(ran.code).toBe(1)
    const text = ran.out + ran.err
    expect(text).toMatch(/ws\/src\/base64url\.ts:37:\d+ error TS/)
    expect(text).not.toContain('.runs')
  })

  test('hint N --all shows the hints read so far again, and reads no new one', async () => {
    const none = await run(['hint', '4', '--all'])
    expect(none.out).toContain('No hint of step 4 read yet')
    await run(['hint', '4'])
    await run(['hint', '4'])
    const all = await run(['hint', '4', '--all'])
    expect(all.code).toBe(0)
    expect(all.out).toContain('Hint 1/4 for step 4')
    expect(all.out).toContain('Hint 2/4 for step 4')
    expect(all.out).not.toContain('Hint 3/4')
    expect(all.out).toContain('2 more: npm run workshop -- hint 4')
    expect((await run(['hint', '4'])).out).toContain('Hint 3/4 for step 4')
  })

  test('reset N restores a region whose marker line was deleted, keeping other steps’ work', async () => {
    solve(step2)
    const file = path('src', 'hmac.ts')
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('// #endregion mac-compare\n', ''))
    const broken = await run(['verify', '3'])
    expect(broken.code).toBe(1)
    expect(broken.out + broken.err).toContain('npm run workshop -- reset 3')
    const ran = await run(['reset', '3'])
    expect(ran.code, ran.err).toBe(0)
    const restored = readFileSync(file, 'utf8')
    expect(regionText(restored, 'hmac.ts', 'mac-compare')).toContain('TODO(step 3)')
    expect(regionText(restored, 'hmac.ts', 'hmac-sign')).toBe(
      referenceRegionText({ file: 'hmac.ts', region: 'hmac-sign' }),
    )
    expect((await run(['verify', '2'])).code).toBe(0)
    // A broken marker of another step in the same file: resetting this step still works,
    // and the other step's region comes back as its starter (its markers were lost).
    const again = readFileSync(file, 'utf8')
    writeFileSync(file, again.replace('// #endregion hmac-sign\n', ''))
    const second = await run(['reset', '3'])
    expect(second.code, second.err).toBe(0)
    expect(regionText(readFileSync(file, 'utf8'), 'hmac.ts', 'mac-compare')).toContain(
      'TODO(step 3)',
    )
    expect((await run(['reset', '2'])).code).toBe(0)
    solve(step2)
  })

  test('hints come one at a time, and the last one repeats', async () => {
    const texts: string[] = []
    for (let i = 1; i <= 5; i++) {
      const ran = await run(['hint', '2'])
      expect(ran.code).toBe(0)
      texts.push(ran.out)
    }
    expect(texts[0]).toContain('Hint 1/4 for step 2')
    expect(texts[1]).toContain('Hint 2/4 for step 2')
    expect(texts[3]).toContain('Hint 4/4 for step 2')
    expect(texts[3]).toContain('That was the last hint')
    expect(texts[4]).toContain('Hint 4/4 for step 2')
  })

  test('reset restores one step’s TODOs, keeps other steps’ work, and saves the old version', async () => {
    solve(step2)
    const ran = await run(['reset', '1'])
    expect(ran.code).toBe(0)
    expect(ran.out).toContain('Step 1 is back to its starter')
    expect(ran.out).toMatch(/your previous version: ws\/\.trash\/.*\/src\/base64url\.ts/)
    expect(readFileSync(path('src', 'base64url.ts'), 'utf8')).toContain(
      'TODO(step 1): implement decodeBase64url',
    )
    expect(regionText(readFileSync(path('src', 'hmac.ts'), 'utf8'), 'hmac.ts', 'hmac-sign')).toBe(
      referenceRegionText({ file: 'hmac.ts', region: 'hmac-sign' }),
    )
    expect(readProgress(layoutOf(path())).verified['1']).toBeUndefined()
  })

  test('verify --against src runs the reference solution and records nothing', async () => {
    const ran = await run(['verify', '1', '--against', 'src'])
    expect(ran.code, ran.out).toBe(0)
    expect(ran.out).toContain('step 1 verified.')
    expect(readProgress(layoutOf(path())).verified['1']).toBeUndefined()
  })

  test('unknown commands and steps are refused with a usage message', async () => {
    const unknown = await run(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain('unknown command "frobnicate"')
    const badStep = await run(['verify', '9'])
    expect(badStep.code).toBe(1)
    expect(badStep.err).toContain('Which step? Give 1 to 7, bonus or ghash (got "9")')
    const noStep = await run(['hint'])
    expect(noStep.err).toContain('Which step? Give 1 to 7, bonus or ghash (none given)')
    const help = await run(['help'])
    expect(help.out).toContain('npm run workshop -- verify N [--watch]')
  })

  test('an infinite loop in the participant’s code is stopped by the time limit, with a clear message', async () => {
    const file = path('src', 'base64url.ts')
    const before = readFileSync(file, 'utf8')
    const looping = replaceRegion(
      before,
      file,
      'base64url-encode',
      "/** Loops for ever, as a participant's unfinished loop may. */\nexport function encodeBase64url(input: Uint8Array | string): string {\n  let i = 0\n  while (i >= 0) i = (i + 1) % 10\n  return String(input)\n}\n",
    )
    writeFileSync(file, looping)
    const cli = join(REPO_ROOT, 'test', 'workshop', 'cli.ts')
    const started = Date.now()
    const child = spawnSync(
      process.execPath,
      ['--import', TSX_LOADER, cli, 'verify', '1', '--dir', path(), '--timeout', '8'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
    )
    writeFileSync(file, before)
    expect(child.status, child.stderr).toBe(1)
    expect(child.stderr).toContain('verify 1 was stopped after 8 s: it did not finish in time')
    expect(child.stderr).toContain('--timeout <seconds>')
    expect(Date.now() - started).toBeLessThan(40_000)
  }, 60_000)

  test('8 is not the bonus: verify, hint, solution and reset refuse it and touch nothing', async () => {
    const bonus = path('bonus', 'property.ts')
    writeFileSync(bonus, `${readFileSync(bonus, 'utf8')}\n// my work\n`)
    for (const command of ['verify', 'hint', 'solution', 'reset']) {
      const ran = await run([command, '8'])
      expect(ran.code, command).toBe(1)
      expect(ran.err, command).toContain('Which step? Give 1 to 7, bonus or ghash (got "8")')
    }
    expect(readFileSync(bonus, 'utf8')).toContain('// my work')
  })

  test('unknown flags are refused with the command’s usage; --help works on every command', async () => {
    const typo = await run(['verify', '1', '--wach'])
    expect(typo.code).toBe(2)
    expect(typo.err).toContain('unknown option --wach')
    expect(typo.err).toContain('--watch')
    const bogus = await run(['hint', '1', '--bogus'])
    expect(bogus.code).toBe(2)
    expect(bogus.err).toContain('unknown option --bogus')
    const stray = await run(['reset', '1', '2'])
    expect(stray.code).toBe(2)
    for (const command of ['init', 'verify', 'hint', 'reset', 'solution', 'check', 'status']) {
      const ran = await run([command, '--help'])
      expect(ran.code, command).toBe(0)
      expect(ran.out, command).toContain('npm run workshop')
    }
    expect((await run(['verify', '--help'])).out).toContain('--timeout <s>')
    expect((await run(['hint', '--help'])).out).toContain('--all')
  })

  test('init --force starts again, copying the old files to .trash/ first', async () => {
    const ran = await run(['init', '--force'])
    expect(ran.code).toBe(0)
    expect(
      regionText(readFileSync(path('src', 'hmac.ts'), 'utf8'), 'hmac.ts', 'hmac-sign'),
    ).toContain('TODO(step 2)')
    expect(readProgress(layoutOf(path())).verified).toEqual({})
  })
})
