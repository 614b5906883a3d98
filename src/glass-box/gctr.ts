/**
 * GCTR, NIST SP 800-38D §6.5: counter mode with the 32-bit counter GCM increments (§6.2).
 */

import { encryptBlockWithSchedule, type KeySchedule } from './aes.ts'

// #region inc32
/** §6.2: inc_32 adds 1 modulo 2^32 to the last 32 bits of a block; the first 96 stay as they are. */
export function inc32(block: Uint8Array): Uint8Array {
  const next = new Uint8Array(block)
  const view = new DataView(next.buffer)
  view.setUint32(12, (view.getUint32(12) + 1) >>> 0)
  return next
}
// #endregion inc32

// #region gctr
/**
 * §6.5 Algorithm 3: CB_1 = ICB, CB_i = inc_32(CB_(i-1)), Y_i = X_i ⊕ CIPH_K(CB_i). The last
 * block may be partial: it is XOR-ed with as many keystream bytes as it has. An empty
 * input gives an empty output (step 1).
 */
export function gctr(schedule: KeySchedule, icb: Uint8Array, input: Uint8Array): Uint8Array {
  const output = new Uint8Array(input.length)
  let counter = icb
  for (let offset = 0; offset < input.length; offset += 16) {
    const keystream = encryptBlockWithSchedule(schedule, counter)
    const end = Math.min(offset + 16, input.length)
    for (let i = offset; i < end; i++) {
      output[i] = (input[i] as number) ^ (keystream[i - offset] as number)
    }
    counter = inc32(counter)
  }
  return output
}
// #endregion gctr
