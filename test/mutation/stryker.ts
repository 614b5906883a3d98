/**
 * Starts a Stryker mutation run over src/ (see docs/testing.md#mutation-testing).
 *
 * Why not the `stryker` binary: StrykerJS 10 refuses to start on Node.js below 22 (a
 * version guard that runs when its CLI module loads), and this project runs on Node.js
 * 20.19+. The engine itself runs fine on Node.js 20, so this launcher loads the `Stryker`
 * class from its own module, past the guard, and passes it the configuration in
 * stryker.config.json plus a few command-line flags.
 *
 *   tsx test/mutation/stryker.ts [--incremental] [--force] [--mutate <pattern>] [--concurrency <n>]
 */

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { PartialStrykerOptions } from '@stryker-mutator/api/core'
import type { Stryker } from '@stryker-mutator/core'

interface StrykerModule {
  readonly Stryker: typeof Stryker
}

function optionsFromArguments(args: readonly string[]): PartialStrykerOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      // Reuse reports/stryker-incremental.json: only mutants whose code or tests changed run.
      incremental: { type: 'boolean' },
      // With --incremental: run every mutant anyway, and refresh the incremental file.
      force: { type: 'boolean' },
      // Replaces the `mutate` patterns of stryker.config.json, e.g. "src/json.ts:40-60".
      mutate: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
    },
    strict: true,
  })
  const options: PartialStrykerOptions = {}
  if (values.incremental === true) options.incremental = true
  if (values.force === true) options.force = true
  if (values.mutate !== undefined) options.mutate = values.mutate
  if (values.concurrency !== undefined) options.concurrency = Number(values.concurrency)
  return options
}

async function loadStryker(): Promise<StrykerModule> {
  const require = createRequire(import.meta.url)
  const core = dirname(require.resolve('@stryker-mutator/core/package.json'))
  // The package's entry point re-exports the CLI, whose guard would throw on load.
  const engine = pathToFileURL(join(core, 'dist', 'src', 'stryker.js')).href
  return (await import(engine)) as StrykerModule
}

async function main(): Promise<void> {
  const options = optionsFromArguments(process.argv.slice(2))
  // Each mutant reruns the properties that cover it: 50 runs per property keeps a full
  // run near half an hour on two cores (test/setup.ts reads it in every worker).
  process.env.FC_NUM_RUNS ??= '50'
  const { Stryker: Engine } = await loadStryker()
  // The score check against thresholds.break sets process.exitCode itself.
  await new Engine(options).runMutationTest()
}

await main()
