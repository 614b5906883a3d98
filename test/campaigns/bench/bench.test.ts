/**
 * The benchmark's smoke run: a few iterations of every case of `npm run bench`,
 * so that the benchmark cannot rot between the runs that measure. It asserts that every
 * contender passes its sanity check against jose and that every case produced a finite
 * median. It never asserts speed: timing on a shared machine is not a test verdict.
 */

import { encryptCompact, signJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import {
  buildCases,
  decrypter,
  encrypter,
  makeFixtures,
  sanityCheck,
  signer,
  tamperLastSegment,
  verifier,
} from './cases.ts'
import { median, SMOKE_OPTIONS, timeRatio } from './harness.ts'
import {
  formatNumber,
  formatTime,
  judgeTargets,
  markdownReport,
  plainReport,
  RESULTS_END,
  RESULTS_START,
  replaceResultsSection,
  TARGETS,
} from './report.ts'
import { runSuite } from './suite.ts'

describe('npm run bench, smoke mode', () => {
  test('every contender passes its sanity check and every case yields a finite median', async () => {
    const expectedContenders = (await buildCases()).reduce((n, c) => n + c.contenders.length, 0)
    const result = await runSuite({ harness: SMOKE_OPTIONS })

    expect(result.checked).toBe(expectedContenders)
    const ids = result.results.map((r) => r.benchCase.id)
    expect(ids).toEqual(expect.arrayContaining(['hs256-sign', 'hs256-verify', 'jwe-encrypt']))
    expect(ids).toEqual(expect.arrayContaining(['nested-decrypt', 'sweep-1048576-decrypt']))
    expect(ids).toEqual(expect.arrayContaining(['glass-gcm-1048576', 'glass-h-recovery']))
    for (const { benchCase, contenders } of result.results) {
      for (const contender of contenders) {
        const label = `${benchCase.id} / ${contender.name}`
        expect(Number.isFinite(contender.medianMs) && contender.medianMs > 0, label).toBe(true)
        expect(contender.roundMedians, label).toHaveLength(SMOKE_OPTIONS.rounds)
      }
    }

    // Every speed target (docs/benchmarks.md) finds its case and a finite ratio (not a verdict on speed).
    const verdicts = judgeTargets(result.results)
    expect(verdicts).toHaveLength(TARGETS.length)
    for (const verdict of verdicts) {
      expect(Number.isFinite(verdict.measured?.median), verdict.target.label).toBe(true)
    }

    // Both renderings name every case; the markdown carries the charts for the docs page.
    const plain = plainReport(result)
    const markdown = markdownReport(result)
    for (const { benchCase } of result.results) {
      if (benchCase.group !== 'sweep') {
        expect(plain).toContain(benchCase.title)
        expect(markdown).toContain(benchCase.title)
      }
    }
    expect(markdown.match(/```mermaid\nxychart-beta/g)).toHaveLength(3)
    expect(plain).toContain(`Node ${process.version}`)
  })
})

describe('the sanity check catches a wrong contender before any timing', () => {
  const fixtures = makeFixtures()
  const { claims, signingKey, encryptionKey, claimsBytes } = fixtures
  const token = signJwt(claims, signingKey)
  const jwe = encryptCompact(claimsBytes, encryptionKey)

  test('a signer whose MAC is wrong', async () => {
    const broken = signer(
      'broken',
      'peer',
      false,
      () => tamperLastSegment(signJwt(claims, signingKey)),
      fixtures,
    )
    await expect(
      sanityCheck([{ id: 'x', title: 'x', group: 'hs256', contenders: [broken] }]),
    ).rejects.toThrow('sanity check failed: x / broken')
  })

  test('a verifier that accepts a tampered token', async () => {
    const lenient = verifier(
      'lenient',
      'peer',
      false,
      () => claims,
      (r) => r,
      token,
      fixtures,
    )
    await expect(lenient.sanity()).rejects.toThrow('lenient accepted a tampered token')
  })

  test('an encrypter that reuses its IV', async () => {
    const iv = new Uint8Array(12)
    const reuse = encrypter(
      'reuse',
      'peer',
      false,
      () => encryptCompact(claimsBytes, encryptionKey, undefined, { iv }),
      claimsBytes,
      encryptionKey,
    )
    await expect(reuse.sanity()).rejects.toThrow('reuse: two encryptions gave the same token')
  })

  test('a decrypter that returns other bytes', async () => {
    const wrong = decrypter(
      'wrong',
      'peer',
      false,
      () => new Uint8Array(3),
      jwe,
      claimsBytes,
      encryptionKey,
    )
    await expect(wrong.sanity()).rejects.toThrow('wrong: wrong plaintext')
  })

  test('tamperLastSegment changes one character of the last segment only', () => {
    const tampered = tamperLastSegment(token)
    expect(tampered).toHaveLength(token.length)
    expect(tampered.slice(0, token.lastIndexOf('.') + 1)).toBe(
      token.slice(0, token.lastIndexOf('.') + 1),
    )
    expect(tampered).not.toBe(token)
  })
})

describe('harness arithmetic', () => {
  test('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(Number.isNaN(median([]))).toBe(true)
  })

  test('timeRatio takes the ratio within each round, then the median across rounds', () => {
    // Round 2 is twice as slow for both: the load moved, the ratio did not.
    const a = { name: 'a', role: 'src' as const, batch: 1, roundMedians: [2, 4, 2], medianMs: 2 }
    const b = {
      name: 'b',
      role: 'floor' as const,
      batch: 1,
      roundMedians: [1, 2, 1.6],
      medianMs: 1.6,
    }
    expect(timeRatio(a, b)).toEqual({ median: 2, low: 1.25, high: 2 })
  })
})

describe('report helpers', () => {
  test('--update-docs replaces only the text between the markers', () => {
    const page = `# Title\n${RESULTS_START}\nold table\n${RESULTS_END}\n## After\n`
    expect(replaceResultsSection(page, 'new table')).toBe(
      `# Title\n${RESULTS_START}\n\nnew table\n\n${RESULTS_END}\n## After\n`,
    )
    expect(() => replaceResultsSection('# no markers', 'x')).toThrow('results markers')
    expect(() => replaceResultsSection(`${RESULTS_END}${RESULTS_START}`, 'x')).toThrow(
      'results markers',
    )
  })

  test('numbers never use exponent notation (Mermaid and readers both stumble on it)', () => {
    expect(formatNumber(1760.4)).toBe('1760')
    expect(formatNumber(172.4)).toBe('172')
    expect(formatNumber(1.2345)).toBe('1.23')
    expect(formatNumber(0.0123)).toBe('0.0123')
    expect(formatTime(1224)).toBe('1.22 s')
    expect(formatTime(66.3)).toBe('66.3 ms')
    expect(formatTime(0.0299)).toBe('29.9 µs')
  })
})
