/**
 * `npm run bench`: HS256, dir + A256GCM and nested tokens, ours against jose, fast-jwt,
 * jsonwebtoken and the raw node:crypto floor, in one process.
 *
 *   npm run bench                      full run, plain-text tables
 *   npm run bench -- --markdown        the results section of docs/benchmarks.md, on stdout
 *   npm run bench -- --update-docs     the same, written into docs/benchmarks.md
 *   npm run bench -- --smoke           a few iterations of every case (what npm test runs)
 *   npm run bench -- --rounds 11 --time 300 --filter hs256
 */

import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { FULL_OPTIONS, type HarnessOptions, SMOKE_OPTIONS } from './harness.ts'
import { formatTime, markdownReport, plainReport, replaceResultsSection } from './report.ts'
import { runSuite } from './suite.ts'

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0)
    throw new Error(`--${name} must be a positive number`)
  return number
}

const USAGE = `usage: npm run bench -- [options]

  --smoke          a few iterations of every case (what npm test runs)
  --markdown       print the results section of docs/benchmarks.md
  --update-docs    write that section into docs/benchmarks.md
  --rounds N       interleaved rounds per case (default 7)
  --time MS        time per contender per round, in milliseconds (default 150)
  --filter TEXT    only the cases whose id contains TEXT (e.g. hs256, jwe, nested, sweep)
  --help           this text

Ratios are taken within each round and the median is reported: on a shared machine,
absolute times drift but ratios measured side by side hold.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      'update-docs': { type: 'boolean', default: false },
      rounds: { type: 'string' },
      time: { type: 'string' },
      filter: { type: 'string' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const base = values.smoke ? SMOKE_OPTIONS : FULL_OPTIONS
  const harness: HarnessOptions = {
    ...base,
    rounds: Math.round(positiveNumber('rounds', values.rounds, base.rounds)),
    timeMs: positiveNumber('time', values.time, base.timeMs),
  }
  const result = await runSuite({
    harness,
    ...(values.filter === undefined ? {} : { filter: values.filter }),
    onCase(caseResult) {
      const medians = caseResult.contenders
        .map((contender) => `${contender.name} ${formatTime(contender.medianMs)}`)
        .join(', ')
      process.stderr.write(`${caseResult.benchCase.id}: ${medians}\n`)
    },
  })
  process.stderr.write(`sanity: ${result.checked} contenders verified with jose before timing\n\n`)
  if (values['update-docs']) {
    const page = new URL('../../docs/benchmarks.md', import.meta.url)
    writeFileSync(page, replaceResultsSection(readFileSync(page, 'utf8'), markdownReport(result)))
    process.stderr.write('docs/benchmarks.md: results section rewritten\n')
  }
  process.stdout.write(`${values.markdown ? markdownReport(result) : plainReport(result)}\n`)
}

main().catch((error: unknown) => {
  // A usage mistake gets its message and the usage, not a stack trace.
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  console.error(error)
  process.exitCode = 1
})
