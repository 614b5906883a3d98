/**
 * The pieces under the CLI: regions and stubs (TypeScript syntax tree, not regexes),
 * starter generation that never overwrites, per-step reset, the run-time fill-in of
 * steps not started, progress, hints, report text and the watcher's debounce.
 */

import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { PLAIN } from '../programs/kit/colour.ts'
import { timingTable } from './guards.ts'
import { HINTS, nextHint } from './hints.ts'
import {
  layoutOf,
  REFERENCE_SRC,
  REPO_ROOT as REPO_ROOT_FOR_TESTS,
  type WorkshopLayout,
} from './paths.ts'
import { countHint, forgetVerified, readProgress, recordVerified } from './progress.ts'
import {
  findRegions,
  functionsInRegion,
  getRegion,
  isStubbedRegion,
  regionText,
  replaceRegion,
  stubRegion,
} from './regions.ts'
import { compactReport, formatRun, formatStatus, progressBar, replayLines } from './report.ts'
import type { StepRun } from './runner.ts'
import {
  copyForRun,
  isUntouched,
  referenceRegionText,
  resetStep,
  sourceFiles,
  starterRegionText,
  writeStarter,
} from './starter.ts'
import {
  CORE_STEPS,
  findStep,
  REGION_STEPS,
  STEPS,
  type Step,
  stepOfTodo,
  todoMessage,
  todoPrefix,
} from './steps.ts'
import { isOwnFile, type VerifyStarter, watchStep } from './watch.ts'

const folders: string[] = []

function temporaryLayout(): WorkshopLayout {
  const dir = mkdtempSync(join(tmpdir(), 'jose-by-hand-workshop-unit-'))
  folders.push(dir)
  return layoutOf(dir)
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function srcText(file: string): string {
  return readFileSync(join(REFERENCE_SRC, file), 'utf8')
}

const step1 = findStep('1') as Step
const step2 = findStep('2') as Step

describe('regions', () => {
  test('every region a step names exists in src/ and declares at least one function', () => {
    for (const step of CORE_STEPS) {
      for (const ref of step.regions) {
        const text = srcText(ref.file)
        const region = getRegion(text, ref.file, ref.region)
        expect(
          functionsInRegion(text, ref.file, region).length,
          `${ref.file}#${ref.region}`,
        ).toBeGreaterThan(0)
      }
    }
  })

  test('every src/ file has well-formed regions (no nesting, every region closed)', () => {
    for (const file of sourceFiles()) expect(() => findRegions(srcText(file), file)).not.toThrow()
    expect(() => findRegions('// #region a\n// #region b\n// #endregion b\n', 'x.ts')).toThrow(
      'x.ts: region b opens inside region a',
    )
    expect(() => findRegions('// #region a\n', 'x.ts')).toThrow('x.ts: region a is never closed')
    expect(() => getRegion('', 'x.ts', 'missing')).toThrow('no "// #region missing"')
  })

  test('a stub keeps the doc comment and the signature, and replaces the body only', () => {
    const text = srcText('jws.ts')
    const stubbed = stubRegion(
      text,
      'jws.ts',
      'sign-compact',
      (name) => `TODO(step 2): implement ${name}`,
    )
    const before = getRegion(text, 'jws.ts', 'sign-compact')
    const [fn] = functionsInRegion(text, 'jws.ts', before)
    // Everything up to the body's opening brace, and everything after the region, is unchanged.
    expect(stubbed.slice(0, fn?.bodyStart)).toBe(text.slice(0, fn?.bodyStart))
    expect(stubbed.endsWith(text.slice(fn?.bodyEnd))).toBe(true)
    expect(regionText(stubbed, 'jws.ts', 'sign-compact')).toContain(
      "  header: JWSHeader = { alg: 'HS256' },\n): string {\n  throw new Error('TODO(step 2): implement signCompact')\n}",
    )
  })

  test('a stub is recognised on the syntax tree, even reformatted, and not once edited', () => {
    const prefix = todoPrefix(step1)
    const starter = readFileSync(join(REFERENCE_SRC, 'base64url.ts'), 'utf8')
    expect(isStubbedRegion(starter, 'b.ts', 'base64url-encode', prefix)).toBe(false)
    const stub = starterRegionText(step1, { file: 'base64url.ts', region: 'base64url-encode' })
    const stubbed = replaceRegion(starter, 'b.ts', 'base64url-encode', stub)
    expect(isStubbedRegion(stubbed, 'b.ts', 'base64url-encode', prefix)).toBe(true)
    const reformatted = stubbed.replace(
      /throw new Error\('(TODO[^']*)'\)/,
      'throw   new Error( "$1" );',
    )
    expect(reformatted).not.toBe(stubbed)
    expect(isStubbedRegion(reformatted, 'b.ts', 'base64url-encode', prefix)).toBe(true)
    const started = stubbed.replace(/(\): string \{\n)/, '$1  const bytes = toBytes(input)\n')
    expect(isStubbedRegion(started, 'b.ts', 'base64url-encode', prefix)).toBe(false)
    // Another step's TODO does not count as this step's stub.
    expect(isStubbedRegion(stubbed, 'b.ts', 'base64url-encode', todoPrefix(step2))).toBe(false)
  })

  test('the TODO message names the function, the chapter and the verify command', () => {
    expect(todoMessage(step1, 'decodeBase64url')).toBe(
      'TODO(step 1): implement decodeBase64url — read docs/01-base64url.md, then run: npm run workshop -- verify 1',
    )
    expect(stepOfTodo(`ours threw ${todoMessage(step2, 'hmac')}`)?.id).toBe('2')
    expect(stepOfTodo('TODO(bonus): implement property')?.id).toBe('bonus')
    expect(stepOfTodo('no todo here')).toBeUndefined()
    // Strict names: 8 is not the bonus, and nothing is guessed.
    expect(findStep('8')).toBeUndefined()
    expect(findStep('0')).toBeUndefined()
    expect(findStep(' 1')).toBeUndefined()
    expect(findStep('Bonus')).toBeUndefined()
    expect(findStep('bonus')?.id).toBe('bonus')
  })
})

