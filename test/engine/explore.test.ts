// The interleaving explorer (src/engine/explore.ts): the classic results, counterexamples that
// replay, the limits, and partial-order reduction that reaches exactly the states of the full
// search.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { explore, parseScenario, runScenario, withSchedule, type ExploreOptions, type Mode, type Scenario } from '../../src/engine/index.ts'
import { programArb } from './programs.ts'

function parse(text: string): Scenario {
  const r = parseScenario(text, 'test.scenario')
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'))
  return r.scenario
}

const SAFE_MODES: readonly Mode[] = ['free-threaded', 'gil', 'atomic']

/** main publishes O; T1 takes and drops a reference while main drops its own. */
const REFCOUNT_RACE = `title: two threads share one object
threads: main, T1
main: x = object() as O
main: G.x = x
T1:   y = G.x
T1:   del y
main: del x
`

/** Two plain mutexes taken in opposite orders. */
const NAIVE_LOCKS = `title: naive locks
threads: main, T1
main: a = list() as A
main: b = list() as B
main: G.a = a
main: G.b = b
T1:   a = G.a
T1:   b = G.b
main: PyMutex_Lock(a)
T1:   PyMutex_Lock(b)
main: PyMutex_Lock(b)
T1:   PyMutex_Lock(a)
main: PyMutex_Unlock(b)
T1:   PyMutex_Unlock(a)
main: PyMutex_Unlock(a)
T1:   PyMutex_Unlock(b)
`

/** The same program with critical sections: nested sections taken in the same opposite orders. */
const SECTIONS = NAIVE_LOCKS.replace(/PyMutex_Lock\((\w)\)/g, 'Py_BEGIN_CRITICAL_SECTION($1)').replace(/PyMutex_Unlock\(\w\)/g, 'Py_END_CRITICAL_SECTION()')

/** Runs a counterexample's schedule through the ordinary runner (what the UI's "open" does). */
function replay(text: string, schedule: readonly string[], mode: Mode) {
  return runScenario(parse(withSchedule(text, schedule, mode)))
}

describe('explorer: the classic results', () => {
  it('unsafe mode finds a use-after-free in a two-thread refcount race, and its schedule replays to it', () => {
    const r = explore(parse(REFCOUNT_RACE), { mode: 'unsafe' })
    expect(r.exhaustive).toBe(true)
    const uaf = r.outcomes.find((o) => o.kind === 'use-after-free')
    expect(uaf, JSON.stringify(r.outcomes)).toBeDefined()
    expect(uaf!.schedule.length).toBe(uaf!.step) // no GIL switches: one recorded step per entry
    const t = replay(REFCOUNT_RACE, uaf!.schedule, 'unsafe')
    const v = t.violations.find((x) => x.kind === 'use-after-free')
    expect(v).toBeDefined()
    // The violation happens on the schedule's last micro-step, not later.
    expect(v!.step).toBe(uaf!.step - 1)
  })

  it.each(SAFE_MODES)('%s mode finds nothing wrong in the same race, in every interleaving', (mode) => {
    const r = explore(parse(REFCOUNT_RACE), { mode })
    expect(r.exhaustive).toBe(true)
    expect(r.limit).toBeNull()
    expect(r.outcomes).toEqual([])
    expect(r.states).toBeGreaterThan(10)
    expect(r.schedules).toBeGreaterThan(1)
  })

  it.each(['free-threaded', 'gil', 'atomic', 'unsafe'] as const)('naive mutexes in opposite orders deadlock (%s), and the schedule replays to the deadlock', (mode) => {
    const r = explore(parse(NAIVE_LOCKS), { mode })
    expect(r.exhaustive).toBe(true)
    expect(r.outcomes.map((o) => o.kind)).toEqual(['deadlock'])
    const d = r.outcomes[0]!
    expect(d.message).toMatch(/main .*waits for B's mutex, held by T1|T1 .*waits for A's mutex, held by main/)
    const t = replay(NAIVE_LOCKS, d.schedule, mode)
    expect(t.outcome.kind).toBe('deadlock')
    expect(t.length).toBe(d.step)
  })

  it.each(['free-threaded', 'gil', 'atomic'] as const)('critical sections in the same opposite orders never deadlock (%s)', (mode) => {
    const r = explore(parse(SECTIONS), { mode })
    expect(r.exhaustive).toBe(true)
    expect(r.outcomes).toEqual([])
  })

  it('a failed expectation comes with a schedule under which the runner fails it too', () => {
    const text = REFCOUNT_RACE + 'expect O: refcount=2\n'
    const r = explore(parse(text), { mode: 'free-threaded' })
    const e = r.outcomes.find((o) => o.kind === 'expectation')
    expect(e).toBeDefined()
    expect(e!.line).toBe(8)
    const t = replay(text, e!.schedule, 'free-threaded')
    expect(t.expectations.some((x) => !x.ok)).toBe(true)
  })

  it('a run-time error (reading a global before it is stored) is an outcome when threads may start at any time', () => {
    const after = explore(parse(REFCOUNT_RACE), { mode: 'free-threaded' })
    expect(after.outcomes).toEqual([])
    const anytime = explore(parse(REFCOUNT_RACE), { mode: 'free-threaded', threadStart: 'anytime' })
    const err = anytime.outcomes.find((o) => o.kind === 'error')
    expect(err?.message).toMatch(/NameError/)
    expect(err?.line).toBe(5)
    // T1 reads G.x first: the shortest such schedule is T1's start and its read.
    expect(err?.schedule).toEqual(['T1', 'T1'])
  })
})

