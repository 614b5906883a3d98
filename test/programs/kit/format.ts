/**
 * Small text helpers shared by the programs: hex dumps, shortening, counts, aligned
 * columns, relative times.
 */

import { visibleWidth } from './wrap.ts'

/** Lowercase hex of `bytes`, shortened in the middle beyond `maxBytes`. */
export function hex(bytes: Uint8Array, maxBytes = 32): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
  if (bytes.length <= maxBytes) return text
  const half = maxBytes / 2
  return `${text.slice(0, half * 2)}…${text.slice(-half * 2)}`
}

/** `text`, shortened in the middle to at most about `max` characters, saying how much was cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const head = Math.ceil(max * 0.75)
  const tail = max - head
  return `${text.slice(0, head)}…(${text.length - max} more)…${text.slice(text.length - tail)}`
}

/** "1 byte", "12 bytes", "1 character": the count and its unit, singular or plural. */
export function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/** Indents every line of `text` by `spaces`. */
export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces)
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i] === '' ? '' : pad + lines[i]
  return lines.join('\n')
}

/** `text` padded with spaces to `width` visible columns. */
export function padEnd(text: string, width: number): string {
  const missing = width - visibleWidth(text)
  return missing > 0 ? text + ' '.repeat(missing) : text
}

/** Rows of cells as aligned columns, two spaces apart; the last column is not padded. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(row[i] as string))
    }
  }
  const lines: string[] = []
  for (const row of rows) {
    const cells: string[] = []
    for (let i = 0; i < row.length; i++) {
      const cell = row[i] as string
      cells.push(i === row.length - 1 ? cell : padEnd(cell, widths[i] as number))
    }
    lines.push(cells.join('  ').trimEnd())
  }
  return lines.join('\n')
}

/** "in 14 min", "3 h ago", "now": how far `seconds` (an epoch time) is from `now`. */
export function relativeTime(seconds: number, now: number): string {
  const delta = seconds - now
  if (delta === 0) return 'now'
  const size = Math.abs(delta)
  let amount: string
  if (size < 120) amount = `${size} s`
  else if (size < 7200) amount = `${Math.round(size / 60)} min`
  else if (size < 172_800) amount = `${Math.round(size / 3600)} h`
  else amount = `${Math.round(size / 86_400)} days`
  return delta > 0 ? `in ${amount}` : `${amount} ago`
}

/** An epoch time as an ISO date, or a note when it is beyond what `Date` can hold. */
export function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? '(not a representable date)' : date.toISOString()
}
