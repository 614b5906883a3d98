/**
 * Turns timings into the tables of `npm run bench`: medians, ratios, the size sweep in
 * MB/s, and the verdict on each target in docs/benchmarks.md. The same data renders as
 * plain text for the console and as markdown (tables plus Mermaid charts) for
 * docs/benchmarks.md.
 */

import { sizeLabel } from './cases.ts'
import { type BenchContext, contextLines } from './context.ts'
import { type CaseResult, type ContenderResult, timeRatio } from './harness.ts'

export interface Ratio {
  readonly median: number
  readonly low: number
  readonly high: number
}

/** One speed target (docs/benchmarks.md): a ratio bound for src in one case. */
export interface Target {
  readonly caseId: string
  readonly label: string
  /** `jose`: jose's time over src, at least `bound`; `floor`: src's time over the floor's, at most `bound`. */
  readonly versus: 'jose' | 'floor'
  readonly bound: number
}

export const TARGETS: readonly Target[] = [
  { caseId: 'hs256-sign', label: 'HS256 sign', versus: 'jose', bound: 5 },
  { caseId: 'hs256-sign', label: 'HS256 sign', versus: 'floor', bound: 2 },
  { caseId: 'hs256-verify', label: 'HS256 verify', versus: 'jose', bound: 5 },
  { caseId: 'hs256-verify', label: 'HS256 verify', versus: 'floor', bound: 2 },
  { caseId: 'jwe-encrypt', label: 'JWE encrypt', versus: 'jose', bound: 5 },
  { caseId: 'jwe-encrypt', label: 'JWE encrypt', versus: 'floor', bound: 2 },
  { caseId: 'jwe-decrypt', label: 'JWE decrypt', versus: 'jose', bound: 5 },
  { caseId: 'jwe-decrypt', label: 'JWE decrypt', versus: 'floor', bound: 2 },
  { caseId: 'nested-encrypt', label: 'nested sign-then-encrypt', versus: 'jose', bound: 5 },
  { caseId: 'nested-encrypt', label: 'nested sign-then-encrypt', versus: 'floor', bound: 2 },
  { caseId: 'nested-decrypt', label: 'nested decrypt-then-verify', versus: 'jose', bound: 5 },
  { caseId: 'nested-decrypt', label: 'nested decrypt-then-verify', versus: 'floor', bound: 2 },
  { caseId: 'sweep-1048576-decrypt', label: '1 MiB JWE decrypt', versus: 'floor', bound: 1.2 },
  // O(1): refusing a 16 MiB token costs what refusing one a character over the cap costs.
  {
    caseId: 'cap-over',
    label: 'over-cap refusal, 16 MiB vs just over',
    versus: 'floor',
    bound: 1.5,
  },
  // No slower than jose on the worst input at the cap, and no worse than linear growth
  // allows: 4× the members cost V8's own hash tables (JSON.parse, Set) about 5.5× the time
  // once they outgrow the cache, so the bound is 6×, not 4× (docs/benchmarks.md).
  { caseId: 'cap-worst', label: 'worst case at the cap', versus: 'jose', bound: 1 },
  { caseId: 'cap-worst-4x', label: 'worst case, 4× the length', versus: 'jose', bound: 1 },
  { caseId: 'cap-worst-4x', label: 'worst case, 4× the length', versus: 'floor', bound: 6 },
]

export interface TargetVerdict {
  readonly target: Target
  readonly measured: Ratio | undefined
  readonly met: boolean
}

function byRole(result: CaseResult, role: string): ContenderResult | undefined {
  return result.contenders.find((contender) => contender.role === role)
}

/** jose's time over x's time: how many times jose's throughput x reaches. */
function versusJose(result: CaseResult, x: ContenderResult): Ratio | undefined {
  const jose = byRole(result, 'jose')
  return jose === undefined ? undefined : timeRatio(jose, x)
}

/** x's time over the floor's time. */
function versusFloor(result: CaseResult, x: ContenderResult): Ratio | undefined {
  const floor = byRole(result, 'floor')
  return floor === undefined ? undefined : timeRatio(x, floor)
}

export function judgeTargets(results: readonly CaseResult[]): TargetVerdict[] {
  const verdicts: TargetVerdict[] = []
  for (const target of TARGETS) {
    const result = results.find((r) => r.benchCase.id === target.caseId)
    const src = result === undefined ? undefined : byRole(result, 'src')
    let measured: Ratio | undefined
    if (result !== undefined && src !== undefined) {
      measured = target.versus === 'jose' ? versusJose(result, src) : versusFloor(result, src)
    }
    let met = false
    if (measured !== undefined) {
      met =
        target.versus === 'jose' ? measured.median >= target.bound : measured.median <= target.bound
    }
    verdicts.push({ target, measured, met })
  }
  return verdicts
}

// ---------------------------------------------------------------- number formatting

