/**
 * Starts a Stryker mutation run over src/ (see docs/testing.md#mutation-testing).
 *
 * Why not the `stryker` binary: StrykerJS 10 refuses to start on Node.js below 22 (a
 * version guard that runs when its CLI module loads), and this project runs on Node.js
 * 20.19+. The engine itself runs fine on Node.js 20, so this launcher loads the `Stryker`
 * class from its own module, past the guard, and passes it the configuration in
 * stryker.config.json plus a few command-line flags.
 *
 *   tsx test/campaigns/mutation/stryker.ts [--incremental] [--force] [--mutate <pattern>] [--concurrency <n>] [--help]
 */

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PartialStrykerOptions } from '@stryker-mutator/api/core'
import type { Stryker } from '@stryker-mutator/core'
import {
  EXIT,
  flag,
  parseCommandLine,
  runMain,
  UsageError,
  value,
  values,
} from '../../programs/kit/index.ts'

interface StrykerModule {
  readonly Stryker: typeof Stryker
}

const USAGE = `Usage: npm run mutate -- [options]

  --incremental       reuse reports/stryker-incremental.json: only mutants whose code or
                      tests changed run again
  --force             with --incremental: run every mutant anyway, and refresh that file
  --mutate PATTERN    replaces the mutate patterns of stryker.config.json, e.g.
                      src/json.ts or "src/json.ts:40-60" (repeatable)
  --concurrency N     test runner processes (default 2)
  -h, --help          this text

Exit codes: 0 score at or above thresholds.break, 1 below it, 2 usage error, 70 internal error.`

function optionsFromArguments(args: readonly string[]): PartialStrykerOptions | 'help' {
  const line = parseCommandLine(args, {
    help: { type: 'boolean', short: 'h' },
    incremental: { type: 'boolean' },
    force: { type: 'boolean' },
    mutate: { type: 'string', multiple: true },
    concurrency: { type: 'string' },
  })
  if (flag(line, 'help')) return 'help'
  const options: PartialStrykerOptions = {}
  if (flag(line, 'incremental')) options.incremental = true
  if (flag(line, 'force')) options.force = true
  const mutate = values(line, 'mutate')
  if (mutate.length > 0) options.mutate = mutate
  const concurrency = value(line, 'concurrency')
  if (concurrency !== undefined) {
    options.concurrency = Number(concurrency)
    if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1)
      throw new UsageError('--concurrency must be a positive integer')
  }
  return options
}

async function loadStryker(): Promise<StrykerModule> {
  const require = createRequire(import.meta.url)
  const core = dirname(require.resolve('@stryker-mutator/core/package.json'))
  // The package's entry point re-exports the CLI, whose guard would throw on load.
  const engine = pathToFileURL(join(core, 'dist', 'src', 'stryker.js')).href
  return (await import(engine)) as StrykerModule
}

async function main(argv: readonly string[]): Promise<number> {
  const options = optionsFromArguments(argv)
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return EXIT.OK
  }
  // Each mutant reruns the properties that cover it: 50 runs per property keeps a full
  // run near half an hour on two cores (test/setup.ts reads it in every worker).
  process.env.FC_NUM_RUNS ??= '50'
  const { Stryker: Engine } = await loadStryker()
  await new Engine(options).runMutationTest()
  // The score check against thresholds.break sets process.exitCode itself.
  return Number(process.exitCode ?? EXIT.OK)
}

await runMain({ name: 'mutate', usage: USAGE, run: main })