describe('starter files', () => {
  test('init writes every src/ file with every step stubbed, the bonus file and a tsconfig', () => {
    const layout = temporaryLayout()
    const result = writeStarter(layout)
    expect(result.kept).toEqual([])
    expect(sourceFiles(layout.src)).toEqual(sourceFiles())
    expect(sourceFiles()).toContain('glass-box/gf128.ts')
    for (const step of REGION_STEPS) {
      for (const ref of step.regions)
        expect(isUntouched(layout, step, ref), `${ref.file}#${ref.region}`).toBe(true)
    }
    expect(readFileSync(layout.bonusProperty, 'utf8')).toContain(
      "throw new Error('TODO(bonus): implement property",
    )
    expect(JSON.parse(readFileSync(join(layout.dir, 'tsconfig.json'), 'utf8')).include).toEqual([
      'src',
      'bonus',
    ])
    // Files without a step region are copied as they are.
    expect(readFileSync(join(layout.src, 'errors.ts'), 'utf8')).toBe(srcText('errors.ts'))
  })

  test('init never overwrites an existing file unless told to, and then saves it first', () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    const file = join(layout.src, 'hmac.ts')
    writeFileSync(file, 'my work\n')
    const kept = writeStarter(layout)
    expect(kept.written).toEqual([])
    expect(kept.kept).toContain(file)
    expect(readFileSync(file, 'utf8')).toBe('my work\n')

    rmSync(join(layout.src, 'jws.ts'))
    const refilled = writeStarter(layout)
    expect(refilled.written).toEqual([join(layout.src, 'jws.ts')])

    const forced = writeStarter(layout, { steps: CORE_STEPS, existing: 'overwrite' })
    expect(forced.kept).toEqual([])
    expect(readFileSync(file, 'utf8')).toContain('TODO(step 2): implement hmac')
    const [stamp] = readdirSync(layout.trash)
    expect(readFileSync(join(layout.trash, stamp as string, 'src', 'hmac.ts'), 'utf8')).toBe(
      'my work\n',
    )
  })

  test('reset restores one step’s regions only and keeps a copy of what it replaced', () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    const file = join(layout.src, 'hmac.ts')
    let text = readFileSync(file, 'utf8')
    // Step 2's region solved, step 3's region (same file) started by hand.
    text = replaceRegion(
      text,
      file,
      'hmac-sign',
      referenceRegionText({ file: 'hmac.ts', region: 'hmac-sign' }),
    )
    text = replaceRegion(text, file, 'mac-compare', '// my attempt\n')
    writeFileSync(file, `${text}// a note outside every region\n`)
    const saved = resetStep(layout, step2)
    expect(saved).toHaveLength(2) // hmac.ts and jws.ts
    const after = readFileSync(file, 'utf8')
    expect(isStubbedRegion(after, file, 'hmac-sign', todoPrefix(step2))).toBe(true)
    expect(regionText(after, file, 'mac-compare')).toBe('// my attempt\n')
    expect(after.endsWith('// a note outside every region\n')).toBe(true)
    const copy = saved.find((path) => path.endsWith('hmac.ts')) as string
    expect(readFileSync(copy, 'utf8')).toContain(
      referenceRegionText({ file: 'hmac.ts', region: 'hmac-sign' }),
    )
  })

  test('reset of the bonus rewrites only the property file', () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    writeFileSync(layout.bonusProperty, 'my property\n')
    const saved = resetStep(layout, findStep('bonus') as Step)
    expect(readFileSync(layout.bonusProperty, 'utf8')).toContain('TODO(bonus)')
    expect(readFileSync(saved[0] as string, 'utf8')).toBe('my property\n')
  })

  test('a run copy fills in the steps not started, keeps the verified step and started ones', () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    const file = join(layout.src, 'hmac.ts')
    writeFileSync(
      file,
      replaceRegion(readFileSync(file, 'utf8'), file, 'hmac-sign', '// started\n'),
    )
    const target = join(layout.dir, 'copy')
    const filled = copyForRun(layout, step1, target)
    const copied = (name: string): string => readFileSync(join(target, name), 'utf8')
    // The verified step stays the participant's (here: still the TODO).
    expect(
      isStubbedRegion(copied('base64url.ts'), 'b', 'base64url-decode', todoPrefix(step1)),
    ).toBe(true)
    // A started region is the participant's, even unfinished.
    expect(regionText(copied('hmac.ts'), 'h', 'hmac-sign')).toBe('// started\n')
    // A region not started comes from src/.
    expect(regionText(copied('hmac.ts'), 'h', 'mac-compare')).toBe(
      referenceRegionText({ file: 'hmac.ts', region: 'mac-compare' }),
    )
    expect(filled.some((ref) => ref.region === 'mac-compare')).toBe(true)
    expect(filled.some((ref) => ref.region === 'hmac-sign' || ref.file === 'base64url.ts')).toBe(
      false,
    )
  })
})

