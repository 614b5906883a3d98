/**
 * A line diff for `solution N`: the participant's region next to the reference one,
 * as `-` (only yours), `+` (only the reference) and ` ` (both) lines. A longest common
 * subsequence over lines is plenty for regions of a few dozen lines.
 */

export interface DiffLine {
  readonly kind: 'same' | 'yours' | 'reference'
  readonly text: string
}

/** The lines of `yours` and `reference`, aligned on their longest common subsequence. */
export function lineDiff(yours: string, reference: string): DiffLine[] {
  const a = yours.split('\n')
  const b = reference.split('\n')
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common: number[][] = []
  for (let i = 0; i <= a.length; i++) common.push(new Array<number>(b.length + 1).fill(0))
  const at = (i: number, j: number): number => common[i]?.[j] ?? 0
  for (let i = a.length - 1; i >= 0; i--) {
    const row = common[i] as number[]
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1))
    }
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] as string })
      i++
      j++
    } else if (j < b.length && (i >= a.length || at(i, j + 1) >= at(i + 1, j))) {
      out.push({ kind: 'reference', text: b[j] as string })
      j++
    } else {
      out.push({ kind: 'yours', text: a[i] as string })
      i++
    }
  }
  return out
}