describe('explorer: shortest counterexamples', () => {
  it('the reported use-after-free is as short as the one a full, unreduced search finds', () => {
    const reduced = explore(parse(REFCOUNT_RACE), { mode: 'unsafe' })
    const full = explore(parse(REFCOUNT_RACE), { mode: 'unsafe', reduce: false })
    const len = (r: typeof reduced) => r.outcomes.find((o) => o.kind === 'use-after-free')!.step
    expect(len(reduced)).toBe(len(full))
  })
})

describe('explorer: limits and cancelling', () => {
  const sc = () => parse(NAIVE_LOCKS)
  it('stops at maxStates and says it was not exhaustive', () => {
    const r = explore(sc(), { mode: 'free-threaded', limits: { maxStates: 10 } })
    expect(r.exhaustive).toBe(false)
    expect(r.limit).toBe('states')
    expect(r.states).toBeLessThanOrEqual(10)
  })
  it('stops following a schedule at maxDepth', () => {
    const r = explore(sc(), { mode: 'free-threaded', limits: { maxDepth: 5 } })
    expect(r.exhaustive).toBe(false)
    expect(r.limit).toBe('depth')
    expect(r.outcomes).toEqual([]) // the deadlock needs more than 5 micro-steps
  })
  it('stops at maxSchedules', () => {
    const r = explore(sc(), { mode: 'free-threaded', limits: { maxSchedules: 3 } })
    expect(r.limit).toBe('schedules')
    expect(r.schedules).toBeLessThanOrEqual(3)
  })
  it('stops before the states waiting to be expanded outgrow memory', () => {
    // Four threads working on their own lists: a wide frontier of states, each a saved copy.
    const text = `threads: main, T1, T2, T3\n${['a = list()', 'b = a', 'a.append(b)', 'del b', 'del a'].flatMap((s) => ['main', 'T1', 'T2', 'T3'].map((t) => `${t}: ${s}`)).join('\n')}\n`
    const r = explore(parse(text), { mode: 'free-threaded', threadStart: 'anytime', limits: { maxSavedRecords: 5_000 } })
    expect(r.limit).toBe('memory')
    expect(r.exhaustive).toBe(false)
    const free = explore(parse(text), { mode: 'free-threaded', threadStart: 'anytime', limits: { maxStates: r.states + 50 } })
    expect(free.limit).not.toBe('memory')
  })
  it('stops when its time is up (a fake clock) and when cancelled, reporting progress', () => {
    let clock = 0
    const body = ['a = list()', 'b = a', 'del b', 'a.append(a)', 'del a']
    const big = parse(`threads: main, T1, T2\n${body.flatMap((s) => ['main', 'T1', 'T2'].map((t) => `${t}: ${s}`)).join('\n')}\n`)
    const timed = explore(big, { mode: 'unsafe', limits: { maxMs: 50 }, now: () => (clock += 100) })
    expect(timed.limit).toBe('time')
    const seen: number[] = []
    const cancelled = explore(big, { mode: 'unsafe', onProgress: (p) => seen.push(p.states), shouldStop: () => seen.length >= 2 })
    expect(cancelled.limit).toBe('cancelled')
    expect(seen.length).toBe(2)
    expect(seen[1]!).toBeGreaterThan(seen[0]!)
  })
})

/**
 * Small programs that share objects between threads: main publishes O and two lists, workers
 * take and drop references to O and lock the lists' mutexes in either order. Valid under every
 * schedule (workers start after main's setup), but racy: unsafe mode loses counts, and opposite
 * lock orders deadlock.
 */
