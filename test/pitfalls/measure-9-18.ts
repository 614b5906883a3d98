/**
 * How many generated cases fast-check needs to break each naive variant of pitfalls
 * 9 to 18, measured over many seeds.
 *
 *   npx tsx test/pitfalls/measure-9-18.ts [seeds]      (default 500 seeds)
 *
 * For each property it runs `fc.check` once per seed (1, 2, 3, ...) and records
 * `numRuns`: the number of generated cases up to and including the first failing one
 * (before shrinking). It prints the figures for the fixed seeds quoted in
 * docs/pitfalls/README.md, the distribution over many seeds, and the shrunk
 * counterexample of seed 1. The pitfalls found by a direct attack instead of a
 * property are listed as such. Not part of `npm test`.
 */

import fc from 'fast-check'
import {
  everySpellingDecryptsProperty,
  headerEditsRefusedProperty,
  naiveEncryptWithoutAad,
} from './aad-missing-or-reserialised.ts'
import { readersAgreeProperty } from './duplicate-json-members.ts'
import { revokedStaysRevokedProperty } from './lenient-base64url.ts'
import { naiveAgreesWithStrictProperty, PRODUCTION_ISSUER } from './missing-claim-checks.ts'
import { prototypeUntouchedProperty } from './prototype-pollution.ts'

const SEEDS = Number(process.argv[2] ?? 500)
// Far more than any of these needs: a run that exhausts it would report "not found".
const NUM_RUNS = 100_000

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
const IV = new TextEncoder().encode('pitfall09-iv')
const CLAIMS = '{"sub":"alice","role":"user"}'
const NOW = 1_767_225_600

// A generic property: the measurement does not care about its value types.
type AnyProperty = fc.IPropertyWithHooks<unknown[]>

const PROPERTIES: [pitfall: string, property: string, build: () => AnyProperty][] = [
  [
    '9 AAD missing',
    'an edited header is refused',
    () =>
      headerEditsRefusedProperty(
        naiveEncryptWithoutAad(CLAIMS, KEY, { alg: 'dir', enc: 'A256GCM', sub: 'alice' }, IV),
        KEY,
      ) as unknown as AnyProperty,
  ],
  [
    '9 AAD re-serialised',
    'every valid header spelling decrypts',
    () => everySpellingDecryptsProperty(CLAIMS, KEY, IV) as unknown as AnyProperty,
  ],
  [
    '10 lenient base64url',
    'a revoked token stays revoked under any spelling',
    () =>
      revokedStaysRevokedProperty(
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImp0aSI6InNlc3Npb24tNDIifQ.NjXzgla_qt1an19plowiZgL_PDwCDvc1jC2_pk_S-rI',
        Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i),
      ) as unknown as AnyProperty,
  ],
  [
    '11 duplicate members',
    'gateway and service read the same claims',
    () =>
      readersAgreeProperty(
        Uint8Array.from({ length: 32 }, (_, i) => 0x60 + i),
      ) as unknown as AnyProperty,
  ],
  [
    '12 missing claim checks',
    'the naive service accepts only what a correct one accepts',
    () =>
      naiveAgreesWithStrictProperty(
        Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i),
        NOW,
        {
          issuer: PRODUCTION_ISSUER,
          audience: 'admin',
          requiredClaims: ['exp'],
          currentDate: new Date(NOW * 1000),
        },
      ) as unknown as AnyProperty,
  ],
  [
    '15 prototype pollution',
    'building a session leaves Object.prototype alone',
    () => prototypeUntouchedProperty() as unknown as AnyProperty,
  ],
]

const DIRECT_ATTACKS = [
  '13 nested-token downgrade',
  '14 unbounded input',
  '16 kid path traversal',
  '17 jwk/jku header trust',
  '18 cross-JWT confusion',
]

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

/** The seeds docs/pitfalls/README.md quotes for every pitfall (as test/pitfalls/measure.ts). */
const INDEX_SEEDS: readonly number[] = [1, 2, 3, 42, 2026]

/** fast-check's numRuns at the first counterexample, or undefined when none was found. */
function firstFailure(build: () => AnyProperty, seed: number): number | undefined {
  const details = fc.check(build(), { seed, numRuns: NUM_RUNS })
  return details.failed ? details.numRuns : undefined
}

function main(): void {
  console.log(`fast-check ${fc.__version}, Node ${process.version}\n`)
  console.log(`Seeds ${INDEX_SEEDS.join(', ')} (the column of docs/pitfalls/README.md):\n`)
  for (const [pitfall, name, build] of PROPERTIES) {
    const counts = INDEX_SEEDS.map((seed) => firstFailure(build, seed) ?? `>${NUM_RUNS}`)
    console.log(`- ${pitfall} (${name}): ${counts.join(', ')}`)
  }
  for (const pitfall of DIRECT_ATTACKS) console.log(`- ${pitfall}: n/a — direct attack`)

  console.log(`\nDistribution over seeds 1 to ${SEEDS}:\n`)
  console.log('| pitfall | property | median | p90 | max | mean | not found |')
  console.log('|---|---|---:|---:|---:|---:|---:|')
  const examples: string[] = []
  for (const [pitfall, name, build] of PROPERTIES) {
    const counts: number[] = []
    let notFound = 0
    for (let seed = 1; seed <= SEEDS; seed++) {
      const details = fc.check(build(), { seed, numRuns: NUM_RUNS })
      if (!details.failed) {
        notFound++
        continue
      }
      counts.push(details.numRuns)
      if (seed === 1) examples.push(`${pitfall}: ${fc.stringify(details.counterexample)}`)
    }
    counts.sort((a, b) => a - b)
    const mean = counts.reduce((sum, n) => sum + n, 0) / Math.max(1, counts.length)
    console.log(
      `| ${pitfall} | ${name} | ${percentile(counts, 50)} | ${percentile(counts, 90)} | ${counts.at(-1)} | ${mean.toFixed(2)} | ${notFound} |`,
    )
  }
  console.log('\nShrunk counterexamples (seed 1):')
  for (const line of examples) console.log(`- ${line}`)
}

main()
