/**
 * Runs every differential property of ./properties.ts (the registry the fuzz campaign,
 * test/campaigns/fuzz/campaign.ts, and the workshop's runner share), one describe per
 * group. Runs per property: FC_NUM_RUNS; replay: FC_SEED and FC_PATH (docs/testing.md).
 */

import { describe, expect, test } from 'vitest'
import { differentialProperties, type PropertyGroup, runParameters } from './properties.ts'

const GROUP_TITLES: Readonly<Record<PropertyGroup, string>> = {
  jws: 'JWS: signCompact/verifyCompact against jose CompactSign/compactVerify',
  'jwe-fixed-iv':
    'JWE with a fixed IV: encryptCompact/decryptCompact against jose CompactEncrypt/compactDecrypt',
  'jwe-random-iv': 'JWE with random IVs: cross-decryption and IV freshness',
  claims:
    'JWT claims: verifyJwt/decryptJwt against jose jwtVerify/jwtDecrypt, clocks at every boundary',
  nested: 'nested tokens: signThenEncrypt/decryptThenVerify against jose sign-then-encrypt',
  tampering: 'tampering: single mutations of valid tokens, src against the reference adapter',
  garbage: 'garbage in: strings, byte soup and near-tokens get typed errors only',
}

const properties = differentialProperties()

for (const [group, title] of Object.entries(GROUP_TITLES)) {
  describe(title, () => {
    for (const property of properties.filter((p) => p.group === group)) {
      test(property.title, async () => {
        const report = await property.check(runParameters())
        expect(report.failed, report.message).toBe(false)
        expect(report.numRuns).toBeGreaterThan(0)
      })
    }
  })
}
