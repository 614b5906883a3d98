/**
 * The terminal kit (test/programs/kit/): command lines read strictly, with one-line
 * messages of our own; the entry point's two kinds of failure; wrapping that keeps
 * tokens whole, colour codes out of the count, and indentation in place.
 */

import { describe, expect, test } from 'vitest'
import {
  COLOUR,
  createMemoryIO,
  EXIT,
  flag,
  type OptionSpecs,
  type Program,
  parseCommandLine,
  runProgram,
  stripColour,
  UsageError,
  value,
  values,
  visibleWidth,
  wrap,
  wrapLine,
} from './kit/index.ts'

const OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  minutes: { type: 'string' },
  audience: { type: 'string', multiple: true },
}

/** The UsageError message parseCommandLine throws for `argv`. */
function mistake(argv: string[], maxPositionals = 0): string {
  try {
    parseCommandLine(argv, OPTIONS, { maxPositionals })
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error(`no mistake found in ${JSON.stringify(argv)}`)
}

describe('parseCommandLine: strict, one line per mistake', () => {
  test('flags, values and repeated values are read by their long names', () => {
    const line = parseCommandLine(
      ['-h', '--minutes=5', '--audience', 'a', '--audience=b', 'token'],
      OPTIONS,
      { maxPositionals: 1 },
    )
    expect(flag(line, 'help')).toBe(true)
    expect(value(line, 'minutes')).toBe('5')
    expect(values(line, 'audience')).toEqual(['a', 'b'])
    expect(line.positionals).toEqual(['token'])
    const none = parseCommandLine([], OPTIONS)
    expect([flag(none, 'help'), value(none, 'minutes'), values(none, 'audience')]).toEqual([
      false,
      undefined,
      [],
    ])
  })

  test.each([
    [['--bogus'], 'unknown option --bogus'],
    [['-x'], 'unknown option -x'],
    [['-hx'], 'unknown option -x'],
    [['--bogus=secret'], 'unknown option --bogus'],
    [['--minutes'], '--minutes needs a value'],
    [
      ['--minutes', '--help'],
      '--minutes needs a value (for one that starts with "-", write --minutes=VALUE)',
    ],
    [['--help=yes'], '--help takes no value'],
    [['stray'], 'unexpected argument "stray"'],
  ])('%j: %s', (argv, message) => {
    expect(mistake(argv)).toBe(message)
  })

  test('more positional arguments than allowed', () => {
    expect(mistake(['one', 'two'], 1)).toBe('unexpected argument "two"')
  })

  test('a value that starts with "-" is taken when written with "="', () => {
    expect(value(parseCommandLine(['--minutes=-5'], OPTIONS), 'minutes')).toBe('-5')
  })
})

describe('runProgram: a usage error is the caller’s, anything else a bug', () => {
  function program(run: Program['run']): Program {
    return { name: 'demo', usage: 'Usage: demo [--help]\n', run }
  }

  test('its exit code, and nothing on stderr, when all goes well', async () => {
    const io = createMemoryIO()
    const code = await runProgram(
      program(async (_argv, _env, cli) => {
        cli.out('fine\n')
        return EXIT.NOT_VERIFIED
      }),
      [],
      {},
      io,
    )
    expect([code, io.stdout(), io.stderr()]).toEqual([3, 'fine\n', ''])
  })

  test('a UsageError: "name: message", a blank line, the usage; exit 2', async () => {
    const io = createMemoryIO()
    const code = await runProgram(
      program(async (argv) => {
        parseCommandLine(argv, OPTIONS)
        return EXIT.OK
      }),
      ['--nope'],
      {},
      io,
    )
    expect(code).toBe(EXIT.USAGE)
    expect(io.stderr()).toBe('demo: unknown option --nope\n\nUsage: demo [--help]\n')
  })

  test('anything else: a short report, exit 70', async () => {
    const io = createMemoryIO()
    const code = await runProgram(
      program(async () => {
        throw 'not even an Error'
      }),
      [],
      {},
      io,
    )
    expect(code).toBe(EXIT.INTERNAL)
    expect(io.stderr()).toBe(
      `demo: internal error (a bug in demo, not a mistake of yours)\n  string: not even an Error\n  node ${process.version}. Please report it with the command you ran.\n`,
    )
  })

  test('the exit codes', () => {
    expect(EXIT).toEqual({ OK: 0, FAILURE: 1, USAGE: 2, NOT_VERIFIED: 3, INTERNAL: 70 })
  })
})

describe('wrapping', () => {
  test('prose breaks at spaces, within the width', () => {
    expect(wrapLine('one two three four', 9)).toEqual(['one two', 'three', 'four'])
  })

  test('a word longer than a line is cut at each line end, and put back together it is whole', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'
    const lines = wrapLine(`token ${token}`, 20)
    expect(lines.map((line) => line.length)).toEqual([20, 20, 20])
    expect(lines.join('')).toBe(`token ${token}`)
  })

  test('colour codes take no columns and are never cut', () => {
    const red = COLOUR.red('abcdefghij')
    expect(visibleWidth(red)).toBe(10)
    const lines = wrapLine(`${red}${red}`, 8)
    expect(lines.map(visibleWidth)).toEqual([8, 8, 4])
    // Each line holds whole escape sequences only: none is left once they are removed.
    for (const line of lines) expect(stripColour(line)).not.toContain('\u001b')
    expect(lines.join('')).toBe(`${red}${red}`)
  })

  test('indentation stays, and continuation lines get the hanging indent', () => {
    expect(wrap('  label  a long value here', 20, 9)).toBe('  label  a long\n         value here')
    // A hanging indent that leaves no room to read is not applied: the line stays whole.
    expect(wrap('  label  a long value here', 16, 9)).toBe('  label  a long value here')
  })

  test('no width (a pipe), or a line that fits, is left alone', () => {
    const line = 'x'.repeat(500)
    expect(wrap(line, undefined)).toBe(line)
    expect(wrapLine('fits', 4)).toEqual(['fits'])
  })
})
