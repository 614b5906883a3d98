/**
 * Differential properties, group "jwe-random-iv" (defined in ./properties.ts, shared with the
 * fuzz campaign). Runs per property: FC_NUM_RUNS; replay: FC_SEED and FC_PATH (docs/testing.md).
 */

import { describe, expect, test } from 'vitest'
import { differentialProperties, runParameters } from './properties.ts'

describe('JWE with random IVs: cross-decryption and IV freshness', () => {
  for (const property of differentialProperties().filter((p) => p.group === 'jwe-random-iv')) {
    test(property.title, async () => {
      const report = await property.check(runParameters())
      expect(report.failed, report.message).toBe(false)
      expect(report.numRuns).toBeGreaterThan(0)
    })
  }
})
