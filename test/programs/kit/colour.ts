/**
 * Terminal colour: when to use it, and the handful of styles the tour and the
 * inspector need.
 *
 * The rules, in order (https://no-color.org and Node's own FORCE_COLOR convention):
 * 1. `NO_COLOR` set to any non-empty value: no colour, whatever else is set;
 * 2. `FORCE_COLOR` set: colour, unless it is `0` or `false`;
 * 3. otherwise colour only when stdout is a terminal that is not `TERM=dumb`.
 * Rule 3 keeps escape codes out of files, pipes and CI logs.
 */

import { stripVTControlCharacters } from 'node:util'

export type Env = Readonly<Record<string, string | undefined>>

export interface Terminal {
  readonly env: Env
  /** Whether stdout is a terminal. */
  readonly isTTY: boolean
}

/** Decides whether output to `terminal` may contain ANSI colour codes. */
export function colourEnabled(terminal: Terminal): boolean {
  const { env, isTTY } = terminal
  const noColour = env.NO_COLOR
  if (noColour !== undefined && noColour !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  if (!isTTY) return false
  return env.TERM !== 'dumb'
}

export type Style = 'red' | 'green' | 'yellow' | 'magenta' | 'cyan' | 'bold' | 'dim'

/** Each style as a function from text to (possibly) styled text. */
export type Palette = Readonly<Record<Style, (text: string) => string>>

// SGR codes (ECMA-48 §8.3.117): each style has its own "off" code, so styles nest
// without one switching off another.
const CODES: Readonly<Record<Style, readonly [number, number]>> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  bold: [1, 22],
  dim: [2, 22],
}

function styler(style: Style): (text: string) => string {
  const [on, off] = CODES[style]
  return function styled(text: string): string {
    return text === '' ? text : `\u001b[${on}m${text}\u001b[${off}m`
  }
}

function unstyled(text: string): string {
  return text
}

/** Styles that emit ANSI codes. */
export const COLOUR: Palette = {
  red: styler('red'),
  green: styler('green'),
  yellow: styler('yellow'),
  magenta: styler('magenta'),
  cyan: styler('cyan'),
  bold: styler('bold'),
  dim: styler('dim'),
}

/** Styles that leave text as it is. */
export const PLAIN: Palette = {
  red: unstyled,
  green: unstyled,
  yellow: unstyled,
  magenta: unstyled,
  cyan: unstyled,
  bold: unstyled,
  dim: unstyled,
}

/** The palette `terminal` calls for. */
export function paletteFor(terminal: Terminal): Palette {
  return colourEnabled(terminal) ? COLOUR : PLAIN
}

/** The text without ANSI colour codes, e.g. to measure how wide it prints. */
export function stripColour(text: string): string {
  return stripVTControlCharacters(text)
}
