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
import { type CheckReport, differentialProperties, srcSubject } from '../differential/properties.ts'
import { createDivergenceLog, LEDGER } from './ledger.ts'

interface Options {
  minutes: number | undefined
  runs: number | undefined
  seed: number
  only: string | undefined
  json: string | undefined
  /** Cases per unit of weight in one round. */
  chunk: number
}

function usage(problem: string): never {
  process.stderr.write(
    `${problem}\nusage: npm run fuzz -- [--minutes M] [--runs N] [--seed S] [--only GROUP|ID] [--chunk C] [--json FILE]\n`,
  )
  process.exit(2)
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    minutes: undefined,
    runs: undefined,
    seed: Date.now() % 2_147_483_647,
    only: undefined,
    json: undefined,
    chunk: 50,
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[i + 1]
    if (value === undefined) usage(`missing value after ${flag}`)
    i++
    const number = Number(value)
    if (flag === '--minutes') {
      if (!(number > 0)) usage('--minutes must be a positive number')
      options.minutes = number
    } else if (flag === '--runs') {
      if (!Number.isSafeInteger(number) || number < 1) usage('--runs must be a positive integer')
      options.runs = number
    } else if (flag === '--seed') {
      if (!Number.isSafeInteger(number)) usage('--seed must be an integer')
      options.seed = number
    } else if (flag === '--chunk') {
      if (!Number.isSafeInteger(number) || number < 1) usage('--chunk must be a positive integer')
      options.chunk = number
    } else if (flag === '--only') {
      options.only = value
    } else if (flag === '--json') {
      options.json = value
    } else {
      usage(`unknown option ${flag}`)
    }
  }
  if (options.minutes === undefined && options.runs === undefined) options.runs = 100_000
  return options
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

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2))
  const log = createDivergenceLog()
  const properties = differentialProperties(srcSubject, log).filter(
    (property) =>
      options.only === undefined || property.group === options.only || property.id === options.only,
  )
  if (properties.length === 0) usage(`no property matches --only ${options.only}`)
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
  return failures.length === 0 ? 0 : 1
}

process.exitCode = await main()
