/**
 * `npm run inspect -- <token>`: an offline token inspector.
 *
 * It takes a compact JWS or JWE apart, shows what anyone holding it can read, lists
 * every rule of this project's strict profile it breaks, and, given a key, runs both
 * implementations (src, by hand, and jose) on it and shows their verdicts side by side.
 *
 * Keys come from the environment or a file, never from argv (reference/cli/keys.ts).
 * Tests call `run(argv, env, io)` in-process; the process entry is at the bottom.
 */

import type { Env } from './cli/colour.ts'
import { paletteFor } from './cli/colour.ts'
import { inspectToken } from './cli/inspection.ts'
import type { CliIO } from './cli/io.ts'
import { type KeyFiles, loadKeyRing } from './cli/keys.ts'
import { EXIT_OK, isEntryPoint, main, UsageError } from './cli/main.ts'
import { renderReport } from './cli/report-text.ts'

export const HELP = `Usage: npm run inspect -- [options] [token | -]

Takes a compact JWS (3 segments) or JWE (5 segments) apart and shows its anatomy,
its header, its payload (for a JWS: readable by anyone who holds the token), the
IV, ciphertext and tag sizes (for a JWE), and every strictness violation found:
non-canonical base64url, byte-order marks, invalid UTF-8, duplicate member names,
lone surrogates, unsupported alg/enc, zip, crit, IV/tag sizes, the length cap,
registered claim types, and exp/nbf against the current time.

Offline: the token never leaves this machine. Nothing is sent anywhere, unlike
pasting a production token into a website.

The token is the argument; with no argument, or with -, it is read from stdin
(one trailing newline is ignored).

Verifying: given a key, the token is verified or decrypted by BOTH implementations
(src, written by hand, and jose) and their verdicts are shown side by side:
  JWS         verifyCompact, then verifyJwt if the payload is a JSON object
  JWE         decryptCompact, then decryptJwt if the plaintext is a JSON object
  nested JWE  decryptCompact, then decryptThenVerify (cty "JWT"; needs both keys)
Keys are NEVER read from the command line: arguments end up in shell history and
in the process list. Give them in the environment, as base64url:
  JOSE_KEY              one key for everything
  JOSE_SIGNING_KEY      the HMAC key (a JWS, or the inner JWS of a nested token)
  JOSE_ENCRYPTION_KEY   the "dir" key of a JWE
or in files (a file replaces the variable of the same role):
  --key-file PATH, --signing-key-file PATH, --encryption-key-file PATH
A key file holds base64url text (printable ASCII, one trailing newline allowed)
or raw key bytes (any file with a byte outside printable ASCII, such as the
output of: head -c 32 /dev/urandom > key.bin).

Options:
  --json            machine-readable output (schema "jose-by-hand/inspect@1",
                    documented in reference/cli/inspection.ts)
  --issuer ISS      also require this "iss" when verifying claims
  --audience AUD    also require this "aud" (repeatable: any one matches)
  -h, --help        this text

Exit codes:
  0  inspected: no violations, and every verification that ran accepted
  1  violations found, or an implementation rejected the token
  2  usage error: bad option, a key on the command line, unreadable key, no input
  3  internal error (a bug: please report it)

Examples:
  npm run inspect -- eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln...
  JOSE_KEY=$(cat key.b64u) npm run inspect -- "$TOKEN"
  pbpaste | npm run inspect -- --json --key-file key.bin
`

const MAX_STDIN_BYTES = 1024 * 1024

// Options that would put a secret in argv. Refused whatever their value, and the
// value is never echoed back.
const KEY_ON_ARGV = /^--?(key|secret|password|jose-key|signing-key|encryption-key|k)(=|$)/i

const KEY_ON_ARGV_REFUSAL =
  'keys are not accepted on the command line: arguments are saved in shell history and shown to every user in the process list (ps). Put the key in JOSE_KEY (base64url) or in a file and pass --key-file PATH.'

interface InspectArgs {
  help: boolean
  json: boolean
  /** The token, or undefined to read stdin. */
  token: string | undefined
  /** '-' was given: read stdin even from a terminal. */
  dash: boolean
  files: KeyFiles
  issuer: string | undefined
  audience: string[] | undefined
}

