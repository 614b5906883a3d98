/**
 * The bonus step's reference answer: the property that breaks the naive verifier
 * (./naive-verifier.ts) and holds for src/. Shown by `solution bonus` only after the
 * participant's own property has passed.
 */

import { arb, type BonusProperty, fc, signCompact, type Verifier } from './toolkit.ts'

/**
 * A correctly signed token whose signature is cut short (to any number of whole MAC
 * bytes, zero included) must be rejected: a MAC is only as strong as the bytes that
 * were actually compared (RFC 7515 §5.2 step 8 compares the whole MAC).
 */
export function property(verify: Verifier): BonusProperty {
  return fc.property(
    arb.hmacKey(32),
    arb.payloadBytes(256),
    fc.integer({ min: 0, max: 31 }),
    function truncatedSignatureIsRejected(key, payload, keptBytes): void {
      const [header, body, signature] = signCompact(payload, key).split('.') as [
        string,
        string,
        string,
      ]
      const mac = Buffer.from(signature, 'base64url')
      const truncated = `${header}.${body}.${mac.subarray(0, keptBytes).toString('base64url')}`
      let accepted = false
      try {
        verify(truncated, key)
        accepted = true
      } catch {
        // Rejected, as it must be.
      }
      if (accepted) throw new Error(`accepted a signature cut to ${keptBytes} of 32 bytes`)
    },
  )
}
