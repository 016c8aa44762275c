// The fuzz targets of `npm run fuzz` (scripts/fuzz.ts), a few thousand cases each, in `npm test`.
// FUZZ_TEST_RUNS changes the count; a failure prints fast-check's seed and path to replay it.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadTargets } from './targets'

const RUNS = Number(process.env.FUZZ_TEST_RUNS ?? 2000)
// Generous for a loaded 2-core CI machine; `npm run fuzz` holds each case to 250 ms.
const MAX_MS = 1000

describe('fuzz: untrusted input never escapes as an exception, never stalls', () => {
  for (const t of loadTargets()) {
    it(t.name, async () => {
      let slowest = 0
      const body = async (input: unknown) => {
        const t0 = performance.now()
        await t.run(input)
        const ms = performance.now() - t0
        slowest = Math.max(slowest, ms)
        if (ms > MAX_MS) throw new Error(`took ${ms.toFixed(0)} ms`)
      }
      await fc.assert(fc.asyncProperty(t.arbitrary, body), { numRuns: RUNS })
      expect(slowest).toBeLessThan(MAX_MS)
    }, 120_000)
  }
})
