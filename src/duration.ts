/**
 * Durations such as `'15m'`, `'1 hour'`, `'2 days ago'`, with the grammar jose accepts,
 * so that the same option string means the same number of seconds in both.
 */

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  // A Julian year, 365.25 days, as jose counts it.
  y: 31_557_600,
}

// sign?  space?  number  space?  unit  (" ago" | " from now")?
const DURATION =
  /^([+-])? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$/i

/** Seconds in a duration string; negative for `-5m` or `'5m ago'`. Throws a `TypeError` if malformed. */
export function durationSeconds(text: string): number {
  const match = typeof text === 'string' ? DURATION.exec(text) : null
  if (match === null)
    throw new TypeError(`invalid duration ${JSON.stringify(text)} (try '30s', '15m', '1h', '7d')`)
  const [, sign, amount, unit, direction] = match as unknown as [
    string,
    string?,
    string?,
    string?,
    string?,
  ]
  // A sign and a direction word together ("-5m ago") are ambiguous.
  if (sign !== undefined && direction !== undefined)
    throw new TypeError(`invalid duration ${JSON.stringify(text)}`)
  const perUnit = SECONDS_PER_UNIT[(unit as string).charAt(0).toLowerCase()] as number
  const seconds = Math.round(Number.parseFloat(amount as string) * perUnit)
  if (!Number.isFinite(seconds)) throw new TypeError(`invalid duration ${JSON.stringify(text)}`)
  const negative = sign === '-' || direction?.toLowerCase() === 'ago'
  return negative ? -seconds : seconds
}

/** Seconds from a duration option that may be a number of seconds or a string. */
export function durationOption(name: string, value: string | number): number {
  const seconds = typeof value === 'string' ? durationSeconds(value) : value
  // Number.isFinite does not coerce: it is false for anything but a finite number.
  if (!Number.isFinite(seconds))
    throw new TypeError(`${name} must be a finite number of seconds or a duration string`)
  if (seconds < 0) throw new TypeError(`${name} must not be negative`)
  return seconds
}

/** NumericDate (RFC 7519 §2): whole seconds since the epoch, as jose computes it. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

/**
 * Whole seconds since the epoch of a Date, or `undefined` for anything that is not one.
 * `instanceof Date` fails for a Date from another realm (a `vm` context, an iframe), so
 * the test is Date.prototype.getTime itself, which throws for anything without a date
 * inside. An invalid Date gives NaN, which callers refuse.
 */
export function dateSeconds(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  try {
    return Math.floor(Date.prototype.getTime.call(value) / 1000)
  } catch {
    return undefined
  }
}
