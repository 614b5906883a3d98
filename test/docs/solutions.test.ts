/**
 * The chapters teach a workshop step without handing over its code: in the chapter a
 * step names as its reading (test/workshop/steps.ts), no line of that step's solution
 * occurs outside the chapter's final `## Solutions` section, where the finished regions
 * wait in collapsed `<details>` blocks for after the workshop.
 *
 * A "line of the solution" is a line of the step's `// #region` in src/ that the
 * starter does not already give away (doc comments and signatures stay in the stubs),
 * that is code rather than a comment, and that is long enough to be more than a brace
 * or a bare `return`. A chapter line gives it away when it holds the same text with
 * whitespace squeezed, so an inline `code span` in the prose counts as well. A short
 * solution line (a bare API call such as `decipher.final()`) counts only as a whole
 * line: inside a longer expression of a worked example it is that example's own step.
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { REPO_ROOT } from '../workshop/paths.ts'
import { referenceRegionText, starterRegionText } from '../workshop/starter.ts'
import { CORE_STEPS, REGION_STEPS, type Step } from '../workshop/steps.ts'

/** Shorter lines (`}`, `return out`, `try {`) say nothing about the solution. */
const MIN_LENGTH = 16

/** Solution lines shorter than this must match a whole chapter line. */
const WHOLE_LINE_BELOW = 24

const SOLUTIONS_HEADING = '## Solutions'

function squeezed(line: string): string {
  return line.trim().replace(/\s+/g, ' ')
}

function isComment(line: string): boolean {
  return line.startsWith('//') || line.startsWith('/*') || line.startsWith('*')
}

/** The non-trivial lines of `step`'s solution that its starter does not contain. */
function solutionLines(step: Step): string[] {
  const lines = new Set<string>()
  for (const ref of step.regions) {
    const given = new Set(starterRegionText(step, ref).split('\n').map(squeezed))
    for (const raw of referenceRegionText(ref).split('\n')) {
      const line = squeezed(raw)
      if (line.length < MIN_LENGTH || isComment(line) || given.has(line)) continue
      lines.add(line)
    }
  }
  return [...lines]
}

/** The chapter's text before its `## Solutions` section, as squeezed lines with numbers. */
function readingLines(markdown: string): { number: number; text: string }[] {
  const out: { number: number; text: string }[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).trimEnd() === SOLUTIONS_HEADING) break
    out.push({ number: i + 1, text: squeezed(lines[i] as string) })
  }
  return out
}

/** Every place the reading gives a solution line away, as `page:line: text`. */
function leaks(page: string, markdown: string, solution: readonly string[]): string[] {
  const found: string[] = []
  for (const { number, text } of readingLines(markdown)) {
    for (const line of solution) {
      const given = line.length < WHOLE_LINE_BELOW ? text === line : text.includes(line)
      if (given) found.push(`${page}:${number}: ${line}`)
    }
  }
  return found
}

describe('the reading of each workshop step does not contain its solution', () => {
  test('the check sees a leak when there is one', () => {
    const step = CORE_STEPS[0] as Step
    const solution = solutionLines(step)
    expect(solution.length).toBeGreaterThan(3)
    const leaked = `Some prose.\n\n\`\`\`ts\n  ${solution[0]}\n\`\`\`\n\n${SOLUTIONS_HEADING}\n`
    expect(leaks('page.md', leaked, solution)).toHaveLength(1)
    const hidden = `Some prose.\n\n${SOLUTIONS_HEADING}\n\n\`\`\`ts\n${solution[0]}\n\`\`\`\n`
    expect(leaks('page.md', hidden, solution)).toEqual([])
  })

  for (const step of REGION_STEPS) {
    test(`step ${step.id}: ${step.chapter} before "${SOLUTIONS_HEADING}"`, () => {
      const markdown = readFileSync(join(REPO_ROOT, step.chapter), 'utf8')
      expect(leaks(step.chapter, markdown, solutionLines(step))).toEqual([])
    })
  }

  // The GHASH step reads docs/workshop.md, but chapter 8 is where GHASH is taught, so
  // its worked example must not hand over the step's code either.
  test('step ghash: docs/08-inside-the-primitives.md before "## Solutions"', () => {
    const page = 'docs/08-inside-the-primitives.md'
    const ghash = REGION_STEPS.find((step) => step.id === 'ghash') as Step
    const markdown = readFileSync(join(REPO_ROOT, page), 'utf8')
    expect(leaks(page, markdown, solutionLines(ghash))).toEqual([])
  })

  test(`a chapter's "${SOLUTIONS_HEADING}" section is its last one`, () => {
    for (const step of CORE_STEPS) {
      const markdown = readFileSync(join(REPO_ROOT, step.chapter), 'utf8')
      const headings = markdown.split('\n').filter((line) => line.startsWith('## '))
      expect(headings.at(-1), step.chapter).toBe(SOLUTIONS_HEADING)
    }
  })
})
