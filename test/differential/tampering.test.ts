/**
 * Differential properties, group "tampering" (defined in ./properties.ts, shared with the
 * fuzz campaign). Runs per property: FC_NUM_RUNS; replay: FC_SEED and FC_PATH (docs/testing.md).
 */

import { describe, expect, test } from 'vitest'
import { differentialProperties, runParameters } from './properties.ts'

describe('tampering: single mutations of valid tokens, ours against the reference adapter', () => {
  for (const property of differentialProperties().filter((p) => p.group === 'tampering')) {
    test(property.title, async () => {
      const report = await property.check(runParameters())
      expect(report.failed, report.message).toBe(false)
      expect(report.numRuns).toBeGreaterThan(0)
    })
  }
})