/** Three significant digits, but never exponent notation: 1760, not 1.76e+3. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  if (Math.abs(value) >= 100) return String(Math.round(value))
  return value.toPrecision(3)
}

export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a'
  // Seconds from 1000 ms on: toPrecision(3) would print 1.22e+3.
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`
  if (ms >= 1) return `${ms.toPrecision(3)} ms`
  return `${(ms * 1000).toPrecision(3)} µs`
}

function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a'
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)} M`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)} k`
  return perSecond.toPrecision(3)
}

function formatRatio(ratio: Ratio | undefined): string {
  if (ratio === undefined) return ''
  const spread =
    ratio.low === ratio.high ? '' : ` (${formatNumber(ratio.low)}–${formatNumber(ratio.high)})`
  return `${formatNumber(ratio.median)}×${spread}`
}

/** Decimal megabytes (10^6 bytes) of plaintext per second. */
function megabytesPerSecond(bytes: number, ms: number): number {
  return bytes / (ms / 1000) / 1e6
}

// ---------------------------------------------------------------- tables

type Row = readonly string[]

interface Table {
  readonly headers: Row
  readonly rows: readonly Row[]
}

const MAIN_HEADERS: Row = [
  'Case',
  'Contender',
  'Median',
  'ops/s',
  '× jose throughput',
  '× floor time',
]

function mainTable(results: readonly CaseResult[]): Table {
  const rows: Row[] = []
  for (const result of results) {
    if (result.benchCase.group === 'sweep') continue
    let first = true
    for (const contender of result.contenders) {
      const jose = contender.role === 'jose' ? undefined : versusJose(result, contender)
      const floor = contender.role === 'floor' ? undefined : versusFloor(result, contender)
      rows.push([
        first ? result.benchCase.title : '',
        contender.name,
        formatTime(contender.medianMs),
        formatRate(1000 / contender.medianMs),
        formatRatio(jose),
        formatRatio(floor),
      ])
      first = false
    }
  }
  return { headers: MAIN_HEADERS, rows }
}

function sweepTable(results: readonly CaseResult[]): Table {
  const rows: Row[] = []
  for (const result of results) {
    if (result.benchCase.group !== 'sweep') continue
    const bytes = result.benchCase.bytes ?? 0
    const src = byRole(result, 'src')
    const jose = byRole(result, 'jose')
    const floor = byRole(result, 'floor')
    if (src === undefined || jose === undefined || floor === undefined) continue
    const operation = result.benchCase.id.endsWith('encrypt') ? 'encrypt' : 'decrypt'
    rows.push([
      sizeLabel(bytes),
      operation,
      formatNumber(megabytesPerSecond(bytes, src.medianMs)),
      formatNumber(megabytesPerSecond(bytes, jose.medianMs)),
      formatNumber(megabytesPerSecond(bytes, floor.medianMs)),
      formatRatio(versusJose(result, src)),
      formatRatio(versusFloor(result, src)),
    ])
  }
  return {
    headers: [
      'Plaintext',
      'Operation',
      'src MB/s',
      'jose MB/s',
      'floor MB/s',
      'src × jose throughput',
      'src × floor time',
    ],
    rows,
  }
}

function targetTable(verdicts: readonly TargetVerdict[]): Table {
  const rows: Row[] = []
  for (const { target, measured, met } of verdicts) {
    const bound =
      target.versus === 'jose'
        ? `≥ ${target.bound}× jose's throughput`
        : `≤ ${target.bound}× the floor's time`
    rows.push([
      target.label,
      bound,
      formatRatio(measured),
      measured === undefined ? 'not run' : met ? 'met' : 'MISSED',
    ])
  }
  return { headers: ['Target', 'Bound', 'Measured (median, round range)', 'Verdict'], rows }
}

function plainTable(table: Table): string {
  const widths = table.headers.map((header) => header.length)
  for (const row of table.rows) {
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] ?? 0, (row[i] ?? '').length)
  }
  const line = (row: Row): string =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [line(table.headers), rule, ...table.rows.map(line)].join('\n')
}

function markdownTable(table: Table): string {
  const line = (row: Row): string =>
    `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`
  const rule = `|${table.headers.map(() => '---').join('|')}|`
  return [line(table.headers), rule, ...table.rows.map(line)].join('\n')
}

// ---------------------------------------------------------------- reports

export interface Report {
  readonly context: BenchContext
  readonly results: readonly CaseResult[]
  /** Rounds per case and time per contender and round, for the record. */
  readonly settings: string
}

export function plainReport(report: Report): string {
  const verdicts = judgeTargets(report.results)
  return [
    ...contextLines(report.context),
    `settings: ${report.settings}`,
    '',
    'Medians per operation. "× jose throughput": how many times jose\'s throughput; "× floor time": how many times the floor\'s time. In brackets: lowest and highest round.',
    '',
    plainTable(mainTable(report.results)),
    '',
    'Payload-size sweep, dir + A256GCM (MB = 10^6 bytes of plaintext):',
    '',
    plainTable(sweepTable(report.results)),
    '',
    'Targets (src against jose and against the node:crypto floor):',
    '',
    plainTable(targetTable(verdicts)),
  ].join('\n')
}

function chartNumber(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '0' : formatNumber(value)
}

