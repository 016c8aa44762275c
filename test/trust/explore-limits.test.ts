// The interleaving explorer respects its limits on a hostile scenario (16 threads, 100 shared
// objects, collections): with a real clock it stops close to its time budget, and the state,
// schedule and depth limits stop it early. (test/engine/explore.test.ts checks each limit on
// small scenarios with a fake clock; this is the wall-clock view a page or worker gets.)

import { describe, expect, it, vi } from 'vitest'
import { explore, parseScenario, type Scenario } from '../../src/engine'

function hostile(): Scenario {
  const threads = Array.from({ length: 16 }, (_, i) => `T${i}`)
  const lines = [`threads: main, ${threads.join(', ')}`]
  for (let i = 0; i < 100; i++) lines.push(`main: v${i} = list()`, `main: G.g${i} = v${i}`)
  for (const t of threads) for (let k = 0; k < 10; k++) lines.push(`${t}: r${k} = G.g${k}`, `${t}: gc.collect()`, `${t}: del r${k}`)
  const parsed = parseScenario(lines.join('\n') + '\n', 'hostile.scenario')
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
  return parsed.scenario
}

const now = () => performance.now()

describe('the explorer stops at its limits on a hostile scenario', () => {
  const sc = hostile()

  it('maxMs: stops within the budget plus a little (the clock is read every 64 transitions)', () => {
    const t0 = performance.now()
    const r = explore(sc, { limits: { maxMs: 200 }, now })
    const took = performance.now() - t0
    expect(r.limit).toBe('time')
    expect(r.exhaustive).toBe(false)
    // Was 1,300 ms when the clock was read every 2,000 transitions.
    expect(took).toBeLessThan(600)
  })

  it('shouldStop: cancels within a few dozen transitions', () => {
    let polls = 0
    const r = explore(sc, { limits: { maxMs: 60_000 }, now, shouldStop: () => ++polls >= 3 })
    expect(r.limit).toBe('cancelled')
    expect(r.transitions).toBeLessThanOrEqual(3 * 64)
  })

  it('maxStates, maxSchedules and maxDepth stop it, each with its own name', () => {
    const states = explore(sc, { limits: { maxStates: 300 }, now })
    expect(states).toMatchObject({ limit: 'states', states: 300, exhaustive: false })
    const schedules = explore(sc, { limits: { maxSchedules: 5 }, now })
    expect(schedules.limit).toBe('schedules')
    expect(schedules.schedules).toBeLessThanOrEqual(5)
    const depth = explore(sc, { limits: { maxDepth: 3, maxStates: 5_000 }, now })
    expect(depth.limit).toBe('depth')
  })
})

describe("the playground's explorer worker keeps to its time budget", () => {
  it('passes a clock: the search stops at maxMs and reports its time (it ran unbounded, "in 0.0 s")', async () => {
    const posted: { type: string; result?: { limit: string | null; ms: number } }[] = []
    const scope = { onmessage: null as ((e: { data: unknown }) => void) | null, postMessage: (m: (typeof posted)[number]) => posted.push(m) }
    vi.stubGlobal('self', scope)
    try {
      await import('../../src/playground/explore.worker')
      const threads = Array.from({ length: 16 }, (_, i) => `T${i}`)
      const lines = [`threads: main, ${threads.join(', ')}`]
      for (let i = 0; i < 100; i++) lines.push(`main: v${i} = list()`, `main: G.g${i} = v${i}`)
      for (const t of threads) for (let k = 0; k < 10; k++) lines.push(`${t}: r${k} = G.g${k}`, `${t}: gc.collect()`, `${t}: del r${k}`)
      const t0 = performance.now()
      scope.onmessage!({ data: { text: lines.join('\n') + '\n', file: 'w.scenario', mode: null, limits: { maxMs: 200 } } })
      expect(performance.now() - t0).toBeLessThan(1_000)
      const done = posted.find((m) => m.type === 'done')
      expect(done?.result?.limit).toBe('time')
      expect(done?.result?.ms).toBeGreaterThanOrEqual(200)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
