/**
 * How many generated cases does fast-check need to break each naive variant?
 *
 *   npx tsx test/pitfalls/measure.ts
 *
 * Every module test/pitfalls/<slug>.ts that exports `measured` (a list of
 * { pitfall, property, firstFailure(seed, numRuns) }) is picked up. Each property runs
 * with the fixed seeds below, up to MAX_RUNS runs, and stops at its first
 * counterexample; the figure reported is fast-check's `numRuns` at that point: the
 * generated cases it took, the failing one included, shrinking not counted.
 * The output ends with the Markdown rows quoted in docs/pitfalls/README.md.
 */

import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

export interface Measured {
  pitfall: string
  property: string
  /** fast-check's numRuns at the first counterexample, or undefined if none was found. */
  firstFailure(seed: number, numRuns: number): number | undefined
}

/** Fixed, so that the figures in the index can be reproduced exactly. */
export const SEEDS: readonly number[] = [1, 2, 3, 42, 2026]
const MAX_RUNS = 10_000

function isMeasured(value: unknown): value is Measured {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return (
    typeof entry.pitfall === 'string' &&
    typeof entry.property === 'string' &&
    typeof entry.firstFailure === 'function'
  )
}

/** A naive variant's module: not a test file, and not a measuring script (they run on import). */
function isNaiveModule(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.startsWith('measure')
}

/** The `measured` entries of every naive module in this folder, in file-name order. */
async function collect(): Promise<Measured[]> {
  const dir = fileURLToPath(new URL('.', import.meta.url))
  const files = readdirSync(dir).filter(isNaiveModule).sort()
  const entries: Measured[] = []
  for (const file of files) {
    const module = (await import(pathToFileURL(`${dir}${file}`).href)) as { measured?: unknown }
    if (!Array.isArray(module.measured)) continue
    for (const entry of module.measured) {
      if (!isMeasured(entry)) throw new Error(`${file}: an entry of "measured" has the wrong shape`)
      entries.push(entry)
    }
  }
  return entries
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

async function main(): Promise<void> {
  const entries = await collect()
  const rows: string[] = []
  console.log(`seeds ${SEEDS.join(', ')}; at most ${MAX_RUNS} runs each\n`)
  for (const entry of entries) {
    const counts: string[] = []
    const found: number[] = []
    for (const seed of SEEDS) {
      const runs = entry.firstFailure(seed, MAX_RUNS)
      counts.push(runs === undefined ? `>${MAX_RUNS}` : String(runs))
      if (runs !== undefined) found.push(runs)
    }
    const summary =
      found.length === SEEDS.length
        ? `median ${median(found)}, max ${Math.max(...found)}`
        : `not found for ${SEEDS.length - found.length} of ${SEEDS.length} seeds`
    console.log(`${entry.pitfall}: ${entry.property}`)
    console.log(`  runs to first counterexample: ${counts.join(', ')} (${summary})`)
    rows.push(`| ${entry.pitfall} | ${entry.property} | ${counts.join(', ')} |`)
  }
  console.log('\n| pitfall | property | runs to first counterexample (per seed) |')
  console.log('|---|---|---|')
  for (const row of rows) console.log(row)
}

await main()