const VALUE_OPTIONS = [
  '--key-file',
  '--signing-key-file',
  '--encryption-key-file',
  '--issuer',
  '--audience',
]

/** Parses argv; throws a UsageError for anything it does not understand. */
export function parseArgs(argv: readonly string[]): InspectArgs {
  const args: InspectArgs = {
    help: false,
    json: false,
    token: undefined,
    dash: false,
    files: {},
    issuer: undefined,
    audience: undefined,
  }
  const files: { keyFile?: string; signingKeyFile?: string; encryptionKeyFile?: string } = {}
  const positional: string[] = []
  let onlyPositional = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (onlyPositional || arg === '-' || !arg.startsWith('-')) {
      positional.push(arg)
      continue
    }
    if (arg === '--') {
      onlyPositional = true
      continue
    }
    if (KEY_ON_ARGV.test(arg)) throw new UsageError(KEY_ON_ARGV_REFUSAL)
    if (arg === '-h' || arg === '--help') {
      args.help = true
      continue
    }
    if (arg === '--json') {
      args.json = true
      continue
    }
    const equals = arg.indexOf('=')
    const name = equals === -1 ? arg : arg.slice(0, equals)
    if (!VALUE_OPTIONS.includes(name)) throw new UsageError(`unknown option ${name}`)
    let value: string
    if (equals !== -1) {
      value = arg.slice(equals + 1)
    } else {
      const next = argv[i + 1]
      if (next === undefined) throw new UsageError(`${name} needs a value`)
      value = next
      i++
    }
    if (value === '') throw new UsageError(`${name} needs a value`)
    if (name === '--key-file') files.keyFile = value
    else if (name === '--signing-key-file') files.signingKeyFile = value
    else if (name === '--encryption-key-file') files.encryptionKeyFile = value
    else if (name === '--issuer') args.issuer = value
    else args.audience = [...(args.audience ?? []), value]
  }
  args.files = files
  if (positional.length > 1) throw new UsageError('one token at a time, please')
  args.dash = positional[0] === '-'
  args.token = args.dash ? undefined : positional[0]
  return args
}

/** The token from stdin: one trailing newline (LF or CRLF), as `echo` and editors add, is dropped. */
async function readToken(io: CliIO): Promise<string> {
  if (io.stdinIsTTY) {
    io.err('Paste the token, then press Enter and Ctrl-D:\n')
  }
  const input = await io.readAll(MAX_STDIN_BYTES)
  if (input === undefined) {
    throw new UsageError(
      `stdin holds more than ${MAX_STDIN_BYTES} bytes; no token is that long (the default cap is 65,536 characters)`,
    )
  }
  let token = input
  if (token.endsWith('\n')) token = token.slice(0, -1)
  if (token.endsWith('\r')) token = token.slice(0, -1)
  if (token === '') throw new UsageError('no token: stdin was empty')
  return token
}

/** The inspector as a function: `argv` without node and script, the environment, the streams. */
export async function run(
  argv: readonly string[],
  env: Env,
  io: CliIO,
  now: Date = new Date(),
): Promise<number> {
  const args = parseArgs(argv)
  if (args.help) {
    io.out(HELP)
    return EXIT_OK
  }
  // Keys first: a bad key is a usage error, reported before any output.
  const keys = loadKeyRing(env, args.files)
  if (args.token === undefined && !args.dash && io.stdinIsTTY) {
    throw new UsageError('no token given: pass it as an argument, or pipe it on stdin')
  }
  const token = args.token ?? (await readToken(io))
  if (token === '') throw new UsageError('the token is empty')
  const report = await inspectToken(token, now, keys, {
    issuer: args.issuer,
    audience: args.audience,
  })
  if (args.json) io.out(`${JSON.stringify(report, null, 2)}\n`)
  else io.out(renderReport(report, paletteFor({ env, isTTY: io.stdoutIsTTY })))
  return report.exitCode
}

if (isEntryPoint(import.meta.url)) await main('inspect', run)
