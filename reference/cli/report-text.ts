/**
 * The inspector's report as text for a terminal: anatomy first, then what the token
 * says, what is wrong with it, and what each implementation made of it.
 */

import { renderAnatomy, renderLegend } from './anatomy.ts'
import type { ClaimsReport } from './claims-lint.ts'
import type { Palette } from './colour.ts'
import { columns, count, indent } from './format.ts'
import type { InspectReport } from './inspection.ts'
import type { Finding } from './json-lint.ts'
import type { TokenReport } from './token-lint.ts'
import { formatVerdictBrief, sameVerdict } from './verdict.ts'
import type { VerificationReport } from './verify.ts'

const READABLE_WARNING =
  'Anyone holding this token can read this payload: base64url is an encoding, not encryption. The signature only proves it was not changed.'

const INNER_WARNING =
  'Inside the JWE only key holders can read this; but whoever holds this inner JWT, should it leak once decrypted, can read it too.'

function heading(text: string, palette: Palette): string {
  return palette.bold(text)
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

function renderAnatomySection(token: TokenReport, palette: Palette): string[] {
  const lines: string[] = []
  const kind = token.kind === 'unknown' ? 'not a compact JWS or JWE' : token.kind
  lines.push(
    heading(
      `Anatomy: ${kind}, ${count(token.segments.length, 'segment')}, ${count(token.length, 'character')}`,
      palette,
    ),
  )
  lines.push(
    indent(
      renderAnatomy(
        token.segments.map((s) => s.text),
        token.kind,
        palette,
      ),
      2,
    ),
  )
  lines.push(
    `  ${palette.dim('legend:')} ${renderLegend(token.kind, token.segments.length, palette)}`,
  )
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
  lines.push('', indent(columns(rows), 2))
  return lines
}

function renderTimes(content: ClaimsReport): string[] {
  const lines: string[] = []
  for (const time of content.times) lines.push(`  ${time.claim}  ${time.iso}  (${time.relative})`)
  return lines
}

function renderContent(content: ClaimsReport): string[] {
  const lines: string[] = []
  lines.push(indent(content.claims === null ? content.text : json(content.claims), 2))
  lines.push(...renderTimes(content))
  return lines
}

function renderTokenBody(token: TokenReport, palette: Palette, warning: string): string[] {
  const lines: string[] = ['', ...renderAnatomySection(token, palette)]
  lines.push('', heading('Header', palette))
  lines.push(
    token.header === null ? '  (cannot be read as a JSON object)' : indent(json(token.header), 2),
  )
  if (token.kind === 'JWS') {
    lines.push('', heading('Payload', palette))
    lines.push(`  ${palette.yellow('!')} ${warning}`)
    lines.push(
      ...(token.payload === null ? ['  (cannot be decoded)'] : renderContent(token.payload)),
    )
  }
  if (token.jwe !== null) {
    const { ivBytes, ciphertextBytes, tagBytes } = token.jwe
    lines.push('', heading('Encrypted content', palette))
    lines.push(
      `  IV ${sizeOf(ivBytes)} · ciphertext ${sizeOf(ciphertextBytes)} · tag ${sizeOf(tagBytes)}`,
    )
    lines.push(
      '  The content is AES-GCM ciphertext: unreadable without the key. Stolen, the token can still be replayed as it is.',
    )
  }
  return lines
}

function sizeOf(bytes: number | null): string {
  if (bytes === null) return '(undecodable)'
  return `${count(bytes, 'byte')} (${bytes * 8} bits)`
}

/** One aligned line per finding: where, what, and the rule's name for --json users. */
function renderFindings(findings: readonly Finding[], palette: Palette): string {
  const rows: string[][] = []
  for (const finding of findings) {
    rows.push([finding.where, `${finding.message} ${palette.dim(`[${finding.rule}]`)}`])
  }
  return indent(columns(rows), 4)
}

function renderStrictness(
  violations: readonly Finding[],
  notes: readonly Finding[],
  palette: Palette,
): string[] {
  const lines: string[] = ['', heading('Strictness', palette)]
  if (violations.length === 0) {
    lines.push(`  ${palette.green('✓')} no violations: nothing here that src would refuse on sight`)
  } else {
    lines.push(
      `  ${palette.red('✗')} ${count(violations.length, 'violation')}: src refuses tokens like this (jose, being more lenient, accepts some of them)`,
    )
    lines.push(renderFindings(violations, palette))
  }
  if (notes.length > 0) lines.push('  notes:', renderFindings(notes, palette))
  return lines
}

function keyLine(label: string, key: { source: string; bytes: number } | null): string {
  return key === null
    ? `${label}: none`
    : `${label}: ${count(key.bytes, 'byte')} from ${key.source}`
}

function renderVerification(verification: VerificationReport, palette: Palette): string[] {
  const lines: string[] = ['', heading('Verification (both implementations)', palette)]
  lines.push(
    `  ${keyLine('signing key', verification.signingKey)} · ${keyLine('encryption key', verification.encryptionKey)}`,
  )
  if (verification.checks.length > 0) {
    const rows: string[][] = [
      [palette.dim('check'), palette.dim('src (by hand)'), palette.dim('jose')],
    ]
    const details: string[] = []
    let disagree = false
    for (const check of verification.checks) {
      rows.push([
        check.operation,
        formatVerdictBrief(check.src, palette),
        formatVerdictBrief(check.jose, palette),
      ])
      if (!sameVerdict(check.src, check.jose)) disagree = true
      // Why each refusal happened, once per distinct message.
      const seen = new Set<string>()
      for (const [who, verdict] of [
        ['src', check.src],
        ['jose', check.jose],
      ] as const) {
        if (verdict.outcome === 'accepted' || seen.has(verdict.message)) continue
        seen.add(verdict.message)
        details.push(`    ${palette.dim(`${check.operation}, ${who}:`)} ${verdict.message}`)
      }
    }
    lines.push(indent(columns(rows), 2))
    lines.push(...details)
    if (disagree) {
      lines.push(
        `  ${palette.yellow('!')} The two disagree: src is stricter than jose about encodings and JSON (docs/01-base64url.md, docs/07-jose-in-production.md).`,
      )
    }
  }
  for (const reason of verification.skipped) lines.push(`  ${palette.yellow('-')} ${reason}`)
  return lines
}

/** The whole report, ready to print. */
export function renderReport(report: InspectReport, palette: Palette): string {
  const lines: string[] = [
    palette.dim('jose-by-hand inspector · offline: nothing you inspect leaves this machine'),
  ]
  lines.push(...renderTokenBody(report.token, palette, READABLE_WARNING))
  lines.push(...renderStrictness(report.token.violations, report.token.notes, palette))
  lines.push(...renderVerification(report.verification, palette))
  const decrypted = report.decrypted
  if (decrypted !== null) {
    const by = decrypted.from === 'src' ? '' : ' (only jose would decrypt it)'
    lines.push('', heading(`Decrypted${by}: readable to you because you hold the key`, palette))
    if (decrypted.content !== null) lines.push(...renderContent(decrypted.content))
    if (decrypted.inner !== null) {
      const inner = decrypted.inner
      const body = [
        ...renderTokenBody(inner, palette, INNER_WARNING),
        ...renderStrictness(inner.violations, inner.notes, palette),
      ]
      lines.push('  The plaintext is the inner, signed JWT:', indent(body.join('\n'), 2))
    }
  }
  const problems: string[] = []
  if (report.violationCount > 0) problems.push(count(report.violationCount, 'violation'))
  if (verificationFailed(report)) problems.push('verification failed')
  const verdict = problems.length === 0 ? palette.green('OK') : palette.red(problems.join(', '))
  lines.push('', `Result: ${verdict} (exit code ${report.exitCode})`, '')
  return lines.join('\n')
}

function verificationFailed(report: InspectReport): boolean {
  for (const check of report.verification.checks) {
    if (check.src.outcome !== 'accepted' || check.jose.outcome !== 'accepted') return true
  }
  return false
}
