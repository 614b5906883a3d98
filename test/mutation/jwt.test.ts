/**
 * src/jwt.ts `signJwt`: without a header it signs under the default header
 * `{ alg: 'HS256', typ: 'JWT' }`, serialised once and reused. A header of `null`
 * (as read from a configuration file, say) means "no header given", as it did before
 * the segment was cached; mutation testing found that case unpinned.
 */

import { signJwt, verifyJwt } from 'jose-by-hand'
import { expect, test } from 'vitest'
import { b64u } from '../support/forge.ts'

const KEY = new Uint8Array(32).fill(1)

test.each([
  ['no options', undefined],
  ['no header', {}],
  ['header: undefined', { header: undefined }],
  ['header: null', { header: null }],
])('%s: the default header, byte for byte', (_case, options) => {
  const token = signJwt({ sub: 'a' }, KEY, options as never)
  expect(token.split('.')[0]).toBe(b64u('{"alg":"HS256","typ":"JWT"}'))
  expect(token).toBe(signJwt({ sub: 'a' }, KEY, { header: { alg: 'HS256', typ: 'JWT' } }))
  expect(verifyJwt(token, KEY).protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
})
