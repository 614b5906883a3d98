/**
 * Differential properties, group "nested" (defined in ./properties.ts, shared with the
 * fuzz campaign). Runs per property: FC_NUM_RUNS; replay: FC_SEED and FC_PATH (docs/testing.md).
 */

import { describe, expect, test } from 'vitest'
import { differentialProperties, runParameters } from './properties.ts'

describe('nested tokens: signThenEncrypt/decryptThenVerify against jose sign-then-encrypt', () => {
  for (const property of differentialProperties().filter((p) => p.group === 'nested')) {
    test(property.title, async () => {
      const report = await property.check(runParameters())
      expect(report.failed, report.message).toBe(false)
      expect(report.numRuns).toBeGreaterThan(0)
    })
  }
})
