/**
 * `npm run lab`: starts the browser token lab on this machine and prints where to
 * open it. Ctrl-C stops it.
 *
 * It is a program of the terminal kit (test/programs/kit/), so its options, errors and
 * exit codes behave as every other program's. Tests run `startFromCommandLine` in-process
 * and spawn the real process for the rest (test/browser/cli.test.ts).
 */

import {
  type CliIO,
  type Env,
  EXIT,
  flag,
  isEntryPoint,
  type Palette,
  type Program,
  paletteFor,
  parseCommandLine,
  runMain,
  UsageError,
  value,
} from '../kit/index.ts'
import { type Lab, startLab } from './lab.ts'

export const USAGE = `Usage: npm run lab -- [--port <n>]

Starts the browser token lab on 127.0.0.1 (this machine only): a token debugger,
two copies of a demo app that keep the token in localStorage and in an HttpOnly
cookie, the same app with a Content-Security-Policy, and an attacker on another
site. docs/09-where-the-token-lives.md walks through it.

Options:
  --port <n>   the lab page's port (default: a free port); the apps and the
               attacker always take free ports, listed at start
  -h, --help   this text

Ctrl-C stops the lab.
`

/** The lines `npm run lab` prints once everything listens. */
export function banner(lab: Lab, palette: Palette): string {
  const rows: [string, string, string][] = [
    ['lab', lab.url, 'start here'],
    ['debugger', lab.debuggerUrl, 'nothing typed leaves the page'],
    ['app A', `${lab.appA.origin}/`, 'token in localStorage, sent as Authorization: Bearer'],
    ['app B', `${lab.appB.origin}/`, 'token in an HttpOnly; Secure; SameSite=Strict cookie'],
    ['app B + CSP', `${lab.appBWithCsp.origin}/`, "app B with a policy without 'unsafe-inline'"],
    ['attacker', `${lab.attacker.origin}/`, 'another site: 127.0.0.1, not localhost'],
  ]
  const lines = [palette.bold('jose-by-hand browser token lab, on 127.0.0.1 only')]
  for (const [name, url, what] of rows)
    lines.push(`  ${name.padEnd(13)}${palette.cyan(url.padEnd(34))}${what}`)
  lines.push('Ctrl-C stops it.', '')
  return lines.join('\n')
}

/** Reads the command line: the port, 0 (any free port) when none is given. */
export function parsePort(argv: readonly string[]): {
  readonly help: boolean
  readonly port: number
} {
  const line = parseCommandLine(argv, {
    help: { type: 'boolean', short: 'h' },
    port: { type: 'string' },
  })
  const given = value(line, 'port')
  if (given !== undefined && (!/^\d{1,5}$/.test(given) || Number(given) > 65_535)) {
    throw new UsageError(`--port takes a number from 0 to 65535, not ${JSON.stringify(given)}`)
  }
  return { help: flag(line, 'help'), port: given === undefined ? 0 : Number(given) }
}

/**
 * Starts the lab, or says why not: an exit code for `--help` or a failed start, the
 * running lab otherwise. Throws UsageError for a mistake in the command line.
 */
export async function startFromCommandLine(
  argv: readonly string[],
  env: Env,
  io: CliIO,
): Promise<number | Lab> {
  const args = parsePort(argv)
  if (args.help) {
    io.out(USAGE)
    return EXIT.OK
  }
  let lab: Lab
  try {
    lab = await startLab({ port: args.port })
  } catch (error) {
    const { code } = error as { code?: unknown }
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error
    const reason = code === 'EADDRINUSE' ? 'is in use' : 'is not allowed'
    io.err(`lab: port ${args.port} ${reason}; choose another with --port, or leave it out\n`)
    return EXIT.FAILURE
  }
  io.out(banner(lab, paletteFor({ env, isTTY: io.stdoutIsTTY })))
  return lab
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function stopRequested(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

export const LAB: Program = {
  name: 'lab',
  usage: USAGE,
  async run(argv, env, io): Promise<number> {
    const started = await startFromCommandLine(argv, env, io)
    if (typeof started === 'number') return started
    await stopRequested()
    await started.close()
    io.out('lab stopped\n')
    return EXIT.OK
  },
}

if (isEntryPoint(import.meta.url)) await runMain(LAB)
