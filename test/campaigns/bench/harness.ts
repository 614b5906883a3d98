/**
 * The timing loop, on tinybench. Machines shared with other work drift by tens of
 * percent within seconds, so contenders are never timed one after the other in long
 * blocks: each case runs in several short rounds, every round times every contender
 * (in a rotated order), and a ratio is taken *within* each round before the median is
 * taken across rounds. Load that comes and goes then hits both sides of a ratio alike.
 */

import { Bench } from 'tinybench'
import type { BenchCase, Contender, Role } from './cases.ts'

export interface HarnessOptions {
  /** Rounds per case; each round times every contender once. */
  readonly rounds: number
  /** tinybench time budget per contender and round, in milliseconds. */
  readonly timeMs: number
  /** tinybench minimum samples per contender and round. */
  readonly iterations: number
  /** Target duration of one sample, in milliseconds: fast operations are batched up to it. */
  readonly sampleMs: number
  /** Warm-up budget per contender and round, in milliseconds (0: no warm-up). */
  readonly warmupMs: number
}

export const FULL_OPTIONS: HarnessOptions = {
  rounds: 7,
  timeMs: 150,
  iterations: 16,
  sampleMs: 0.2,
  warmupMs: 30,
}

/** A few iterations of everything: enough to prove every case runs, far too few to mean anything. */
export const SMOKE_OPTIONS: HarnessOptions = {
  rounds: 1,
  timeMs: 1,
  iterations: 2,
  sampleMs: 0,
  warmupMs: 0,
}

export interface ContenderResult {
  readonly name: string
  readonly role: Role
  /** Operations per timed sample. */
  readonly batch: number
  /** Median time of one operation in each round, in milliseconds. */
  readonly roundMedians: readonly number[]
  /** The median of `roundMedians`. */
  readonly medianMs: number
}

export interface CaseResult {
  readonly benchCase: BenchCase
  readonly contenders: readonly ContenderResult[]
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length % 2 === 1) return sorted[middle] as number
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

let sink: unknown

/** Times `contender` roughly, to choose how many operations one sample holds. */
async function chooseBatch(contender: Contender, sampleMs: number): Promise<number> {
  if (sampleMs <= 0) return 1
  let calls = 0
  const start = performance.now()
  while (performance.now() - start < Math.max(sampleMs * 10, 5) || calls < 3) {
    sink = contender.async ? await contender.run() : contender.run()
    calls++
  }
  const perCall = (performance.now() - start) / calls
  return Math.max(1, Math.min(10_000, Math.round(sampleMs / perCall)))
}

function batchedTask(contender: Contender, batch: number): () => unknown {
  const run = contender.run
  if (contender.async) {
    return async function batchAsync(): Promise<void> {
      for (let i = 0; i < batch; i++) sink = await run()
    }
  }
  return function batchSync(): void {
    for (let i = 0; i < batch; i++) sink = run()
  }
}

/** Runs one case: `rounds` interleaved rounds over all its contenders. */
export async function runCase(benchCase: BenchCase, options: HarnessOptions): Promise<CaseResult> {
  const contenders = benchCase.contenders
  const batches: number[] = []
  for (const contender of contenders) batches.push(await chooseBatch(contender, options.sampleMs))
  const perRound: number[][] = contenders.map(() => [])

  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      time: options.timeMs,
      iterations: options.iterations,
      warmup: options.warmupMs > 0,
      warmupTime: options.warmupMs,
      warmupIterations: 1,
      throws: true,
    })
    // Rotate the order each round: no contender always runs first (cold) or last.
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length
      const contender = contenders[index] as Contender
      bench.add(String(index), batchedTask(contender, batches[index] as number), {
        async: contender.async,
      })
    }
    await bench.run()
    for (const task of bench.tasks) {
      const index = Number(task.name)
      const result = task.result
      if (!('latency' in result)) throw new Error(`${benchCase.id}: task ${index} did not complete`)
      ;(perRound[index] as number[]).push(result.latency.p50 / (batches[index] as number))
    }
  }

  const results: ContenderResult[] = []
  for (let i = 0; i < contenders.length; i++) {
    const contender = contenders[i] as Contender
    const roundMedians = perRound[i] as number[]
    results.push({
      name: contender.name,
      role: contender.role,
      batch: batches[i] as number,
      roundMedians,
      medianMs: median(roundMedians),
    })
  }
  // Keep the sink observable so that no engine may drop the timed calls as dead code.
  if (sink === Symbol.for('never')) console.log(sink)
  return { benchCase, contenders: results }
}

/**
 * `a`'s time over `b`'s time, as the median of the per-round ratios, with the lowest and
 * highest round: the spread says how much the load moved while this case ran.
 */
export function timeRatio(
  a: ContenderResult,
  b: ContenderResult,
): { median: number; low: number; high: number } {
  const ratios: number[] = []
  for (let i = 0; i < a.roundMedians.length; i++) {
    ratios.push((a.roundMedians[i] as number) / (b.roundMedians[i] as number))
  }
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) }
}
