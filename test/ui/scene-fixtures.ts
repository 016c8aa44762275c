// Scenarios and helpers shared by the scene tests. Inline texts, so the tests do not move when
// the example stories are edited.

import { parseScenario, runScenario, type Mode, type Trace } from '../../src/engine'

export function run(text: string, mode?: Mode): Trace {
  const parsed = parseScenario(text, 'test.scenario')
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'))
  return runScenario(parsed.scenario, mode ? { mode } : {})
}

/** The position right after the first step whose op is `op` (and, optionally, matches `when`). */
export function after(trace: Trace, op: string, nth = 0): number {
  let seen = 0
  for (const s of trace.steps) {
    if (s.op === op) {
      if (seen === nth) return s.index + 1
      seen++
    }
  }
  throw new Error(`no step ${op} #${nth} in ${trace.steps.map((s) => s.op).join(', ')}`)
}

/** A reference handed over through a queue, dropped by a non-owner: queued, merged, freed. */
export const QUEUED = `title: queued then merged
threads: main, T1
main: x = object() as O
main: q = Queue() as Q
main: G.q = q
main: q.put(x)
T1:   q = G.q
T1:   y = q.get()
T1:   del y
main: pass
main: del x
`

/** A contended critical section: T1 parks on A, main hands it over. */
export const SECTIONS = `title: sections
threads: main, T1
main: a = list() as A
main: G.a = a
T1:   a = G.a
main: Py_BEGIN_CRITICAL_SECTION(a)
T1:   Py_BEGIN_CRITICAL_SECTION(a)
main: Py_END_CRITICAL_SECTION()
T1:   a.append(a)
T1:   Py_END_CRITICAL_SECTION()
`

/** Immortal None, a deferred function reached through tagged references, a collection. */
export const DEFERRED = `title: deferred
threads: main, T1
main: n = None as NONE
main: f = function() as F
main: G.f = f
main: G.n = n
T1:   m = G.n
T1:   g = G.f
main: del G.f
main: del f
T1:   del g
main: gc.collect()
`

/** Plain counting under the GIL, with two threads taking turns. */
export const HANDOFF = `title: handoff
threads: main, T1
main: x = list() as L
main: G.shared = x
T1:   y = G.shared
T1:   del y
main: del x
`

/** unsafe mode: both threads read 2 and write 3; one increment is lost. */
export const LOST_UPDATE = `title: lost update
mode: unsafe
threads: main, T1
schedule: main main main main main main main T1 T1 main T1 main
main: x = object() as O
main: G.x = x
main: z = x
T1:   y = G.x
main: del z
main: del G.x
T1:   del y
main: del x
`
