/**
 * The inspector's report as text for a terminal: anatomy first, then what the token
 * says, what is wrong with it, what each party made of each layer, and last the
 * result: what was proven, layer by layer. Long values are wrapped to `width` on a
 * terminal; in a pipe nothing is wrapped, so a token can be copied or grepped whole.
 */

import { columns, count, indent, type Palette, visibleWidth, wrap } from '../kit/index.ts'
import { renderAnatomy, renderLegend } from './anatomy.ts'
import type { ClaimsReport } from './claims-lint.ts'
import type { InspectReport, Status } from './inspection.ts'
import type { Finding } from './json-lint.ts'
import type { TokenReport } from './token-lint.ts'
import { formatVerdictBrief, sameVerdict, type Verdict } from './verdict.ts'
import { type Check, DEFAULTS, type LayerReport, type LayerStatus, SAFE, SRC } from './verify.ts'

const READABLE_WARNING =
  'Anyone holding this token can read this payload: base64url is an encoding, not encryption.'

const INNER_WARNING =
  'Inside the JWE only key holders can read this; but whoever holds this inner JWT, should it leak once decrypted, can read it too.'

interface Out {
  readonly palette: Palette
  /** Terminal columns; undefined in a pipe. */
  readonly width: number | undefined
  readonly lines: string[]
}

/** Adds `text`, wrapped, continuation lines indented by `hanging`. */
function add(out: Out, text: string, hanging = 0): void {
  for (const line of text.split('\n')) out.lines.push(wrap(line, out.width, hanging))
}