describe('progress and hints', () => {
  test('verified steps are recorded and forgotten; a corrupt file counts as no progress', () => {
    const layout = temporaryLayout()
    expect(readProgress(layout).verified).toEqual({})
    recordVerified(layout, '3', { at: '2025-01-01T00:00:00.000Z', numRuns: 100, seeds: { a: 1 } })
    expect(readProgress(layout).verified['3']?.seeds).toEqual({ a: 1 })
    forgetVerified(layout, '3')
    expect(readProgress(layout).verified['3']).toBeUndefined()
    writeFileSync(layout.progress, '{not json')
    expect(readProgress(layout).verified).toEqual({})
  })

  test('every step has at least three hints; they come in order and stop at the last', () => {
    for (const step of STEPS) expect(HINTS[step.id].length, step.id).toBeGreaterThanOrEqual(3)
    const layout = temporaryLayout()
    const numbers: number[] = []
    for (let i = 0; i < 5; i++) numbers.push(nextHint(layout, '6').number)
    expect(numbers).toEqual([1, 2, 3, 3, 3])
    expect(nextHint(layout, '6').last).toBe(true)
    expect(countHint(layout, '7', 4)).toBe(1)
    expect(existsSync(layout.progress)).toBe(true)
  })
})

describe('what the workshop prints', () => {
  const failed: StepRun = {
    step: step1,
    passed: false,
    filled: [{ file: 'hmac.ts', region: 'hmac-sign' }],
    results: [
      {
        id: 'base64url/decode-is-canonical',
        title: 'decode',
        report: {
          failed: true,
          numRuns: 3,
          numSkips: 0,
          seed: 42,
          path: '2:1',
          message: [
            'Property failed after 3 tests',
            '{ seed: 42, path: "2:1", endOnFailure: true }',
            `Counterexample: [Uint8Array.from([${new Array(40).fill(7).join(',')}])]`,
            'Got AssertionError: expected (jose) "AA", got "AA=="',
            '    at predicate (x.ts:1:1)',
            '',
            'Encountered failures were:',
            '- [1]',
          ].join('\n'),
        },
      },
    ],
  }

  test('a report loses stack frames, the shrink list and the seed line, and long arrays are cut', () => {
    const text = compactReport(failed.results[0]?.report.message as string)
    expect(text).toBe(
      [
        'Property failed after 3 tests',
        'Counterexample: [Uint8Array.from([7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,… 40 bytes])]',
        'Got AssertionError: expected (jose) "AA", got "AA=="',
      ].join('\n'),
    )
    expect(compactReport('x'.repeat(700))).toMatch(/^x{600}… \(100 more characters\)$/)
  })

  test('a failure prints the counterexample, what was expected and both replay commands', () => {
    expect(replayLines(step1, failed)).toEqual([
      'FC_SEED=42 npm run workshop -- verify 1',
      'FC_SEED=42 FC_PATH="2:1" npm run workshop -- verify 1 --only base64url/decode-is-canonical',
    ])
    const text = formatRun(failed, PLAIN)
    expect(text).toContain('(not started yet, so taken from src/ for this run: step 2)')
    expect(text).toContain('✗ base64url/decode-is-canonical: decode')
    expect(text).toContain('expected (jose) "AA", got "AA=="')
    expect(text).toContain(
      'FC_SEED=42 FC_PATH="2:1" npm run workshop -- verify 1 --only base64url/decode-is-canonical',
    )
  })

  test('a TODO is reported as a TODO, without a replay line', () => {
    const todo: StepRun = {
      ...failed,
      results: [
        {
          id: 'x',
          title: 'x',
          report: {
            ...(failed.results[0]?.report as StepRun['results'][0]['report']),
            message: `Got Error: ${todoMessage(step1, 'encodeBase64url')}`,
          },
        },
      ],
    }
    const text = formatRun(todo, PLAIN)
    expect(text).toContain(
      'Your code still throws its TODO: TODO(step 1): implement encodeBase64url',
    )
    expect(text).not.toContain('FC_SEED')
  })

  test('the status counts the seven steps, draws the bar and names the next step', () => {
    expect(progressBar(3, 7, 7)).toBe('[███░░░░]')
    const progress = {
      version: 1 as const,
      srcFingerprint: '',
      hintsShown: {},
      verified: {
        '1': { at: '', numRuns: 1, seeds: {} },
        '2': { at: '', numRuns: 1, seeds: {} },
        '3': { at: '', numRuns: 1, seeds: {} },
      },
    }
    const text = formatStatus(progress, PLAIN)
    expect(text).toContain('3/7 steps verified')
    expect(text).toContain('43%')
    expect(text).toContain('Next: step 4, JWT claims validation')
    expect(text).toContain('edit   workshop/src/claims.ts')
  })
})

