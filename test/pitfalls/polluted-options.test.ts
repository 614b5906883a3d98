/**
 * Pitfall 19: options read through the prototype.
 * Page: docs/pitfalls/polluted-options.md (every value it quotes is asserted here).
 */

import { encryptJwt } from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import { afterEach, describe, expect, test } from 'vitest'
import { recoverOtherPlaintext } from './iv-reuse.ts'
import { naiveEncryptClaims } from './polluted-options.ts'
import {
  naiveDeepMerge,
  restoreObjectPrototype,
  snapshotObjectPrototype,
} from './prototype-pollution.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
const ALICE = { sub: 'alice', email: 'alice@corp.example', salary: 98000 }
const MALLORY = { sub: 'mallory', name: 'Mallory Mallard, Senior Vice President of Long Names' }

/** The request body a polluting merge elsewhere in the application accepts (pitfall 15). */
const BODY = '{"__proto__":{"iv":"jose-by-hand"}}'
const IV_SEGMENT = 'am9zZS1ieS1oYW5k'

const snapshot = snapshotObjectPrototype()
afterEach(() => {
  restoreObjectPrototype(snapshot)
})

/** Pollutes Object.prototype the way a real bug does: a merge of attacker JSON. */
function polluteThroughMerge(): void {
  naiveDeepMerge({}, JSON.parse(BODY))
}

describe('a polluted Object.prototype.iv', () => {
  test('the naive encryptor seals every token under the planted IV', () => {
    polluteThroughMerge()
    const alice = naiveEncryptClaims(ALICE, KEY)
    const mallory = naiveEncryptClaims(MALLORY, KEY)
    expect(alice.split('.')[2]).toBe(IV_SEGMENT)
    expect(mallory.split('.')[2]).toBe(IV_SEGMENT)
    // Pitfall 8's attack, unchanged: Mallory's own token and claims read Alice's.
    expect(recoverOtherPlaintext(mallory, JSON.stringify(MALLORY), alice)).toBe(
      JSON.stringify(ALICE),
    )
  })

  test('unpolluted, the same encryptor draws a fresh IV for every token', () => {
    const ivs = new Set(
      Array.from({ length: 20 }, () => naiveEncryptClaims(ALICE, KEY).split('.')[2]),
    )
    expect(ivs.size).toBe(20)
  })

  test('src and the reference read only own properties: fresh IVs, and the attack fails', async () => {
    polluteThroughMerge()
    for (const encrypt of [encryptJwt, reference.encryptJwt]) {
      const alice = await encrypt(ALICE, KEY, {})
      const mallory = await encrypt(MALLORY, KEY, {})
      expect(alice.split('.')[2]).not.toBe(IV_SEGMENT)
      expect(alice.split('.')[2]).not.toBe(mallory.split('.')[2])
      expect(recoverOtherPlaintext(mallory, JSON.stringify(MALLORY), alice)).not.toBe(
        JSON.stringify(ALICE),
      )
    }
  })
})
