/**
 * Pitfall 14, measured: how long each verifier spends on oversized garbage.
 *
 *   npx tsx test/pitfalls/measure-unbounded.ts
 *
 * Prints a Markdown table (median of 5 runs, milliseconds) for
 * docs/pitfalls/unbounded-input.md. Not part of `npm test`: timings on a shared
 * machine are evidence to read, never an assertion.
 */

import os from 'node:os'
import { compactVerify } from 'jose'
import { verifyCompact } from 'jose-by-hand'
import { verifyCompact as referenceVerifyCompact } from 'jose-by-hand/reference'
import { bigHeaderToken, dots, naiveParseThenVerify, timeIt } from './unbounded-input.ts'

const KEY = new Uint8Array(32).fill(0x14)
const RUNS = 5
const KIB = 1024
const MIB = 1024 * KIB

type Contender = [name: string, verify: (token: string) => unknown]

const CONTENDERS: Contender[] = [
  ['naive (split, decode, parse, then MAC)', (token) => naiveParseThenVerify(token, KEY)],
  [
    'raw jose compactVerify (no cap)',
    (token) => compactVerify(token, KEY, { algorithms: ['HS256'] }),
  ],
  ['jose-by-hand/reference (cap in front of jose)', (token) => referenceVerifyCompact(token, KEY)],
  ['src verifyCompact (cap first)', (token) => verifyCompact(token, KEY)],
]

const INPUTS: [label: string, make: () => string][] = [
  ['64 KiB of dots (exactly the cap)', () => dots(64 * KIB)],
  ['1 MiB of dots', () => dots(MIB)],
  ['10 MiB of dots', () => dots(10 * MIB)],
  ['1 MiB header', () => bigHeaderToken(MIB)],
  ['10 MiB header', () => bigHeaderToken(10 * MIB)],
]

async function median(action: () => unknown): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) times.push(await timeIt(action))
  times.sort((a, b) => a - b)
  return times[Math.floor(RUNS / 2)] as number
}

function format(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms.toFixed(1)
}

async function main(): Promise<void> {
  console.log(
    `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}; median of ${RUNS} runs, ms\n`,
  )
  console.log(`| input | ${CONTENDERS.map(([name]) => name).join(' | ')} |`)
  console.log(`|---|${CONTENDERS.map(() => '---:').join('|')}|`)
  for (const [label, make] of INPUTS) {
    const token = make()
    const cells: string[] = []
    for (const [, verify] of CONTENDERS) cells.push(format(await median(() => verify(token))))
    console.log(`| ${label} | ${cells.join(' | ')} |`)
  }
  // Only the capped verifiers get the 50 MB input: the others would need gigabytes.
  const huge = dots(50_000_000)
  console.log(
    `\n50,000,000 dots: src ${format(await median(() => verifyCompact(huge, KEY)))} ms, reference ${format(await median(() => referenceVerifyCompact(huge, KEY)))} ms`,
  )
}

await main()
