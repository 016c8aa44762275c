// The explorer benchmark's workload, shared by Node (scripts/bench-explore.ts) and the page it
// runs in Chromium (bundled from this file): a 3-thread scenario of 4 statements per thread.

import { explore, MODES, parseScenario, type Mode } from '../src/engine/index.ts'

export const EXPLORE_BENCH_SCENARIO = `title: explorer benchmark: three threads, four statements each
threads: main, T1, T2
main: x = list() as L
main: G.l = x
main: o = object() as O
main: x.append(o)
T1: a = G.l
T1: b = a[0]
T1: a.append(b)
T1: del b
T2: c = G.l
T2: d = c.pop()
T2: del d
T2: del c
`

export interface ExploreBenchRow {
  readonly mode: Mode
  readonly threadStart: 'after-main' | 'anytime'
  readonly exhaustive: boolean
  readonly states: number
  readonly transitions: number
  /** Median wall time of the repetitions, ms. */
  readonly ms: number
  readonly statesPerSecond: number
}

/** Explores the benchmark scenario in every mode and both start policies; median of `runs`. */
export function runExploreBench(runs: number, now: () => number): ExploreBenchRow[] {
  const parsed = parseScenario(EXPLORE_BENCH_SCENARIO, 'explore-bench.scenario')
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
  const rows: ExploreBenchRow[] = []
  for (const threadStart of ['after-main', 'anytime'] as const) {
    for (const mode of MODES) {
      explore(parsed.scenario, { mode, threadStart }) // warm-up
      const times: number[] = []
      let last = explore(parsed.scenario, { mode, threadStart })
      for (let i = 0; i < runs; i++) {
        const start = now()
        last = explore(parsed.scenario, { mode, threadStart })
        times.push(now() - start)
      }
      times.sort((a, b) => a - b)
      const ms = times[Math.floor(times.length / 2)]!
      rows.push({ mode, threadStart, exhaustive: last.exhaustive, states: last.states, transitions: last.transitions, ms: Math.round(ms * 10) / 10, statesPerSecond: Math.round((last.states / ms) * 1000) })
    }
  }
  return rows
}