const BLOCKS = [
  ['r = G.x', 'del r'],
  ['r = G.x', 's = r', 'del r', 'del s'],
  ['a = G.a', 'b = G.b', 'PyMutex_Lock(a)', 'PyMutex_Lock(b)', 'PyMutex_Unlock(b)', 'PyMutex_Unlock(a)', 'del a', 'del b'],
  ['a = G.a', 'b = G.b', 'PyMutex_Lock(b)', 'PyMutex_Lock(a)', 'PyMutex_Unlock(a)', 'PyMutex_Unlock(b)', 'del a', 'del b'],
  ['a = G.a', 'Py_BEGIN_CRITICAL_SECTION(a)', 'r = G.x', 'a.append(r)', 'Py_END_CRITICAL_SECTION()', 'del r', 'del a'],
]
const racyProgramArb = fc
  .record({
    workers: fc.array(fc.array(fc.nat({ max: BLOCKS.length - 1 }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
    mainDropsX: fc.boolean(),
  })
  .map(({ workers, mainDropsX }) => {
    const names = ['main', ...workers.map((_, i) => `T${i + 1}`)]
    const lines = [`threads: ${names.join(', ')}`, 'main: x = object() as O', 'main: G.x = x', 'main: a = list() as A', 'main: G.a = a', 'main: b = list() as B', 'main: G.b = b']
    workers.forEach((blocks, i) => {
      for (const block of blocks) for (const statement of BLOCKS[block]!) lines.push(`${names[i + 1]}: ${statement}`)
    })
    if (mainDropsX) lines.push('main: del x')
    return lines.join('\n') + '\n'
  })

describe('explorer: partial-order reduction', () => {
  const keys = (sc: Scenario, opts: ExploreOptions) => {
    const set = new Set<number>()
    const r = explore(sc, { ...opts, onState: (k) => set.add(k) })
    return { r, set }
  }

  it('reaches exactly the states and outcome kinds of the full search, on random programs in every mode', () => {
    let compared = 0
    let saved = 0
    fc.assert(
      fc.property(programArb(2, { maxWorkers: 2, maxMainCmds: 2 }), fc.constantFrom<Mode>('free-threaded', 'atomic', 'unsafe'), (p, mode) => {
        const sc = parse(p.text)
        const limits = { maxStates: 5_000 }
        const full = keys(sc, { mode, limits, reduce: false })
        if (!full.r.exhaustive) return
        const reduced = keys(sc, { mode, limits })
        expect(reduced.r.exhaustive).toBe(true)
        expect(reduced.set).toEqual(full.set)
        expect(reduced.r.outcomes.map((o) => o.kind).sort()).toEqual(full.r.outcomes.map((o) => o.kind).sort())
        expect(reduced.r.transitions).toBeLessThanOrEqual(full.r.transitions)
        compared++
        saved += full.r.transitions - reduced.r.transitions
      }),
      { numRuns: 25, seed: 703 },
    )
    expect(compared).toBeGreaterThan(12)
    expect(saved).toBeGreaterThan(0) // the reduction does prune something
  }, 120_000)

  it('every outcome on random racy programs replays, through the ordinary runner, to the same kind at the same step', () => {
    let replayed = 0
    fc.assert(
      fc.property(racyProgramArb, fc.constantFrom<Mode>('free-threaded', 'gil', 'atomic', 'unsafe'), (text, mode) => {
        const r = explore(parse(text), { mode, limits: { maxStates: 3_000 } })
        for (const o of r.outcomes) {
          const t = replay(text, o.schedule, mode)
          if (o.kind === 'use-after-free' || o.kind === 'leak') expect(t.violations.find((v) => v.kind === o.kind)?.message).toBe(o.message.split('; ')[0])
          if (o.kind === 'use-after-free') expect(t.violations.find((v) => v.kind === o.kind)!.step).toBe(o.step - 1)
          if (o.kind === 'deadlock') expect([t.outcome.kind, t.length]).toEqual(['deadlock', o.step])
          if (o.kind === 'error') expect(t.outcome.kind).toBe('error')
          replayed++
        }
        if (mode !== 'unsafe') expect(r.outcomes.filter((o) => o.kind === 'use-after-free' || o.kind === 'leak')).toEqual([])
      }),
      { numRuns: 100, seed: 1703 },
    )
    expect(replayed).toBeGreaterThan(15)
  }, 120_000)

  it('is deterministic: the same scenario gives the same result', () => {
    const a = explore(parse(REFCOUNT_RACE), { mode: 'unsafe', now: () => 0 })
    const b = explore(parse(REFCOUNT_RACE), { mode: 'unsafe', now: () => 0 })
    expect(b).toEqual(a)
  })
})

describe('withSchedule', () => {
  it('replaces an existing schedule header and keeps every other line', () => {
    const text = 'title: t\nthreads: main, T1\nschedule: round-robin\nmain: x = list()\n'
    expect(withSchedule(text, ['main', 'T1'])).toBe('title: t\nthreads: main, T1\nschedule: main T1\nmain: x = list()\n')
  })
  it('sets the mode header when given one, so the schedule replays in that mode', () => {
    const text = 'threads: main, T1\nmode: gil\nmain: x = list()\n'
    expect(withSchedule(text, ['main'], 'unsafe')).toBe('threads: main, T1\nschedule: main\nmode: unsafe\nmain: x = list()\n')
    expect(withSchedule('threads: main\nmain: pass\n', ['main'], 'atomic')).toBe('threads: main\nschedule: main\nmode: atomic\nmain: pass\n')
  })
  it('adds one after the threads header, and a very long one still parses', () => {
    const text = 'threads: main, T1\nmain: x = list()\n'
    expect(withSchedule(text, ['main'])).toBe('threads: main, T1\nschedule: main\nmain: x = list()\n')
    const long = withSchedule(text, Array.from({ length: 1500 }, () => 'main'))
    const r = parseScenario(long, 'long.scenario')
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.scenario.schedule).toMatchObject({ k: 'explicit' })
  })
})