describe('the facilitator’s dry run', () => {
  test('the timing table has a row per step, the participant’s path and the total', () => {
    const table = timingTable({
      ok: true,
      timings: STEPS.map((step) => ({
        step: step.id,
        reference: 0.25,
        starter: 0.5,
        mistakes: step.id === 'bonus' ? 0 : 1.25,
        mistakeCount: step.id === 'bonus' ? 0 : 3,
        caughtCount: step.id === 'bonus' ? 0 : 3,
      })),
      solvedPath: 2,
      total: 20,
    })
    const rows = table.split('\n')
    expect(rows).toHaveLength(2 + STEPS.length + 2)
    expect(rows).toContain('| 1 | 0.3 | 0.5 | 3/3 | 1.3 |')
    expect(rows).toContain('| bonus | 0.3 | 0.5 | – | 0.0 |')
    expect(rows.at(-1)).toBe('| **total** | 20.0 | | | |')
  })
})

describe('reports speak to a participant', () => {
  test('no ledger jargon, and a tampered token that was accepted says what was expected', () => {
    const jargon =
      'Got AssertionError: unexplained divergence (no ledger row): tampered jws "a.b.c": ours rejected; jose accepted'
    expect(compactReport(jargon)).not.toContain('ledger')
    expect(compactReport(jargon)).toContain('docs/divergences.md lists no reason')
    const accepted = 'Got AssertionError [ERR_ASSERTION]: tampered jwe "x.y.z.w.v": accepted'
    expect(compactReport(accepted)).toContain(
      'tampered jwe "x.y.z.w.v": ours accepted it; expected a rejection',
    )
  })
})

