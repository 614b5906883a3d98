/**
 * The terminal kit: what every program a person runs here (the tour, the inspector,
 * the browser lab, the workshop, the bench, fuzz and mutate launchers) needs from a
 * terminal, in one place, so that they all behave alike.
 *
 * Programs
 *   A program is `{ name, usage, run(argv, env, io) }` (`Program`). `run` returns an
 *   exit code and throws `UsageError` for a mistake in the command line.
 *   `runMain(program)` runs it as the process; `runProgram(program, argv, env, io)`
 *   runs it in-process (tests). Either way a UsageError prints
 *   "<name>: <message>", a blank line and the usage, exit 2; anything else prints a
 *   short internal-error report (what, where, node version), exit 70. No stack traces.
 *   `isEntryPoint(import.meta.url)` tells a module it was started as the script.
 *
 * Exit codes (`EXIT`): OK 0, FAILURE 1, USAGE 2, NOT_VERIFIED 3, INTERNAL 70.
 *
 * Command lines
 *   `parseCommandLine(argv, { help: { type: 'boolean', short: 'h' }, … }, { maxPositionals })`
 *   is node:util parseArgs in strict mode, with one-line errors of our own ("unknown
 *   option --bogus", "--minutes needs a value"). Read it with `flag`, `value`, `values`.
 *
 * Streams
 *   `CliIO`: `out`, `err`, `stdoutIsTTY`, `stdinIsTTY`, `columns` (undefined off a
 *   terminal), `readAll(limit)`, `readKey()` (raw mode, one key). `processIO()` is the
 *   real process; `createMemoryIO({ stdin, keys, stdoutIsTTY, columns, … })` is for tests.
 *
 * Colour
 *   `paletteFor({ env, isTTY })` gives a `Palette` (`red`, `green`, `yellow`, `magenta`,
 *   `cyan`, `bold`, `dim`): NO_COLOR (non-empty) wins, then FORCE_COLOR (unless 0 or
 *   false), then colour only on a terminal that is not TERM=dumb. `PLAIN` never colours.
 *
 * Text
 *   `wrap(text, columns, hangingIndent)` and `wrapLine` break at spaces, and inside a
 *   word (a token) only when it is longer than a line; colour codes take no width.
 *   `columns(rows)`, `indent`, `count(n, unit)`, `hex`, `shorten`, `relativeTime`, `isoTime`.
 *
 * The workshop (test/workshop/cli.ts) uses the same kit for its colour, exit codes and
 * command lines.
 */

export {
  type CommandLine,
  flag,
  type OptionSpecs,
  parseCommandLine,
  value,
  values,
} from './args.ts'
export {
  COLOUR,
  colourEnabled,
  type Env,
  type Palette,
  PLAIN,
  paletteFor,
  type Style,
  stripColour,
} from './colour.ts'
export { EXIT } from './exit.ts'
export {
  columns,
  count,
  hex,
  indent,
  isoTime,
  padEnd,
  relativeTime,
  shorten,
} from './format.ts'
export { type CliIO, processIO } from './io.ts'
export { isEntryPoint, type Program, runMain, runProgram, UsageError } from './main.ts'
export { createMemoryIO, type MemoryIO, type MemoryIOOptions } from './memory-io.ts'
export { visibleWidth, wrap, wrapLine } from './wrap.ts'
