/**
 * `npm run bench`: HS256, dir + A256GCM and nested tokens, src against jose, fast-jwt,
 * jsonwebtoken and the raw node:crypto floor, in one process.
 *
 *   npm run bench                      full run, plain-text tables
 *   npm run bench -- --markdown        the results section of docs/benchmarks.md, on stdout
 *   npm run bench -- --update-docs     the same, written into docs/benchmarks.md
 *   npm run bench -- --smoke           a few iterations of every case (what npm test runs)
 *   npm run bench -- --rounds 11 --time 300 --filter hs256
 */

import { readFileSync, writeFileSync } from 'node:fs'
import {
  EXIT,
  flag,
  parseCommandLine,
  runMain,
  UsageError,
  value,
} from '../../programs/kit/index.ts'
import { FULL_OPTIONS, type HarnessOptions, SMOKE_OPTIONS } from './harness.ts'
import { formatTime, markdownReport, plainReport, replaceResultsSection } from './report.ts'
import { runSuite } from './suite.ts'

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`--${name} must be a positive number`)
  return number
}

const USAGE = `Usage: npm run bench -- [options]

  --smoke          a few iterations of every case (what npm test runs)
  --markdown       print the results section of docs/benchmarks.md
  --update-docs    write that section into docs/benchmarks.md
  --rounds N       interleaved rounds per case (default 7)
  --time MS        time per contender per round, in milliseconds (default 150)
  --filter TEXT    only the cases whose id contains TEXT (e.g. hs256, jwe, nested, sweep)
  -h, --help       this text

Ratios are taken within each round and the median is reported: on a shared machine,
absolute times drift but ratios measured side by side hold.`

async function main(argv: readonly string[]): Promise<number> {
  const line = parseCommandLine(argv, {
    help: { type: 'boolean', short: 'h' },
    smoke: { type: 'boolean' },
    markdown: { type: 'boolean' },
    'update-docs': { type: 'boolean' },
    rounds: { type: 'string' },
    time: { type: 'string' },
    filter: { type: 'string' },
  })
  if (flag(line, 'help')) {
    process.stdout.write(`${USAGE}\n`)
    return EXIT.OK
  }
  const base = flag(line, 'smoke') ? SMOKE_OPTIONS : FULL_OPTIONS
  const harness: HarnessOptions = {
    ...base,
    rounds: Math.round(positiveNumber('rounds', value(line, 'rounds'), base.rounds)),
    timeMs: positiveNumber('time', value(line, 'time'), base.timeMs),
  }
  const filter = value(line, 'filter')
  const result = await runSuite({
    harness,
    ...(filter === undefined ? {} : { filter }),
    onCase(caseResult) {
      const medians = caseResult.contenders
        .map((contender) => `${contender.name} ${formatTime(contender.medianMs)}`)
        .join(', ')
      process.stderr.write(`${caseResult.benchCase.id}: ${medians}\n`)
    },
  })
  process.stderr.write(`sanity: ${result.checked} contenders verified with jose before timing\n\n`)
  if (flag(line, 'update-docs')) {
    const page = new URL('../../../docs/benchmarks.md', import.meta.url)
    writeFileSync(page, replaceResultsSection(readFileSync(page, 'utf8'), markdownReport(result)))
    process.stderr.write('docs/benchmarks.md: results section rewritten\n')
  }
  process.stdout.write(`${flag(line, 'markdown') ? markdownReport(result) : plainReport(result)}\n`)
  return EXIT.OK
}

// A usage mistake gets one line and the usage; a crash, a short report (kit/main.ts).
await runMain({ name: 'bench', usage: USAGE, run: main })
