/**
 * What people paste is not always the bare token: it comes with the HTTP scheme
 * ("Bearer eyJ…", or the whole "Authorization: Bearer eyJ…" header line), in quotes
 * from a JSON file or a shell, or with spaces around it. Those are removed, each with
 * a note, before the token is looked at. Anything inside the token stays as it is, to
 * be diagnosed.
 */

import type { Finding } from './json-lint.ts'

export interface CleanInput {
  readonly token: string
  /** One note per thing removed. */
  readonly notes: Finding[]
}

// RFC 9110 §11.6.2: the Authorization header field; RFC 9110 §11.1: auth schemes are
// case-insensitive; RFC 6750 §2.1: "Bearer", then one or more spaces, then the token.
const AUTHORIZATION = /^authorization:\s*/i
const BEARER = /^bearer\s+/i

/** `raw` without the packaging around a token, and what was taken off. */
export function cleanInput(raw: string): CleanInput {
  const notes: Finding[] = []
  let token = raw
  const trimmed = token.trim()
  if (trimmed !== token) {
    notes.push({
      where: 'input',
      rule: 'input.whitespace',
      message: 'had spaces or line breaks around the token; they were removed',
    })
    token = trimmed
  }
  const quote = token.charAt(0)
  if (token.length >= 2 && (quote === '"' || quote === "'") && token.endsWith(quote)) {
    notes.push({
      where: 'input',
      rule: 'input.quotes',
      message: `was in ${quote === '"' ? 'double' : 'single'} quotes; they were removed`,
    })
    token = token.slice(1, -1).trim()
  }
  const header = AUTHORIZATION.exec(token)
  if (header !== null) {
    notes.push({
      where: 'input',
      rule: 'input.authorization',
      message: 'began with "Authorization:", the HTTP header name (RFC 9110 §11.6.2); removed',
    })
    token = token.slice(header[0].length)
  }
  const bearer = BEARER.exec(token)
  if (bearer !== null) {
    notes.push({
      where: 'input',
      rule: 'input.bearer',
      message:
        'began with "Bearer ", the HTTP authentication scheme (RFC 6750 §2.1), not part of the token; removed',
    })
    token = token.slice(bearer[0].length).trim()
  }
  return { token, notes }
}