function heading(out: Out, text: string): void {
  add(out, '')
  add(out, out.palette.bold(text))
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

function renderAnatomySection(out: Out, token: TokenReport): void {
  const kind = token.kind === 'unknown' ? 'not a compact JWS or JWE' : token.kind
  const { palette } = out
  heading(
    out,
    `Anatomy: ${kind}, ${count(token.segments.length, 'segment')}, ${count(token.length, 'character')}`,
  )
  const texts = token.segments.map((segment) => segment.text)
  add(out, indent(renderAnatomy(texts, token.kind, palette), 2), 2)
  add(out, `  ${palette.dim('legend:')} ${renderLegend(token.kind, texts.length, palette)}`, 10)
  const rows: string[][] = [
    [palette.dim('segment'), palette.dim('chars'), palette.dim('bytes'), palette.dim('base64url')],
  ]
  for (const segment of token.segments) {
    rows.push([
      segment.label,
      String(segment.chars),
      segment.bytes === null ? '-' : String(segment.bytes),
      segment.canonical ? 'canonical' : palette.red('NOT canonical'),
    ])
  }
  add(out, '')
  add(out, indent(columns(rows), 2))
}

function renderContent(out: Out, content: ClaimsReport): void {
  add(out, indent(content.claims === null ? content.text : json(content.claims), 2), 4)
  for (const time of content.times) add(out, `  ${time.claim}  ${time.iso}  (${time.relative})`)
}

function renderTokenBody(out: Out, token: TokenReport, warning: string, proven: boolean): void {
  renderAnatomySection(out, token)
  heading(out, 'Header')
  add(
    out,
    token.header === null ? '  (cannot be read as a JSON object)' : indent(json(token.header), 2),
    4,
  )
  if (token.kind === 'JWS') {
    heading(out, proven ? 'Payload (signature verified)' : 'Payload (NOT verified)')
    add(out, `  ${out.palette.yellow('!')} ${warning}`, 4)
    if (!proven) {
      add(
        out,
        `  ${out.palette.yellow('!')} Nothing proves who wrote these claims: anyone can make a token that reads like this one.`,
        4,
      )
    }
    if (token.payload === null) add(out, '  (cannot be decoded)')
    else renderContent(out, token.payload)
  }
  if (token.jwe !== null) {
    const { ivBytes, ciphertextBytes, tagBytes } = token.jwe
    heading(out, 'Encrypted content')
    add(
      out,
      `  IV ${sizeOf(ivBytes)} · ciphertext ${sizeOf(ciphertextBytes)} · tag ${sizeOf(tagBytes)}`,
      2,
    )
    add(
      out,
      '  The content is ciphertext: unreadable without the key. Stolen, the token can still be replayed as it is.',
      2,
    )
  }
}

function sizeOf(bytes: number | null): string {
  if (bytes === null) return '(undecodable)'
  return `${count(bytes, 'byte')} (${bytes * 8} bits)`
}

/** One aligned line per finding: where, what, and the rule's name for --json users. */
function renderFindings(out: Out, findings: readonly Finding[]): void {
  let whereWidth = 0
  for (const finding of findings) whereWidth = Math.max(whereWidth, visibleWidth(finding.where))
  for (const finding of findings) {
    const where = finding.where.padEnd(whereWidth)
    add(
      out,
      `    ${where}  ${finding.message} ${out.palette.dim(`[${finding.rule}]`)}`,
      6 + whereWidth,
    )
  }
}

function renderStrictness(
  out: Out,
  violations: readonly Finding[],
  notes: readonly Finding[],
): void {
  const { palette } = out
  heading(out, 'Strictness')
  if (violations.length === 0) {
    add(
      out,
      `  ${palette.green('✓')} no violations: nothing here that src would refuse on sight`,
      4,
    )
  } else {
    add(
      out,
      `  ${palette.red('✗')} ${count(violations.length, 'violation')}: src refuses a token for each one; jose is more lenient about some encodings and JSON (docs/divergences.md)`,
      4,
    )
    renderFindings(out, violations)
  }
  if (notes.length > 0) {
    add(out, '  notes:')
    renderFindings(out, notes)
  }
}

function statusText(status: LayerStatus | Status, palette: Palette): string {
  if (status === 'verified' || status === 'VERIFIED') return palette.green('VERIFIED')
  if (status === 'rejected' || status === 'REJECTED') return palette.red('REJECTED')
  return palette.yellow('NOT VERIFIED')
}

/** Each layer's checks as a table, one column per party that answered. */
function renderLayer(out: Out, layer: LayerReport): void {
  const { palette } = out
  add(
    out,
    `  ${palette.bold(layer.name)} (${layer.algorithm})  ${statusText(layer.status, palette)}`,
    4,
  )
  if (layer.key !== null) {
    add(out, `    key: ${layer.key.description}, from ${layer.key.source}`, 6)
  }
  if (layer.checks.length === 0) {
    add(out, `    ${palette.yellow('-')} ${layer.summary}`, 6)
    return
  }
  const defaults = layer.checks.some((check) => check.joseDefaults !== null)
  const titles = [palette.dim('check'), palette.dim(SRC), palette.dim(SAFE)]
  if (defaults) titles.push(palette.dim(DEFAULTS))
  const rows: string[][] = [titles]
  const details: string[] = []
  let disagree = false
  for (const check of layer.checks) {
    const row = [
      check.operation,
      formatVerdictBrief(check.src, palette),
      formatVerdictBrief(check.jose, palette),
    ]
    if (defaults)
      row.push(check.joseDefaults === null ? '' : formatVerdictBrief(check.joseDefaults, palette))
    rows.push(row)
    if (!sameVerdict(check.src, check.jose) && check.src.outcome !== 'not-implemented')
      disagree = true
    details.push(...whyRefused(check, palette))
  }
  add(out, indent(columns(rows), 4))
  for (const detail of details) add(out, detail, 8)
  if (disagree) {
    add(
      out,
      `    ${palette.yellow('!')} The two disagree: src is stricter than jose about encodings and JSON (docs/01-base64url.md, docs/07-jose-in-production.md).`,
      6,
    )
  }
}

/** Why each party refused, once per distinct message. */
function whyRefused(check: Check, palette: Palette): string[] {
  const lines: string[] = []
  const seen = new Set<string>()
  const named: [string, Verdict | null][] = [
    [SRC, check.src],
    [SAFE, check.jose],
    [DEFAULTS, check.joseDefaults],
  ]
  for (const [who, verdict] of named) {
    if (verdict === null || verdict.outcome === 'accepted' || verdict.outcome === 'not-implemented')
      continue
    if (seen.has(verdict.message)) continue
    seen.add(verdict.message)
    lines.push(`      ${palette.dim(`${check.operation}, ${who}:`)} ${verdict.message}`)
  }
  return lines
}

function renderResult(out: Out, report: InspectReport): void {
  const { palette } = out
  const parts = [statusText(report.status, palette)]
  if (report.violationCount > 0) parts.push(palette.red(count(report.violationCount, 'violation')))
  add(out, '')
  add(out, `Result: ${parts.join(', ')} (exit code ${report.exitCode})`)
  let nameWidth = 0
  for (const layer of report.layers) {
    nameWidth = Math.max(nameWidth, visibleWidth(`${layer.name} (${layer.algorithm})`))
  }
  for (const layer of report.layers) {
    const name = `${layer.name} (${layer.algorithm})`.padEnd(nameWidth)
    const status = statusText(layer.status, palette)
    add(out, `  ${name}  ${status}  ${layer.summary}`, 4)
  }
  if (report.status === 'NOT VERIFIED') {
    add(
      out,
      `  ${palette.yellow('!')} What was not verified is not proven: anyone can write a token that reads like this one.`,
      4,
    )
  }
  const shape = report.token.notes.find((note) => note.rule === 'nested.token-claim')
  if (shape !== undefined) {
    add(
      out,
      `  ${palette.yellow('!')} Not a nested JWT: the signed JWT travels in a claim, with no cty "JWT" (see the notes above).`,
      4,
    )
  }
  add(out, '')
}

/** Whether the JWS layer called `name` was verified. */
function proven(report: InspectReport, name: string): boolean {
  return report.layers.some((layer) => layer.name.startsWith(name) && layer.status === 'verified')
}

/** The whole report, ready to print. `width` is the terminal's, or undefined in a pipe. */
export function renderReport(
  report: InspectReport,
  palette: Palette,
  width: number | undefined,
): string {
  const out: Out = { palette, width, lines: [] }
  add(
    out,
    palette.dim('jose-by-hand inspector · offline: nothing you inspect leaves this machine'),
    2,
  )
  if (report.input.length > 0) {
    heading(out, 'Input')
    renderFindings(out, report.input)
  }
  renderTokenBody(out, report.token, READABLE_WARNING, proven(report, 'JWS'))
  renderStrictness(out, report.token.violations, report.token.notes)
  if (report.keys.length > 0) {
    heading(out, 'Keys')
    renderFindings(out, report.keys)
  }
  heading(out, `Verification (${SRC}, ${SAFE})`)
  for (const layer of report.layers) renderLayer(out, layer)
  const decrypted = report.decrypted
  if (decrypted !== null) {
    const by = decrypted.from === 'src' ? '' : ' by jose'
    heading(out, `Decrypted${by}: readable to you because you hold the key`)
    if (decrypted.content !== null) renderContent(out, decrypted.content)
    if (decrypted.inner !== null) {
      const inner = decrypted.inner
      const where =
        decrypted.innerFrom === 'plaintext'
          ? 'The plaintext is'
          : `Its ${decrypted.innerFrom} holds`
      add(out, `  ${where} the inner, signed JWT:`)
      const body: Out = { palette, width: width === undefined ? undefined : width - 2, lines: [] }
      renderTokenBody(body, inner, INNER_WARNING, proven(report, 'inner JWS'))
      renderStrictness(body, inner.violations, inner.notes)
      add(out, indent(body.lines.join('\n'), 2))
    }
  }
  renderResult(out, report)
  return out.lines.join('\n')
}
