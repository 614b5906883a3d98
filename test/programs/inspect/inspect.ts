/**
 * `npm run -s inspect -- <token>`: an offline token inspector, for the tokens people
 * really have: HS256 and dir + A256GCM as this project makes them, and the RS256,
 * ES256, RSA-OAEP and ECDH-ES tokens of identity providers.
 *
 * It takes a compact JWS or JWE apart, shows what anyone holding it can read, lists
 * every rule of this project's strict profile it breaks, and, given keys, verifies
 * each layer with every party that can (src by hand, jose configured safely) and says
 * for each layer what was proven. It never says a token is fine when nothing checked it.
 *
 * Keys come from the environment or a file, never from argv (keys.ts).
 * Tests run `INSPECT` in-process (kit/main.ts runProgram); the process entry is at the bottom.
 */

import {
  type CliIO,
  type Env,
  EXIT,
  flag,
  isEntryPoint,
  type Program,
  paletteFor,
  parseCommandLine,
  runMain,
  UsageError,
  value,
  values,
} from '../kit/index.ts'
import { cleanInput } from './input.ts'
import { inspectToken, SCHEMA } from './inspection.ts'
import { KEY_ENCODINGS, type KeyEncoding, loadKeyRing } from './keys.ts'
import { renderReport } from './report-text.ts'

export const USAGE = `Usage: npm run -s inspect -- [options] [TOKEN | -]

  TOKEN                       a compact JWS or JWE ("Bearer ", quotes and spaces are removed)
  -                           read the token from stdin (as when no TOKEN is given)
  --json                      machine-readable output (schema ${SCHEMA})
  --issuer ISS                also require this "iss" when checking claims
  --audience AUD              also require this "aud" (repeatable: any one matches)
  --key-file PATH             a shared secret for every layer (or JOSE_KEY)
  --signing-key-file PATH     the HMAC key of a JWS (or JOSE_SIGNING_KEY)
  --encryption-key-file PATH  the shared key of a JWE (or JOSE_ENCRYPTION_KEY)
  --key-encoding ENCODING     how those secrets are written: base64url (default), hex, utf8
  --public-key-file PATH      the issuer's public key, PEM or JWK (or JOSE_PUBLIC_KEY)
  --private-key-file PATH     the recipient's private key, PEM or JWK (or JOSE_PRIVATE_KEY)
  -h, --help                  what is checked, where keys come from, exit codes, examples`

export const HELP = `${USAGE}

Takes a compact JWS (3 segments) or JWE (5 segments) apart and shows its anatomy,
its header, its payload (for a JWS: readable by anyone who holds the token), the
IV, ciphertext and tag sizes (for a JWE), and every strictness violation found:
non-canonical base64url, byte-order marks, invalid UTF-8, duplicate member names,
lone surrogates, alg/enc, zip, crit, IV/tag sizes, the length cap, registered
claim types, and exp/nbf against the current time.

Offline: the token never leaves this machine. Nothing is sent anywhere, unlike
pasting a production token into a website.

Verifying. Each layer gets one status, and the result says it for every layer:
  VERIFIED      its signature or tag was checked and accepted, and its claims with it
  NOT VERIFIED  no key for it was given (or none that fits): nothing is proven
  REJECTED      a verifier checked it and refused it
Who verifies what:
  HS256 JWS          src and jose (safe options): verifyCompact, then verifyJwt
  dir + A256GCM JWE  src and jose (safe options): decryptCompact, then decryptJwt
  nested JWE         both layers, one by one, then decryptThenVerify (needs both keys)
  RS*, PS*, ES*, EdDSA JWS, and RSA-OAEP*, ECDH-ES*, A*KW, A*CBC-HS* JWE
                     jose alone (src: "not implemented here"), with algorithms
                     pinned by the key's type, never by the token (RFC 8725 §3.1)
A secret too short for HS256 is refused by src and jose (safe options); jose
(defaults), as the blog post calls it, then says whether the MAC matches.

Keys are NEVER read from the command line: arguments end up in shell history and
in the process list. Shared secrets come from the environment:
  JOSE_KEY              one key for everything
  JOSE_SIGNING_KEY      the HMAC key (a JWS, or the inner JWS of a nested token)
  JOSE_ENCRYPTION_KEY   the shared key of a JWE ("dir", A256KW, …)
or from files (a file replaces the variable of the same role):
  --key-file PATH, --signing-key-file PATH, --encryption-key-file PATH
written as --key-encoding says: base64url (the default), hex, or utf8 for a text
secret such as a passphrase (flagged as a weak key: RFC 7518 §3.2, RFC 8725 §3.5).
A key file with a byte outside printable ASCII is raw key bytes (head -c 32
/dev/urandom > key.bin). One trailing newline is ignored.
Key pairs, as PEM or JWK, from a file or the environment:
  --public-key-file PATH, JOSE_PUBLIC_KEY    PEM "PUBLIC KEY" or "CERTIFICATE", a JWK,
                                             or a JWK Set (the key named by "kid")
  --private-key-file PATH, JOSE_PRIVATE_KEY  PEM "PRIVATE KEY", or a private JWK

Exit codes:
  0   VERIFIED: every layer checked and accepted, and no violations
  1   REJECTED, or violations found (src would refuse the token), or a weak key
  2   usage error: bad option, a key on the command line, an unreadable key, no input
  3   NOT VERIFIED: no violations, but at least one layer had no usable key
  70  internal error (a bug: please report it)

Examples:
  npm run -s inspect -- "$TOKEN"
  npm run -s inspect -- "Bearer $TOKEN"
  JOSE_KEY=$(cat key.b64u) npm run -s inspect -- "$TOKEN"
  JOSE_KEY=signing-secret npm run -s inspect -- --key-encoding utf8 "$TOKEN"
  npm run -s inspect -- --public-key-file issuer.pem --audience api "$ID_TOKEN"
  pbpaste | npm run -s inspect -- --json --key-file key.bin
`

