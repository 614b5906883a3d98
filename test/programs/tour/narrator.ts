/**
 * How the tour talks: numbered steps with a pointer to their docs chapter, labelled
 * intermediate values, and side-by-side verdicts checked against what the story
 * says should happen. A verdict that differs from the story is printed as
 * UNEXPECTED and makes the tour exit non-zero, so the story cannot silently rot.
 *
 * The narrator does not print: it collects the lines of the current step, wrapped to
 * the terminal's width, and the tour takes them (`takeLines`) to print or to page.
 * Consecutive `say` calls make one paragraph, reflowed to the terminal's width (at
 * most PROSE_WIDTH, also in a pipe); values and tokens are cut only on a terminal.
 */

import { formatVerdict, type Verdict } from '../inspect/verdict.ts'
import { indent, type Palette, wrap } from '../kit/index.ts'

/** What a verdict should be: 'accepted', an error code, 'error' (a TypeError), or 'any'. */
export type Expected = 'accepted' | 'error' | 'any' | `ERR_${string}`

export interface Narrator {
  readonly palette: Palette
  /** Starts step `number` of `total`, pointing at `chapter` (a path under docs/). */
  step(number: number, total: number, title: string, chapter: string): void
  /** Prose: consecutive calls are one paragraph, reflowed to the width. */
  say(text: string): void
  /** Lines printed as they are, indented by 2: a table, a list. */
  block(text: string): void
  /** A labelled value, e.g. an intermediate result. */
  show(label: string, value: string): void
  /** A block of code, as the reader would type it. */
  code(text: string): void
  /** A fact the story relies on (e.g. "both tokens are identical"); a false one is a surprise. */
  claim(text: string, holds: boolean): void
  /** Both implementations' verdicts on one input, each checked against the story. */
  verdicts(label: string, results: readonly VerdictLine[]): void
  blank(): void
  /** The lines written since the last call, and forgets them. */
  takeLines(): string[]
  /** Everything that did not go as the story says. */
  readonly surprises: string[]
}

export interface VerdictLine {
  /** Who answered: "src", "jose (safe options)", "jose (defaults)". */
  readonly who: string
  readonly verdict: Verdict
  readonly expected: Expected
}

const LABEL_WIDTH = 24

/** Prose wider than this is hard to read, whatever the terminal's width. */
const PROSE_WIDTH = 92

function matches(verdict: Verdict, expected: Expected): boolean {
  if (expected === 'any') return true
  if (expected === 'accepted' || expected === 'error') return verdict.outcome === expected
  return verdict.outcome === 'rejected' && verdict.code === expected
}

/** A narrator for a terminal `columns` wide (`undefined`: a pipe, never wrapped). */
export function createNarrator(palette: Palette, columns: number | undefined): Narrator {
  const surprises: string[] = []
  const proseWidth = Math.min(columns ?? PROSE_WIDTH, PROSE_WIDTH)
  let lines: string[] = []
  let paragraph: string[] = []
  function flushParagraph(): void {
    if (paragraph.length === 0) return
    const text = paragraph.join(' ')
    paragraph = []
    for (const wrapped of wrap(text, proseWidth - 2).split('\n')) lines.push(indent(wrapped, 2))
  }
  /** Adds `text`, wrapped, continuation lines indented by `hanging` columns. */
  function line(text: string, hanging = 0): void {
    flushParagraph()
    for (const wrapped of wrap(text, columns, hanging).split('\n')) lines.push(wrapped)
  }
  return {
    palette,
    surprises,
    step(number: number, total: number, title: string, chapter: string): void {
      line(palette.bold(palette.cyan(`━━ Step ${number} of ${total} · ${title}`)), 3)
      line(`   ${palette.dim('read more:')} ${chapter}`, 3)
      line('')
    },
    say(text: string): void {
      paragraph.push(text)
    },
    block(text: string): void {
      for (const row of text.split('\n')) line(indent(row, 2), 4)
    },
    show(label: string, value: string): void {
      const padded = label.length >= LABEL_WIDTH ? `${label} ` : label.padEnd(LABEL_WIDTH)
      const hanging = 2 + padded.length
      const values = value.split('\n')
      line(`  ${palette.dim(padded)}${values[0]}`, hanging)
      for (let i = 1; i < values.length; i++) line(`${' '.repeat(hanging)}${values[i]}`, hanging)
    },
    code(text: string): void {
      line(indent(palette.dim(text), 4), 6)
    },
    claim(text: string, holds: boolean): void {
      const mark = holds ? palette.green('✓') : palette.red('✗ UNEXPECTED:')
      line(`  ${mark} ${text}`, 4)
      if (!holds) surprises.push(text)
    },
    verdicts(label: string, results: readonly VerdictLine[]): void {
      line(`  ${label}`, 4)
      let width = 0
      for (const result of results) width = Math.max(width, result.who.length)
      for (const result of results) {
        const ok = matches(result.verdict, result.expected)
        let text = `    ${result.who.padEnd(width)}  ${formatVerdict(result.verdict, palette)}`
        if (result.verdict.outcome === 'rejected') {
          text += palette.dim(`  (${result.verdict.message})`)
        }
        if (!ok) {
          text += palette.red(`  ✗ UNEXPECTED: the story expects ${result.expected}`)
          surprises.push(
            `${label}: ${result.who} gave ${result.verdict.code ?? result.verdict.outcome}, expected ${result.expected}`,
          )
        }
        line(text, 6 + width)
      }
    },
    blank(): void {
      line('')
    },
    takeLines(): string[] {
      flushParagraph()
      const taken = lines
      lines = []
      return taken
    },
  }
}