/** The top of the floor chart's axis: 2, or enough to show the largest bar. */
function floorAxisTop(verdicts: readonly TargetVerdict[]): number {
  let top = 2
  for (const verdict of verdicts) {
    const value = verdict.measured?.median
    if (value !== undefined && Number.isFinite(value)) top = Math.max(top, Math.ceil(value))
  }
  return top
}

function mermaidCharts(results: readonly CaseResult[]): string {
  const verdicts = judgeTargets(results)
  const joseVerdicts = verdicts.filter((verdict) => verdict.target.versus === 'jose')
  const floorVerdicts = verdicts.filter((verdict) => verdict.target.versus === 'floor')
  const labels = (list: readonly TargetVerdict[]): string =>
    list.map((verdict) => `"${verdict.target.label}"`).join(', ')
  const measured = (list: readonly TargetVerdict[]): string =>
    list.map((verdict) => chartNumber(verdict.measured?.median)).join(', ')
  const bounds = (list: readonly TargetVerdict[]): string =>
    list.map((verdict) => chartNumber(verdict.target.bound)).join(', ')

  const sweepDecrypt = results.filter(
    (result) => result.benchCase.group === 'sweep' && result.benchCase.id.endsWith('decrypt'),
  )
  const sweepSeries = (role: string): string =>
    sweepDecrypt
      .map((result) => {
        const contender = byRole(result, role)
        return contender === undefined
          ? '0'
          : chartNumber(megabytesPerSecond(result.benchCase.bytes ?? 0, contender.medianMs))
      })
      .join(', ')
  const sweepLabels = sweepDecrypt
    .map((result) => `"${sizeLabel(result.benchCase.bytes ?? 0)}"`)
    .join(', ')

  return [
    "Bars: src, as a multiple of jose's throughput (higher is better). Line: the target.",
    '',
    '```mermaid',
    'xychart-beta',
    '  title "jose-by-hand throughput, in multiples of jose\'s"',
    `  x-axis [${labels(joseVerdicts)}]`,
    '  y-axis "× jose throughput"',
    `  bar [${measured(joseVerdicts)}]`,
    `  line [${bounds(joseVerdicts)}]`,
    '```',
    '',
    "Bars: src, as a multiple of the raw node:crypto floor's time (lower is better; 1 = the floor). Line: the target.",
    '',
    '```mermaid',
    'xychart-beta',
    '  title "jose-by-hand time, in multiples of the raw floor\'s"',
    `  x-axis [${labels(floorVerdicts)}]`,
    `  y-axis "× floor time" 0 --> ${floorAxisTop(floorVerdicts)}`,
    `  bar [${measured(floorVerdicts)}]`,
    `  line [${bounds(floorVerdicts)}]`,
    '```',
    '',
    'Decrypt throughput by plaintext size, MB/s. Bars: src. Upper line: the floor. Lower line: jose.',
    '',
    '```mermaid',
    'xychart-beta',
    '  title "dir + A256GCM decrypt, MB/s"',
    `  x-axis [${sweepLabels}]`,
    '  y-axis "MB/s"',
    `  bar [${sweepSeries('src')}]`,
    `  line [${sweepSeries('floor')}]`,
    `  line [${sweepSeries('jose')}]`,
    '```',
  ].join('\n')
}

/** The section of docs/benchmarks.md that `npm run bench -- --markdown` regenerates. */
export function markdownReport(report: Report): string {
  const verdicts = judgeTargets(report.results)
  const context = report.context
  const packages = Object.entries(context.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')
  return [
    `Measured ${context.date.slice(0, 10)} on ${context.cpu} × ${context.cores} (${context.platform}), Node ${context.node}, OpenSSL ${context.openssl}; ${packages}. Load average at start: ${context.loadAverage.toFixed(2)}. Settings: ${report.settings}.`,
    '',
    'Medians per operation. "× jose throughput" is jose\'s time divided by the contender\'s (higher is faster); "× floor time" is the contender\'s time divided by the raw floor\'s (1 is the floor). In brackets: the lowest and highest of the per-round ratios.',
    '',
    markdownTable(mainTable(report.results)),
    '',
    '#### Payload-size sweep (dir + A256GCM, MB = 10^6 bytes of plaintext)',
    '',
    markdownTable(sweepTable(report.results)),
    '',
    '#### Targets',
    '',
    markdownTable(targetTable(verdicts)),
    '',
    '#### Charts',
    '',
    mermaidCharts(report.results),
  ].join('\n')
}

/** The markers in docs/benchmarks.md between which `--update-docs` writes the results. */
export const RESULTS_START =
  '<!-- bench-results:start (npm run bench -- --update-docs rewrites this part) -->'
export const RESULTS_END = '<!-- bench-results:end -->'

/** `page` with the text between the results markers replaced by `markdown`. */
export function replaceResultsSection(page: string, markdown: string): string {
  const start = page.indexOf(RESULTS_START)
  const end = page.indexOf(RESULTS_END)
  if (start === -1 || end === -1 || end < start) {
    throw new Error('docs/benchmarks.md: the results markers are missing or out of order')
  }
  return `${page.slice(0, start + RESULTS_START.length)}\n\n${markdown}\n\n${page.slice(end)}`
}
