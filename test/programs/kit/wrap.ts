/**
 * Width-aware wrapping for terminal output, colour codes included.
 *
 * A terminal wraps a long line itself, at the last column, with no indentation: a
 * 300-character token then scribbles over the labels of the lines below. Wrapping
 * here keeps each value in its column. Prose breaks at spaces; a word longer than
 * the line (a token, a hex dump) is cut where the line ends. Escape sequences take no
 * columns and are never cut. One column per code point: the programs print ASCII and
 * a few box-drawing and arrow characters, all one column wide.
 */

// SGR sequences (ECMA-48 §8.3.117), the only escape codes the programs write.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC (U+001B) starts every one of them.
const ESCAPE = /\u001b\[[0-9;]*m/y

/** `text` as pieces: escape sequences (0 columns) and single code points (1 column). */
function pieces(text: string): string[] {
  const found: string[] = []
  let i = 0
  while (i < text.length) {
    ESCAPE.lastIndex = i
    const sequence = ESCAPE.exec(text)
    if (sequence !== null) {
      found.push(sequence[0])
      i += sequence[0].length
      continue
    }
    const character = String.fromCodePoint(text.codePointAt(i) as number)
    found.push(character)
    i += character.length
  }
  return found
}

function isEscape(piece: string): boolean {
  return piece.startsWith('\u001b')
}

/** The columns `text` takes on a terminal: code points, escape sequences excluded. */
export function visibleWidth(text: string): number {
  let width = 0
  for (const piece of pieces(text)) if (!isEscape(piece)) width++
  return width
}

/**
 * One line of `text` as lines of at most `firstWidth` columns for the first and
 * `restWidth` for the others: broken at spaces where possible, inside words longer
 * than a line where not. A width of `undefined` (not a terminal) leaves the line whole.
 */
export function wrapLine(
  text: string,
  firstWidth: number | undefined,
  restWidth: number | undefined = firstWidth,
): string[] {
  if (firstWidth === undefined || restWidth === undefined) return [text]
  if (visibleWidth(text) <= firstWidth) return [text]
  // A line narrower than this cannot hold anything readable: give up wrapping.
  const minimum = 8
  if (firstWidth < minimum || restWidth < minimum) return [text]
  const lines: string[] = []
  // The line's own indentation stays, and counts against the first line's width.
  const indentation = /^ */.exec(text)?.[0] ?? ''
  let line = indentation
  let used = indentation.length
  let width = firstWidth
  function breakLine(): void {
    lines.push(line)
    line = ''
    used = 0
    width = restWidth as number
  }
  let first = true
  for (const word of text.slice(indentation.length).split(' ')) {
    const wordWidth = visibleWidth(word)
    const gap = first || used === 0 ? 0 : 1
    first = false
    if (used + gap + wordWidth <= width) {
      line += gap === 1 ? ` ${word}` : word
      used += gap + wordWidth
      continue
    }
    if (gap === 1 && wordWidth <= restWidth) {
      breakLine()
      line = word
      used = wordWidth
      continue
    }
    // Longer than any line (or first on its line): start it here, cut it at every line end.
    if (gap === 1 && used + 1 < width) {
      line += ' '
      used += 1
    } else if (gap === 1) {
      breakLine()
    }
    for (const piece of pieces(word)) {
      if (!isEscape(piece) && used === width) breakLine()
      line += piece
      if (!isEscape(piece)) used++
    }
  }
  lines.push(line)
  return lines
}

/**
 * `text` (any number of lines) wrapped to `width` columns, each wrapped line's
 * continuations indented by `hangingIndent` spaces, which count against the width.
 */
export function wrap(text: string, width: number | undefined, hangingIndent = 0): string {
  if (width === undefined) return text
  const pad = ' '.repeat(hangingIndent)
  const out: string[] = []
  for (const line of text.split('\n')) {
    const wrapped = wrapLine(line, width, width - hangingIndent)
    out.push(wrapped[0] as string)
    for (let i = 1; i < wrapped.length; i++) out.push(pad + wrapped[i])
  }
  return out.join('\n')
}
