/**
 * Every program a person runs answers its command line the same way (test/programs/kit):
 * --help prints the usage and exits 0; an unknown option is one line naming it, a blank
 * line and the usage, exit 2, and never a stack trace. One table, each program spawned
 * as `npm run` starts it (node with tsx), all at once. The other mistakes (a missing
 * value, a value for a flag) are the kit's, tested in-process in kit.test.ts.
 */

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface ProgramRow {
  /** The name its messages start with. */
  readonly name: string
  readonly script: string
}

const PROGRAMS: readonly ProgramRow[] = [
  { name: 'tour', script: 'test/programs/tour/tour.ts' },
  { name: 'inspect', script: 'test/programs/inspect/inspect.ts' },
  { name: 'bench', script: 'test/campaigns/bench/run.ts' },
  { name: 'fuzz', script: 'test/campaigns/fuzz/campaign.ts' },
  { name: 'mutate', script: 'test/campaigns/mutation/stryker.ts' },
  { name: 'lab', script: 'test/programs/lab/main.ts' },
  { name: 'workshop', script: 'test/workshop/cli.ts' },
]

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

function run(script: string, args: readonly string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  // A test runner may set FORCE_COLOR; Node warns when both are set.
  delete env.FORCE_COLOR
  return new Promise(function runToEnd(resolve, reject): void {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

const CASES = ['--help', '--bogus'] as const
const results = new Map<string, Run>()

beforeAll(async () => {
  const runs: Promise<void>[] = []
  for (const program of PROGRAMS) {
    for (const which of CASES) {
      runs.push(
        run(program.script, [which]).then((result) => {
          results.set(`${program.name} ${which}`, result)
        }),
      )
    }
  }
  await Promise.all(runs)
}, 120_000)

function result(program: ProgramRow, which: (typeof CASES)[number]): Run {
  return results.get(`${program.name} ${which}`) as Run
}

/** The usage block that --help begins with. */
function usageOf(program: ProgramRow): string {
  const help = result(program, '--help').stdout
  return help.slice(0, help.indexOf('\n\n') === -1 ? help.length : help.indexOf('\n\n'))
}

describe.each(PROGRAMS)('$name ($script)', (program) => {
  test('--help: the usage on stdout, exit 0', () => {
    const help = result(program, '--help')
    expect(help.stderr).toBe('')
    expect(help.stdout).toMatch(
      /^Usage: npm (start|run -s inspect|run bench|run fuzz|run mutate|run lab|run workshop) -- /,
    )
    expect(help.stdout).toContain('-h, --help')
    expect(help.status).toBe(0)
  })

  test('an unknown option: one line, a blank line, the usage; exit 2, no stack trace', () => {
    const bogus = result(program, '--bogus')
    expect(bogus.stdout).toBe('')
    const [first, blank, ...rest] = bogus.stderr.split('\n')
    expect(first).toBe(`${program.name}: unknown option --bogus`)
    expect(blank).toBe('')
    expect(rest.join('\n')).toContain(usageOf(program))
    expect(bogus.stderr).not.toMatch(/^\s+at /m)
    expect(bogus.status).toBe(2)
  })
})
