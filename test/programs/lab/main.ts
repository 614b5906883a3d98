/**
 * `npm run lab`: starts the browser token lab on this machine and prints where to
 * open it. Ctrl-C stops it.
 *
 * Tests run `run(argv, env, out, err)` in-process for the argument handling and spawn
 * the real process for the rest (test/browser/cli.test.ts).
 */

import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
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

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

export type Env = Readonly<Record<string, string | undefined>>

/** A mistake in how the lab was started: one line, no stack trace. */
class UsageError extends Error {}

/** NO_COLOR (any non-empty value) wins; then FORCE_COLOR; then a terminal means colour. */
export function colourEnabled(env: Env, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  return isTTY && env.TERM !== 'dumb'
}

interface LabArgs {
  readonly help: boolean
  readonly port: number
}

export function parseLabArgs(argv: readonly string[]): LabArgs {
  let values: { help?: boolean; port?: string }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { help: { type: 'boolean', short: 'h' }, port: { type: 'string' } },
    }))
  } catch (error) {
    throw new UsageError(usageMessage(error))
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!/^\d{1,5}$/.test(values.port ?? '0') || port > 65_535) {
    throw new UsageError(
      `--port takes a number from 0 to 65535, not ${JSON.stringify(values.port)}`,
    )
  }
  return { help: values.help === true, port }
}

/** parseArgs explains itself at length; one line is enough here. */
function usageMessage(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown }
  const option = /'([^' ]+)/.exec(String(message))?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${option}`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option} needs a value`
  return String(message).split('\n')[0] as string
}

export interface Output {
  write(text: string): void
}

/** The lines `npm run lab` prints once everything listens. */
export function banner(lab: Lab, colour: boolean): string {
  const bold = (text: string): string => (colour ? `\u001b[1m${text}\u001b[22m` : text)
  const cyan = (text: string): string => (colour ? `\u001b[36m${text}\u001b[39m` : text)
  const rows: [string, string, string][] = [
    ['lab', lab.url, 'start here'],
    ['debugger', lab.debuggerUrl, 'nothing typed leaves the page'],
    ['app A', `${lab.appA.origin}/`, 'token in localStorage, sent as Authorization: Bearer'],
    ['app B', `${lab.appB.origin}/`, 'token in an HttpOnly; Secure; SameSite=Strict cookie'],
    ['app B + CSP', `${lab.appBWithCsp.origin}/`, "app B with a policy without 'unsafe-inline'"],
    ['attacker', `${lab.attacker.origin}/`, 'another site: 127.0.0.1, not localhost'],
  ]
  const lines = [bold('jose-by-hand browser token lab, on 127.0.0.1 only')]
  for (const [name, url, what] of rows)
    lines.push(`  ${name.padEnd(13)}${cyan(url.padEnd(34))}${what}`)
  lines.push('Ctrl-C stops it.', '')
  return lines.join('\n')
}

/**
 * Starts the lab, or says why not. Returns the exit code for a usage error or a
 * failed start, and the running lab otherwise.
 */
export async function run(
  argv: readonly string[],
  env: Env,
  out: Output & { isTTY?: boolean },
  err: Output,
): Promise<number | Lab> {
  let args: LabArgs
  try {
    args = parseLabArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    err.write(`lab: ${error.message}\n${USAGE}`)
    return EXIT_USAGE
  }
  if (args.help) {
    out.write(USAGE)
    return EXIT_OK
  }
  let lab: Lab
  try {
    lab = await startLab({ port: args.port })
  } catch (error) {
    const { code } = error as { code?: unknown }
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const reason = code === 'EADDRINUSE' ? 'is in use' : 'is not allowed'
      err.write(`lab: port ${args.port} ${reason}; choose another with --port, or leave it out\n`)
      return EXIT_FAILURE
    }
    throw error
  }
  out.write(banner(lab, colourEnabled(env, out.isTTY === true)))
  return lab
}

async function main(): Promise<void> {
  const result = await run(process.argv.slice(2), process.env, process.stdout, process.stderr)
  if (typeof result === 'number') {
    process.exitCode = result
    return
  }
  const stop = (): void => {
    process.stdout.write('lab stopped\n')
    result.close().then(
      () => process.exit(EXIT_OK),
      () => process.exit(EXIT_FAILURE),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

/** Whether this module is the script node was started with (and not imported by a test). */
function isEntryPoint(): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  main().catch((error: unknown) => {
    // Not a user error: a bug, with its stack, and a distinct exit code.
    process.stderr.write(
      `lab: internal error\n${error instanceof Error ? error.stack : String(error)}\n`,
    )
    process.exitCode = 3
  })
}