const MAX_STDIN_BYTES = 1024 * 1024

// Options that would put a secret in argv. Refused whatever their value, and the
// value is never echoed back.
const KEY_ON_ARGV =
  /^--?(key|secret|password|jose-key|signing-key|encryption-key|private-key|k)(=|$)/i

const KEY_ON_ARGV_REFUSAL =
  'keys are not accepted on the command line: arguments are saved in shell history and shown to every user in the process list (ps). Put the key in JOSE_KEY (base64url) or in a file and pass --key-file PATH.'

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  issuer: { type: 'string' },
  audience: { type: 'string', multiple: true },
  'key-file': { type: 'string' },
  'signing-key-file': { type: 'string' },
  'encryption-key-file': { type: 'string' },
  'key-encoding': { type: 'string' },
  'public-key-file': { type: 'string' },
  'private-key-file': { type: 'string' },
} as const

/** The value of option `name`, refusing an empty one (`--key-file=`). */
function nonEmpty(given: string | undefined, name: string): string | undefined {
  if (given === '') throw new UsageError(`--${name} needs a value`)
  return given
}

function keyEncoding(given: string | undefined): KeyEncoding {
  if (given === undefined) return 'base64url'
  const encoding = KEY_ENCODINGS.find((name) => name === given)
  if (encoding === undefined) {
    throw new UsageError(`--key-encoding must be one of ${KEY_ENCODINGS.join(', ')}`)
  }
  return encoding
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

/**
 * The inspector as a function: `argv` without node and script, the environment, the
 * streams, and the clock (tests fix it).
 */
export async function inspect(
  argv: readonly string[],
  env: Env,
  io: CliIO,
  now: Date = new Date(),
): Promise<number> {
  for (const arg of argv) {
    if (arg === '--') break
    if (KEY_ON_ARGV.test(arg)) throw new UsageError(KEY_ON_ARGV_REFUSAL)
  }
  const line = parseCommandLine(argv, OPTIONS, { maxPositionals: Number.POSITIVE_INFINITY })
  if (flag(line, 'help')) {
    io.out(HELP)
    return EXIT.OK
  }
  if (line.positionals.length > 1) throw new UsageError('one token at a time, please')
  // Keys first: a bad key is a usage error, reported before any output.
  const files = {
    keyFile: nonEmpty(value(line, 'key-file'), 'key-file'),
    signingKeyFile: nonEmpty(value(line, 'signing-key-file'), 'signing-key-file'),
    encryptionKeyFile: nonEmpty(value(line, 'encryption-key-file'), 'encryption-key-file'),
    publicKeyFile: nonEmpty(value(line, 'public-key-file'), 'public-key-file'),
    privateKeyFile: nonEmpty(value(line, 'private-key-file'), 'private-key-file'),
  }
  const keys = loadKeyRing(env, files, keyEncoding(value(line, 'key-encoding')))
  const positional = line.positionals[0]
  const dash = positional === '-'
  if (positional === undefined && io.stdinIsTTY) {
    throw new UsageError('no token given: pass it as an argument, or pipe it on stdin')
  }
  const raw = positional === undefined || dash ? await readToken(io) : positional
  const { token, notes } = cleanInput(raw)
  if (token === '') throw new UsageError('the token is empty')
  const audience = values(line, 'audience')
  const report = await inspectToken(token, notes, now, keys, {
    issuer: value(line, 'issuer'),
    audience: audience.length === 0 ? undefined : audience,
  })
  if (flag(line, 'json')) io.out(`${JSON.stringify(report, null, 2)}\n`)
  else io.out(renderReport(report, paletteFor({ env, isTTY: io.stdoutIsTTY }), io.columns))
  return report.exitCode
}

export const INSPECT: Program = {
  name: 'inspect',
  usage: USAGE,
  run: (argv, env, io) => inspect(argv, env, io),
}

if (isEntryPoint(import.meta.url)) await runMain(INSPECT)