describe('a workshop folder is kept out of git and lint, wherever --dir puts it', () => {
  test('init writes a .gitignore that ignores the whole folder, and git honours it', () => {
    const dir = mkdtempSync(join(REPO_ROOT_FOR_TESTS, 'ws-pair-'))
    try {
      const layout = layoutOf(dir)
      writeStarter(layout)
      expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m)
      // Biome reads the same ignore files (biome.json: vcs.useIgnoreFile).
      const checked = spawnSync('git', ['check-ignore', '-q', join(layout.src, 'jws.ts')], {
        cwd: REPO_ROOT_FOR_TESTS,
      })
      expect(checked.status).toBe(0)
      const listed = spawnSync('git', ['status', '--porcelain', '--', dir], {
        cwd: REPO_ROOT_FOR_TESTS,
        encoding: 'utf8',
      })
      expect(listed.stdout).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('watch mode', () => {
  test('only the participant’s TypeScript under src/ and bonus/ triggers a run', () => {
    expect(isOwnFile('.progress.json')).toBe(true)
    expect(isOwnFile('.runs/123/src/jws.ts')).toBe(true)
    expect(isOwnFile('.trash/2025/src/jws.ts')).toBe(true)
    expect(isOwnFile('log')).toBe(true)
    expect(isOwnFile('verify.log')).toBe(true)
    expect(isOwnFile('src/jws.ts~')).toBe(true)
    expect(isOwnFile('src/.jws.ts.swp')).toBe(true)
    expect(isOwnFile('src/jws.ts')).toBe(false)
    expect(isOwnFile('bonus/property.ts')).toBe(false)
  })

  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

  /** A watcher whose runs are recorded and end at once with `code`. */
  function recordingWatch(
    layout: WorkshopLayout,
    code: (args: readonly string[]) => number,
    next: (step: Step) => Step | undefined = () => undefined,
  ): { runs: string[][]; close(): void } {
    const runs: string[][] = []
    const start: VerifyStarter = (args, exited) => {
      runs.push([...args])
      exited(code(args))
      return { finished: true, stop: () => undefined }
    }
    const handle = watchStep(layout, step1, () => undefined, { start, next })
    return { runs, close: () => handle.close() }
  }

  test('it runs once at start, then once per burst of saves (debounced)', async () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    const watch = recordingWatch(layout, () => 1)
    try {
      expect(watch.runs).toHaveLength(1)
      expect(watch.runs[0]).toEqual(['verify', '1', '--dir', layout.dir])
      const file = join(layout.src, 'base64url.ts')
      // Three saves 100 ms apart, as an editor's save-all does: one run, not three.
      for (let i = 0; i < 3; i++) {
        writeFileSync(file, `// save ${i}\n`, { flag: 'a' })
        await pause(100)
      }
      await pause(700)
      expect(watch.runs).toHaveLength(2)
      writeFileSync(layout.progress, '{}')
      await pause(600)
      expect(watch.runs).toHaveLength(2)
    } finally {
      watch.close()
    }
  })

  test('it keeps hearing saves after an editor saves by renaming a new file over the old', async () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    const watch = recordingWatch(layout, () => 1)
    try {
      const file = join(layout.src, 'base64url.ts')
      const temporary = join(layout.src, 'base64url.ts.tmp')
      // cp f x && mv x f, as many editors save.
      writeFileSync(temporary, `${readFileSync(file, 'utf8')}// renamed save\n`)
      renameSync(temporary, file)
      await pause(700)
      expect(watch.runs).toHaveLength(2)
      // Later in-place saves of the replaced file are still heard.
      for (let i = 0; i < 2; i++) {
        writeFileSync(file, `// in place ${i}\n`, { flag: 'a' })
        await pause(700)
      }
      expect(watch.runs).toHaveLength(4)
    } finally {
      watch.close()
    }
  })

  test('output written into the folder (--watch > workshop/log) never starts a run', async () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    const watch = recordingWatch(layout, () => 1)
    try {
      for (let i = 0; i < 4; i++) {
        writeFileSync(join(layout.dir, 'log'), `── verify 1 ── run ${i}\n`, { flag: 'a' })
        await pause(200)
      }
      await pause(500)
      expect(watch.runs).toHaveLength(1)
    } finally {
      watch.close()
    }
  })

  test('once a step passes, it moves on to the next step', async () => {
    const layout = temporaryLayout()
    writeStarter(layout)
    const watch = recordingWatch(
      layout,
      (args) => (args[1] === '1' ? 0 : 1),
      (step) => (step.id === '1' ? step2 : undefined),
    )
    try {
      expect(watch.runs.map((args) => args[1])).toEqual(['1', '2'])
      writeFileSync(join(layout.src, 'hmac.ts'), '// edit\n', { flag: 'a' })
      await pause(700)
      expect(watch.runs.map((args) => args[1])).toEqual(['1', '2', '2'])
    } finally {
      watch.close()
    }
  })
})
