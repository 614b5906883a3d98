/**
 * A long fuzz campaign over every differential property, in one process:
 *
 *   npm run fuzz -- --minutes 30
 *   npm run fuzz -- --runs 1000000 [--seed 42] [--only tampering] [--json summary.json]
 *
 * The properties are the very ones the vitest suite runs (test/differential/properties.ts).
 * The campaign runs them in rounds, each property getting cases in proportion to its
 * weight, every chunk with its own seed so that any failure can be replayed alone.
 * It prints a progress line per round and a summary: cases per property, divergences
 * explained by the ledger (per row), and failures. Any failure is a divergence the ledger
 * does not explain (or a plain bug): the exit code is then 1.
 */

import { writeFileSync } from 'node:fs'
import fc from 'fast-check'
import { type CheckReport, differentialProperties, SRC } from '../../differential/properties.ts'
import {
  type CommandLine,
  EXIT,
  flag,
  parseCommandLine,
  runMain,
  UsageError,
  value,
} from '../../programs/kit/index.ts'
import { createDivergenceLog, LEDGER } from '../../support/ledger.ts'

interface Options {
  minutes: number | undefined
  runs: number | undefined
  seed: number
  only: string | undefined
  json: string | undefined
  /** Cases per unit of weight in one round. */
  chunk: number
}

const USAGE = `Usage: npm run fuzz -- [options]

  --minutes M      stop after M minutes
  --runs N         stop after N cases (default 100000 when neither is given)
  --seed S         the campaign's seed (default: from the clock; printed at the start)
  --only GROUP|ID  only the properties of this group, or this one property
  --chunk C        cases per unit of weight in one round (default 50)
  --json FILE      also write the summary to FILE
  -h, --help       this text

Exit codes: 0 no unexplained divergence, 1 at least one, 2 usage error, 70 internal error.`

/** The number given for --`name`, checked by `isValid`; undefined when the option is absent. */
function numberOption(
  line: CommandLine,
  name: string,
  isValid: (n: number) => boolean,
  rule: string,
): number | undefined {
  const text = value(line, name)
  if (text === undefined) return undefined
  if (!isValid(Number(text))) throw new UsageError(`--${name} must be ${rule}`)
  return Number(text)
}

function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const line = parseCommandLine(argv, {
    help: { type: 'boolean', short: 'h' },
    minutes: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    only: { type: 'string' },
    chunk: { type: 'string' },
    json: { type: 'string' },
  })
  if (flag(line, 'help')) return 'help'
  const minutes = numberOption(line, 'minutes', (n) => n > 0, 'a positive number')
  const runs = numberOption(line, 'runs', isPositiveInteger, 'a positive integer')
  return {
    minutes,
    runs: minutes === undefined && runs === undefined ? 100_000 : runs,
    seed:
      numberOption(line, 'seed', Number.isSafeInteger, 'an integer') ?? Date.now() % 2_147_483_647,
    only: value(line, 'only'),
    json: value(line, 'json'),
    chunk: numberOption(line, 'chunk', isPositiveInteger, 'a positive integer') ?? 50,
  }
}

interface Tally {
  cases: number
  skips: number
  failures: number
  millis: number
}

function formatDuration(millis: number): string {
  const seconds = Math.round(millis / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv)
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return EXIT.OK
  }
  const log = createDivergenceLog()
  const properties = differentialProperties(SRC, log).filter(
    (property) =>
      options.only === undefined || property.group === options.only || property.id === options.only,
  )
  if (properties.length === 0) throw new UsageError(`no property matches --only ${options.only}`)
  const tallies = new Map<string, Tally>(
    properties.map((property) => [property.id, { cases: 0, skips: 0, failures: 0, millis: 0 }]),
  )
  const failures: string[] = []
  const started = Date.now()
  const deadline =
    options.minutes === undefined ? Number.POSITIVE_INFINITY : started + options.minutes * 60_000
  const target = options.runs ?? Number.POSITIVE_INFINITY
  let total = 0
  let round = 0

  process.stdout.write(
    `fuzz campaign: seed ${options.seed}, ${properties.length} properties, ` +
      `${options.runs === undefined ? '' : `target ${options.runs} cases`}` +
      `${options.minutes === undefined ? '' : ` limit ${options.minutes} min`}, node ${process.version}\n`,
  )

  while (total < target && Date.now() < deadline) {
    for (let index = 0; index < properties.length; index++) {
      const property = properties[index]
      if (property === undefined) continue
      const tally = tallies.get(property.id) as Tally
      // Each chunk has its own seed: a failure is replayed with that seed and its path.
      const seed = (options.seed + round * 1_000 + index) % 2_147_483_647
      const before = Date.now()
      const report: CheckReport = await property.check({
        numRuns: property.weight * options.chunk,
        seed,
        verbose: fc.VerbosityLevel.Verbose,
      })
      tally.millis += Date.now() - before
      tally.cases += report.numRuns
      tally.skips += report.numSkips
      total += report.numRuns
      if (report.failed) {
        tally.failures++
        failures.push(report.message)
        process.stdout.write(
          `\nFAILURE in ${property.id} (chunk seed ${seed}):\n${report.message}\n\n`,
        )
      }
    }
    round++
    const elapsed = Date.now() - started
    const explained = [...log.counts.values()].reduce((sum, n) => sum + n, 0)
    process.stdout.write(
      `[${formatDuration(elapsed)}] round ${round}: ${total} cases ` +
        `(${Math.round((total * 1000) / Math.max(elapsed, 1))}/s), ` +
        `${explained} ledger divergences, ${failures.length} failures\n`,
    )
  }

  const duration = Date.now() - started
  process.stdout.write(
    `\nSummary: ${total} cases in ${formatDuration(duration)}, seed ${options.seed}\n`,
  )
  process.stdout.write('cases per property:\n')
  for (const property of properties) {
    const tally = tallies.get(property.id) as Tally
    process.stdout.write(
      `  ${property.id.padEnd(40)} ${String(tally.cases).padStart(9)} cases` +
        `${tally.skips === 0 ? '' : `, ${tally.skips} skipped`}` +
        `, ${formatDuration(tally.millis)}${tally.failures === 0 ? '' : `, ${tally.failures} FAILED`}\n`,
    )
  }
  process.stdout.write('divergences explained by the ledger (docs/divergences.md):\n')
  for (const row of LEDGER) {
    const count = log.counts.get(row.id)
    if (count !== undefined)
      process.stdout.write(`  ${row.id.padEnd(40)} ${String(count).padStart(9)}\n`)
  }
  if (log.counts.size === 0) process.stdout.write('  none\n')
  process.stdout.write(
    failures.length === 0
      ? 'unexplained divergences: none\n'
      : `unexplained divergences or failures: ${failures.length} (see FAILURE above)\n`,
  )

  if (options.json !== undefined) {
    const summary = {
      date: new Date(started).toISOString(),
      seed: options.seed,
      durationSeconds: Math.round(duration / 1000),
      totalCases: total,
      node: process.version,
      properties: Object.fromEntries(tallies),
      ledgerDivergences: Object.fromEntries(log.counts),
      failures,
    }
    writeFileSync(options.json, `${JSON.stringify(summary, null, 2)}\n`)
  }
  return failures.length === 0 ? EXIT.OK : EXIT.FAILURE
}

await runMain({ name: 'fuzz', usage: USAGE, run: main })
