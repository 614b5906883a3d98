/**
 * How the tour talks: numbered steps with a pointer to their docs chapter, labelled
 * intermediate values, and side-by-side verdicts checked against what the story
 * says should happen. A verdict that differs from the story is printed as
 * UNEXPECTED and makes the tour exit non-zero, so the story cannot silently rot.
 */

import type { Palette } from './colour.ts'
import { indent } from './format.ts'
import type { CliIO } from './io.ts'
import { formatVerdict, type Verdict } from './verdict.ts'

/** What a verdict should be: 'accepted', an error code, 'error' (a TypeError), or 'any'. */
export type Expected = 'accepted' | 'error' | 'any' | `ERR_${string}`

export interface Narrator {
  readonly palette: Palette
  /** Starts step `number` of `total`, pointing at `chapter` (a path under docs/). */
  step(number: number, total: number, title: string, chapter: string): void
  /** A line of prose. */
  say(text: string): void
  /** A labelled value, e.g. an intermediate result. */
  show(label: string, value: string): void
  /** A block of code, as the reader would type it. */
  code(text: string): void
  /** A fact the story relies on (e.g. "both tokens are identical"); a false one is a surprise. */
  claim(text: string, holds: boolean): void
  /** Both implementations' verdicts on one input, each checked against the story. */
  verdicts(label: string, results: readonly VerdictLine[]): void
  blank(): void
  /** Everything that did not go as the story says. */
  readonly surprises: string[]
}

export interface VerdictLine {
  /** Who answered: "src", "jose", "raw jose", … */
  readonly who: string
  readonly verdict: Verdict
  readonly expected: Expected
}

const LABEL_WIDTH = 24

function matches(verdict: Verdict, expected: Expected): boolean {
  if (expected === 'any') return true
  if (expected === 'accepted' || expected === 'error') return verdict.outcome === expected
  return verdict.outcome === 'rejected' && verdict.code === expected
}

export function createNarrator(io: CliIO, palette: Palette): Narrator {
  const surprises: string[] = []
  function line(text: string): void {
    io.out(`${text}\n`)
  }
  return {
    palette,
    surprises,
    step(number: number, total: number, title: string, chapter: string): void {
      line('')
      line(palette.bold(palette.cyan(`━━ Step ${number} of ${total} · ${title}`)))
      line(`   ${palette.dim('read more:')} ${chapter}`)
      line('')
    },
    say(text: string): void {
      line(indent(text, 2))
    },
    show(label: string, value: string): void {
      const padded = label.length >= LABEL_WIDTH ? `${label} ` : label.padEnd(LABEL_WIDTH)
      const lines = value.split('\n')
      line(`  ${palette.dim(padded)}${lines[0]}`)
      for (let i = 1; i < lines.length; i++) line(`  ${' '.repeat(padded.length)}${lines[i]}`)
    },
    code(text: string): void {
      line(indent(palette.dim(text), 4))
    },
    claim(text: string, holds: boolean): void {
      const mark = holds ? palette.green('✓') : palette.red('✗ UNEXPECTED:')
      line(`  ${mark} ${text}`)
      if (!holds) surprises.push(text)
    },
    verdicts(label: string, results: readonly VerdictLine[]): void {
      line(`  ${label}`)
      let width = 0
      for (const result of results) width = Math.max(width, result.who.length)
      for (const result of results) {
        const ok = matches(result.verdict, result.expected)
        let text = `    ${result.who.padEnd(width)}  ${formatVerdict(result.verdict, palette)}`
        if (result.verdict.outcome === 'rejected')
          text += palette.dim(`  (${result.verdict.message})`)
        if (!ok) {
          text += palette.red(`  ✗ UNEXPECTED: the story expects ${result.expected}`)
          surprises.push(
            `${label}: ${result.who} gave ${result.verdict.code ?? result.verdict.outcome}, expected ${result.expected}`,
          )
        }
        line(text)
      }
    },
    blank(): void {
      line('')
    },
  }
}
