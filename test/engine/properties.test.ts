// Property-based tests of the engine: random valid scenarios, random schedules, and invariants
// that must hold at every micro-step (see /work/shared/spec/model.md).
//
// The generator writes scenario *text* (so the parser is exercised too). Every statement it
// writes is valid both statically (variables bound earlier in the same thread, matching
// critical-section begin/end) and at run time under any schedule:
// - lists are popped only when they cannot be empty: a thread's own unpublished list has a
//   known length; every list ever stored under a list key `G.lK` holds at least PREFILL items
//   when it is stored, and the pops from lists reached through `G.lK` are budgeted to PREFILL
//   in total over all threads;
// - a thread reads `G.k` only after it has stored `G.k` itself. The language has no way to
//   start threads after main's setup, so under round-robin and random schedules a thread may
//   run before main has published anything; storing first makes a read valid under every
//   schedule. Under the default schedule main's setup lines come first, so main's objects are
//   what the threads read first.
// - with `cycles: false`, lists only ever hold non-list objects: the object graph is acyclic,
//   so reference counting alone must free everything that G does not reach, under any schedule.

import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  parseScenario,
  runScenario,
  type Mode,
  type RunOptions,
  type Scenario,
  type WorldState,
} from '../../src/engine/index.ts'

import { programArb, type Program } from './programs.ts'

// ------------------------------------------------------------------------------------ helpers

/** PROPERTIES_SCALE=10 npx vitest run … runs every property ten times as often. */
const SCALE = Number(process.env.PROPERTIES_SCALE) || 1
const runs = (n: number) => Math.max(1, Math.round(n * SCALE))
const TIMEOUT = 60_000 * SCALE
/** Generated programs take a few hundred micro-steps; a run this long is stuck. */
const MAX_STEPS = 50_000

type Sched = NonNullable<RunOptions['schedule']>
const SAFE_MODES: readonly Mode[] = ['free-threaded', 'gil', 'atomic']

function parse(p: Program | string): Scenario {
  const text = typeof p === 'string' ? p : p.text
  const r = parseScenario(text, 'generated.scenario')
  if (!r.ok) throw new Error(`generated scenario does not parse:\n${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n')}\n${numbered(text)}`)
  return r.scenario
}

function numbered(text: string): string {
  return text
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(3)}  ${l}`)
    .join('\n')
}

function schedName(s: Sched): string {
  return s.k === 'random' ? `random(seed=${s.seed})` : s.k
}

class PropertyFailure extends Error {}
function fail(ctx: string, msg: string): never {
  throw new PropertyFailure(`${ctx}: ${msg}`)
}

/** Objects reachable from `roots` through container slots. */
function reach(w: WorldState, roots: Iterable<number>): Set<number> {
  const seen = new Set<number>()
  const stack = [...roots]
  while (stack.length) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    for (const s of w.objects[id]!.slots) stack.push(s.obj)
  }
  return seen
}

/**
 * Invariants of one state. `ctx` names the run and position in failure messages.
 * - mutexes: a mutex is claimed (by a held part of a critical section, or a direct lock) at most
 *   once in the whole world, the claimant is `lockedBy`, and a locked mutex has a claimant;
 *   a thread blocked on a mutex is among its waiters exactly once, every waiter is blocked on
 *   it, and a mutex with waiters is locked (no lost wake-up);
 * - counts: for every live, non-immortal object the true count equals the counted references
 *   (`refs`): local + shared in free-threaded mode, ob_refcnt in gil and atomic modes;
 * - heap blocks: a freed object's block is on its page's free lists exactly once, a live one's
 *   never (catches double frees that no violation reports);
 * - no dangling reference: nothing reachable from G, a thread's variables, C references or a
 *   merge queue is freed.
 */
function checkState(w: WorldState, mode: Mode, ctx: string) {
  const claims = new Map<number, number[]>()
  const claim = (obj: number, t: number) => {
    const list = claims.get(obj)
    if (list) list.push(t)
    else claims.set(obj, [t])
  }
  for (const th of w.threads) {
    for (const s of th.sections) for (let i = 0; i < s.held; i++) claim(s.objs[i]!, th.index)
    for (const d of th.directLocks) claim(d, th.index)
    if (th.status === 'blocked' && th.blockedOn?.kind === 'mutex') {
      const o = w.objects[th.blockedOn.obj]!
      const n = o.waiters.filter((x) => x === th.index).length
      if (n !== 1) fail(ctx, `${th.name} is blocked on ${o.label}'s mutex but appears ${n} times in its waiters [${o.waiters.join(', ')}]`)
    }
  }
  for (const o of w.objects) {
    const c = claims.get(o.id) ?? []
    if (c.length > 1) fail(ctx, `${o.label}'s mutex is claimed ${c.length} times, by threads [${c.map((t) => w.threads[t]!.name).join(', ')}] (lockedBy ${o.lockedBy})`)
    if (c.length === 1 && o.lockedBy !== c[0]) fail(ctx, `${w.threads[c[0]!]!.name} holds ${o.label}'s mutex in a section, but lockedBy is ${o.lockedBy}`)
    if (o.lockedBy >= 0 && c.length === 0) fail(ctx, `${o.label}'s mutex is locked by ${w.threads[o.lockedBy]?.name}, but no section or direct lock of that thread holds it`)
    for (const t of o.waiters) {
      const th = w.threads[t]!
      if (th.status !== 'blocked' || th.blockedOn?.kind !== 'mutex' || th.blockedOn.obj !== o.id) {
        fail(ctx, `${th.name} is in ${o.label}'s waiters but is ${th.status}${th.blockedOn ? ` on ${JSON.stringify(th.blockedOn)}` : ''}`)
      }
    }
    if (o.waiters.length && o.lockedBy < 0) fail(ctx, `${o.label}'s mutex is unlocked but has waiters [${o.waiters.join(', ')}]: a lost wake-up`)
    if (o.allocated && !o.freed && !o.immortal) {
      const count = mode === 'free-threaded' ? o.local + o.shared : o.refcnt
      if (count !== o.refs) {
        fail(ctx, `${o.label}: count ${mode === 'free-threaded' ? `local ${o.local} + shared ${o.shared}` : `ob_refcnt ${o.refcnt}`} = ${count}, but ${o.refs} counted reference(s) exist`)
      }
    }
  }
  // Heap blocks: a freed object's block is on its page's free lists exactly once; a live
  // object's block is on none (a block freed twice is a double free, reported or not).
  const onFreeList = new Map<number, number>()
  for (const pg of w.pages) for (const id of [...pg.freeList, ...pg.threadFreeList]) onFreeList.set(id, (onFreeList.get(id) ?? 0) + 1)
  for (const o of w.objects) {
    if (o.page < 0) continue
    const n = onFreeList.get(o.id) ?? 0
    if (o.freed ? n !== 1 : n !== 0) fail(ctx, `${o.label} is ${o.freed ? 'freed' : 'live'} but its block is on its page's free lists ${n} time(s)`)
  }
  const roots: number[] = [0]
  for (const th of w.threads) {
    for (const v of th.vars) roots.push(v.obj)
    roots.push(...th.cRefs, ...th.queue)
  }
  for (const id of reach(w, roots)) {
    const o = w.objects[id]!
    if (o.freed) fail(ctx, `${o.label} is freed but still reachable (from G, a variable or a merge queue)`)
  }
}

/**
 * A micro-step is shown on a line of its own thread: the statement at the thread's pc before the
 * step (a statement's pc advances only when it finishes), or, for work done at a statement
 * boundary (e.g. dropping the GIL), the statement just finished.
 */
function checkLine(sc: Scenario, before: WorldState, step: { index: number; thread: number; line: number; op: string }, ctx: string) {
  const pc = before.threads[step.thread]!.pc
  const prog = sc.programs[step.thread]!
  const lines = [prog[pc], prog[pc - 1]].filter((x) => x !== undefined).map((x) => sc.statements[x]!.line)
  if (pc < prog.length && !lines.includes(step.line)) {
    fail(ctx, `micro-step #${step.index} (${step.op} by ${sc.threads[step.thread]}) is shown on line ${step.line}, but ${sc.threads[step.thread]} is on line ${lines.join(' (or just finished line ')}${lines.length > 1 ? ')' : ''}`)
  }
}

interface RunCheck {
  readonly steps: number
}

/**
 * Runs `sc` and checks: the run finishes, no use-after-free / leak / deadlock violation, the
 * invariants of `checkState` after every micro-step, and the final-state property:
 * every thread has exited, and an object is freed exactly when G does not reach it. That last
 * part is checked when it must hold: acyclic programs (reference counting alone frees them),
 * or when main's final gc.collect() ran after every other thread had exited.
 */
function runAndCheck(p: Program, sc: Scenario, mode: Mode, schedule: Sched): RunCheck {
  const ctx0 = `${mode}, schedule ${schedName(schedule)}`
  const trace = runScenario(sc, { mode, schedule, maxSteps: MAX_STEPS })
  // State invariants first: they name the earliest micro-step where something went wrong.
  for (let i = 0; i <= trace.length; i++) {
    const ctx = `${ctx0}, after ${i} micro-steps${i > 0 ? ` (last: #${i - 1} ${trace.steps[i - 1]!.op} by ${sc.threads[trace.steps[i - 1]!.thread]} on line ${trace.steps[i - 1]!.line})` : ''}`
    const state = trace.stateAt(i)
    checkState(state, mode, ctx)
    if (i < trace.length) checkLine(sc, state, trace.steps[i]!, ctx0)
  }
  for (const v of trace.violations) fail(ctx0, `violation ${v.kind} at step ${v.step} (line ${v.line}): ${v.message}`)
  if (trace.outcome.kind !== 'finished') fail(ctx0, `outcome ${trace.outcome.kind}: ${trace.outcome.message}`)
  const final = trace.final
  for (const th of final.threads) if (th.status !== 'exited') fail(ctx0, `${th.name} has not exited at the end (${th.status})`)
  // Did main's final collection start after the last exit of another thread?
  let lastOtherExit = -1
  let lastMainGc = -1
  for (const s of trace.steps) {
    if (s.op === 'exit' && s.thread !== 0) lastOtherExit = s.index
    if ((s.op === 'gc.stop' || s.op === 'gc.start') && s.thread === 0) lastMainGc = s.index
  }
  const finalGc = lastMainGc > lastOtherExit
  if (schedule.k === 'default' && !finalGc) fail(ctx0, `under the default schedule main's last gc.collect() (step ${lastMainGc}) should start after every other thread exited (step ${lastOtherExit})`)
  const live = reach(final, [0])
  for (const o of final.objects) {
    if (!o.allocated || o.immortal) continue
    if (live.has(o.id) && o.freed) fail(ctx0, `${o.label} is reachable from G at the end but was freed`)
    if (!live.has(o.id) && !o.freed && (finalGc || !p.shape.cycles)) {
      fail(
        ctx0,
        `${o.label} is unreachable from G after every thread exited${finalGc ? ' and a final gc.collect()' : ' (acyclic program)'}, but was never freed: ${mode === 'free-threaded' ? `owner tid ${o.tid}, local ${o.local}, shared ${o.shared}, state ${o.state}` : `ob_refcnt ${o.refcnt}`}, refs ${o.refs}; queues: ${final.threads.map((t) => `${t.name} [${t.queue.join(',')}]`).join(' ')}`,
      )
    }
  }
  return { steps: trace.length }
}

function stepsView(t: ReturnType<typeof runScenario>) {
  return t.steps.map((s) => ({ op: s.op, thread: s.thread, line: s.line, narration: s.narration, changes: s.changes }))
}

// ------------------------------------------------------------------------------------ properties

describe('engine properties over random programs and schedules', () => {
  it('generated scenarios parse and run to the end in every mode (generator sanity)', () => {
    let pops = 0
    let sections = 0
    fc.assert(
      fc.property(programArb(), fc.nat(), (p, seed) => {
        const sc = parse(p)
        pops += (p.text.match(/\.pop\(\)/g) ?? []).length
        sections += (p.text.match(/CRITICAL_SECTION2?\(/g) ?? []).length
        for (const mode of ['free-threaded', 'gil', 'atomic', 'unsafe'] as const) {
          for (const schedule of [{ k: 'default' }, { k: 'round-robin' }, { k: 'random', seed }] as Sched[]) {
            const t = runScenario(sc, { mode, schedule, maxSteps: MAX_STEPS })
            // unsafe mode may legitimately break (a list freed too early cannot be popped).
            if (t.outcome.kind === 'error' && mode !== 'unsafe') fail(`${mode}, ${schedName(schedule)}`, `run stopped with an error: ${t.outcome.message} (line ${t.outcome.line})`)
          }
        }
      }),
      { numRuns: runs(60) },
    )
    expect(pops).toBeGreaterThan(30)
    expect(sections).toBeGreaterThan(60)
  }, TIMEOUT)

  it('free-threaded, gil, atomic: no use-after-free, no leak, invariants at every step, everything unreachable is freed', () => {
    fc.assert(
      fc.property(programArb(), fc.nat(), (p, seed) => {
        const sc = parse(p)
        for (const mode of SAFE_MODES) {
          for (const schedule of [{ k: 'default' }, { k: 'round-robin' }, { k: 'random', seed }] as Sched[]) {
            runAndCheck(p, sc, mode, schedule)
          }
        }
      }),
      { numRuns: runs(150) },
    )
  }, TIMEOUT)

  it('many random schedules of one program each', () => {
    fc.assert(
      fc.property(programArb(12), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), fc.constantFrom(...SAFE_MODES), (p, seeds, mode) => {
        const sc = parse(p)
        for (const seed of seeds) runAndCheck(p, sc, mode, { k: 'random', seed })
      }),
      { numRuns: runs(100) },
    )
  }, TIMEOUT)

  it('determinism: same text and seed give the same steps and the same final state', () => {
    fc.assert(
      fc.property(programArb(), fc.nat(), fc.constantFrom<Mode>('free-threaded', 'gil', 'atomic', 'unsafe'), (p, seed, mode) => {
        const a = runScenario(parse(p), { mode, schedule: { k: 'random', seed }, maxSteps: MAX_STEPS })
        const b = runScenario(parse(p.text), { mode, schedule: { k: 'random', seed }, maxSteps: MAX_STEPS })
        expect(stepsView(b)).toEqual(stepsView(a))
        expect(b.final).toEqual(a.final)
        expect(b.outcome).toEqual(a.outcome)
        expect(b.violations).toEqual(a.violations)
      }),
      { numRuns: runs(100) },
    )
  }, TIMEOUT)

  it('stateAt: checkpoints, replay from the start, forward and backward all agree', () => {
    fc.assert(
      fc.property(
        programArb(),
        fc.nat(),
        fc.constantFrom<Mode>('free-threaded', 'gil', 'atomic', 'unsafe'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 10 }),
        (p, seed, mode, fractions) => {
          const sc = parse(p)
          const schedule: Sched = { k: 'random', seed }
          const build = (checkpointEvery?: number) => runScenario(sc, { mode, schedule, checkpointEvery, maxSteps: MAX_STEPS })
          const every1 = build(1)
          const every1000 = build(1000)
          const byDefault = build()
          const n = every1.length
          expect(every1000.length).toBe(n)
          expect(byDefault.length).toBe(n)
          const positions = [...new Set([0, 1, n - 1, n, ...fractions.map((f) => Math.round(f * n))])].filter((x) => x >= 0 && x <= n).sort((x, y) => x - y)
          // Reference: a fresh trace without checkpoints (every > length) and an empty cache
          // rebuilds the state by re-running every micro-step from the initial state.
          const fromStart = positions.map((pos) => build(Number.MAX_SAFE_INTEGER).stateAt(pos))
          positions.forEach((pos, i) => {
            expect(every1.stateAt(pos), `stateAt(${pos}) with a checkpoint every step`).toEqual(fromStart[i])
            expect(every1000.stateAt(pos), `stateAt(${pos}) with a checkpoint every 1000 steps`).toEqual(fromStart[i])
            expect(byDefault.stateAt(pos), `stateAt(${pos}) with the default checkpoints`).toEqual(fromStart[i])
          })
          // Walking backward (the cache replayed in reverse) gives what walking forward gives.
          const forward = build()
          const backward = build(1000)
          const fw = positions.map((pos) => forward.stateAt(pos))
          const bw = [...positions].reverse().map((pos) => backward.stateAt(pos)).reverse()
          positions.forEach((pos, i) => expect(bw[i], `stateAt(${pos}) going backward`).toEqual(fw[i]))
          // Single steps backward from the end, against single steps forward.
          const from = Math.max(0, n - 30)
          const up: WorldState[] = []
          const walkUp = build()
          for (let pos = from; pos <= n; pos++) up.push(walkUp.stateAt(pos))
          const walkDown = build()
          for (let pos = n; pos >= from; pos--) expect(walkDown.stateAt(pos), `stateAt(${pos}) stepping backward`).toEqual(up[pos - from])
        },
      ),
      { numRuns: runs(120) },
    )
  }, TIMEOUT)
})

// ------------------------------------------------------------------------------------ unsafe mode

/** Two threads each load G.x and drop it many times; main keeps its own reference. */
function racyProgram(rounds: number): string {
  const lines = ['title: lost updates', 'threads: main, T1, T2', 'main: x = object() as X', 'main: G.x = x']
  for (const t of ['T1', 'T2']) {
    for (let i = 0; i < rounds; i++) lines.push(`${t}: y = G.x`, `${t}: del y`)
    lines.push(`${t}: exit`)
  }
  return lines.join('\n') + '\n'
}

describe('the use-after-free detector', () => {
  const sc = parse(racyProgram(30))
  const SEEDS = 200

  it('unsafe mode: some random schedule frees X while it is still referenced', () => {
    let found = -1
    for (let seed = 0; seed < SEEDS && found < 0; seed++) {
      const t = runScenario(sc, { mode: 'unsafe', schedule: { k: 'random', seed } })
      if (t.violations.some((v) => v.kind === 'use-after-free')) found = seed
    }
    expect(found, `no seed in 0..${SEEDS - 1} produced a use-after-free in unsafe mode`).toBeGreaterThanOrEqual(0)
  })

  it('free-threaded, gil, atomic: the same program never does, for the same seeds', () => {
    let finished = 0
    for (const mode of SAFE_MODES) {
      for (let seed = 0; seed < SEEDS; seed++) {
        const t = runScenario(sc, { mode, schedule: { k: 'random', seed } })
        expect(t.violations.filter((v) => v.kind === 'use-after-free'), `${mode}, random(seed=${seed})`).toEqual([])
        if (t.outcome.kind === 'finished') finished++
      }
    }
    // A thread can read G.x before main has stored it (a NameError stops the run); most runs
    // must still get through for this to mean something.
    expect(finished).toBeGreaterThan(SEEDS)
  })
})

// ------------------------------------------------------------------------------------ reproductions

/**
 * Minimal, deterministic reproductions of engine bugs that the properties above found (shrunk by
 * fast-check, then reduced by hand) at 39647a2 and f4eadae. Each states the behaviour the model
 * (model.md) and CPython call for. All of them pass as of 302ea1b; they stay as regression tests.
 */
describe('engine bugs found by the properties (minimal reproductions)', () => {
  const run = (text: string, options: RunOptions = {}) => {
    const sc = parse(text)
    return { sc, trace: runScenario(sc, { maxSteps: 20_000, ...options }) }
  }
  const label = (sc: Scenario, name: string) => sc.objects.findIndex((o) => o.label === name)
  /**
   * These runs force a racy interleaving with an explicit schedule (a prefix: the default
   * schedule runs the rest). A fix may make that interleaving impossible; the run then stops
   * because the schedule names a thread that cannot run, which is fine too.
   */
  const ranOrRefused = (trace: ReturnType<typeof runScenario>) => {
    if (trace.outcome.kind !== 'finished') expect(trace.outcome.message).toMatch(/cannot run now/)
  }
  /** checkState on every state of the trace: the invariants the properties check. */
  const checkAll = (sc: Scenario, trace: ReturnType<typeof runScenario>) => {
    for (let i = 0; i <= trace.length; i++) checkState(trace.stateAt(i), trace.mode, `after ${i} micro-steps`)
  }

  it('an object queued on an owner that is exiting (drained, not yet gone) is still merged and freed', () => {
    // Python/brc.c _Py_brc_remove_thread drains the queue and leaves the bucket under one mutex,
    // so _Py_brc_queue_object either reaches the queue before the drain or finds no owner and
    // merges the object itself (_Py_ExplicitMergeRefcount). The engine made exit.drain and exit
    // two micro-steps, and a brc.queue between them pushed X onto a queue nobody drained again.
    const { sc, trace } = run(`threads: main, T1
schedule: main main main main main main main main main T1 T1 T1 T1 T1 T1 T1 T1 T1 T1 main main T1
main: x = object() as X
main: q = Queue()
main: G.q = q
main: q.put(x)
main: del x
T1: q = G.q
T1: y = q.get()
T1: del y
main: exit
T1: exit
`)
    ranOrRefused(trace)
    expect(trace.final.threads.map((t) => t.queue)).toEqual([[], []])
    expect(trace.final.objects[label(sc, 'X')]!.freed).toBe(true)
  })

  it('gc.collect() does not free an object whose last decref is still being handled: no double free', () => {
    // main's `del x` drops L to 0 and has its free still to do when T1 stops the world; the
    // collector saw L (tracked, count 0) as garbage and freed it, then main freed it again. In
    // CPython a thread stops only at a safe point (eval breaker), never inside Py_DECREF.
    const { sc, trace } = run(`threads: main, T1
schedule: main main T1 T1
main: x = list() as L
main: del x
T1: gc.collect()
`)
    ranOrRefused(trace)
    expect(trace.violations).toEqual([])
    checkAll(sc, trace)
  })

  it('an object the collector merges to zero from a queue is freed once', () => {
    // opGcFind both deallocated the objects the queue merge zeroed and listed them as garbage
    // (count 0, tracked, unreachable), so X's block landed on the free list twice; no violation
    // was reported because gc.free did not check `freed`.
    const { sc, trace } = run(`threads: main, T1
main: x = list() as X
main: q = Queue()
main: G.q = q
main: q.put(x)
main: del x
T1: q = G.q
T1: y = q.get()
T1: del y
T1: gc.collect()
`)
    expect(trace.final.objects[label(sc, 'X')]!.freed).toBe(true)
    checkAll(sc, trace)
  })

  it('collections do not overlap: garbage is freed once', () => {
    // The world restarted before the garbage was freed, and nothing stopped a second
    // gc.collect() from finding the same garbage. CPython runs one collection at a time
    // (gcstate->collecting: a second gc.collect() while one is running returns at once).
    const { sc, trace } = run(`threads: main, T1
schedule: main main main main main main main main main T1 T1
main: x = list() as L
main: x.append(x)
main: del x
main: gc.collect()
T1: gc.collect()
`)
    ranOrRefused(trace)
    expect(trace.steps.filter((s) => s.op === 'gc.free').length).toBeLessThanOrEqual(1)
    checkAll(sc, trace)
  })

  it('gil mode, round-robin: two threads that sleep() both finish (no GIL ping-pong)', () => {
    // A thread that took the GIL while still detached (its re-attach pending) counted as
    // offering the GIL (canOfferGil: status !== 'running'), so the other one took it back
    // before either re-attached: gil.take / gil.drop until maxSteps. In CPython take_gil is part
    // of attaching: the new holder runs until its next eval-breaker check.
    const { trace } = run(`mode: gil
threads: main, T1, T2
schedule: round-robin
T1: sleep()
T2: sleep()
`)
    expect(trace.outcome.kind).toBe('finished')
  })

  it('the recorded changes of every micro-step lead from its state before to its state after', () => {
    // The run is quiet (states come from re-running steps); the changes come from a second run
    // with the change log on. Both must tell the same story, field by field.
    const at = (w: WorldState, target: string, id: number): Record<string, unknown> | undefined =>
      target === 'world' ? (w as unknown as Record<string, unknown>) : (w[`${target}s` as 'objects'][id] as unknown as Record<string, unknown> | undefined)
    fc.assert(
      fc.property(programArb(), fc.nat(), fc.constantFrom<Mode>('free-threaded', 'gil', 'atomic', 'unsafe'), (p, seed, mode) => {
        const trace = runScenario(parse(p), { mode, schedule: { k: 'random', seed }, maxSteps: MAX_STEPS, checkpointEvery: 7 })
        const wrong: string[] = []
        for (let i = 0; i < trace.length; i++) {
          const before = trace.stateAt(i)
          const after = trace.stateAt(i + 1)
          const step = `step ${i} (${trace.steps[i]!.op})`
          const written = new Set<string>()
          for (const c of trace.steps[i]!.changes) {
            const key = `${c.target}:${c.id}:${c.field}`
            if (c.field === '*') {
              // A new page (the same step may go on to write its fields).
              if (before.pages[c.id] || after.pages[c.id]?.id !== c.id) wrong.push(`${step}: page ${c.id} is not new`)
              written.add(`page:${c.id}:new`)
              continue
            }
            // A field written twice in one step: the first write's old value is the one before.
            if (written.has(key) || (c.target === 'page' && written.has(`page:${c.id}:new`))) continue
            written.add(key)
            if (!isDeepStrictEqual(at(before, c.target, c.id)?.[c.field], c.old)) wrong.push(`${step}: old ${key}`)
          }
          // Every field the step did not write is as it was (counters are not in the log).
          for (const target of ['object', 'thread'] as const) {
            const list = target === 'object' ? after.objects : after.threads
            list.forEach((record, id) => {
              for (const [field, value] of Object.entries(record)) {
                if (field === 'counters' || written.has(`${target}:${id}:${field}`)) continue
                if (!isDeepStrictEqual(value, at(before, target, id)?.[field])) wrong.push(`${step}: ${target} ${id} ${field} changed without a recorded change`)
              }
            })
          }
        }
        expect(wrong).toEqual([])
      }),
      { numRuns: runs(40) },
    )
  }, TIMEOUT)

  it('a run stopped by an error keeps the failing micro-step\'s writes in its last step and final state', () => {
    const { trace } = run(`threads: main, T1
schedule: main main main T1 T1
main: x = list()
main: G.x = x
main: del x
T1: y = G.x
T1: z = y.pop()
`)
    expect(trace.outcome.kind).toBe('error')
    // The details come from a second run that must stop at the same place.
    expect(trace.steps.length).toBe(trace.length)
    expect(trace.stateAt(trace.length)).toBe(trace.final)
    expect(trace.stateAt(trace.length - 1)).toEqual(runScenario(trace.scenario, { maxSteps: trace.length - 1 }).final)
  })

  it('gil mode: checkpoints stay aligned across GIL hand-offs', () => {
    // run.ts takes a checkpoint when steps.length passes a multiple of `every`; a gil.drop +
    // gil.take pair recorded in one scheduler turn could jump over the multiple, and the
    // snapshot then held the state one step later than stateAt assumes.
    const { sc } = run(`mode: gil
threads: main, T1
schedule: round-robin
switch_interval: 1
main: a = object()
T1: b = object()
main: c = a
T1: d = b
`)
    const reference = runScenario(sc, { checkpointEvery: Number.MAX_SAFE_INTEGER })
    const checkpointed = runScenario(sc, { checkpointEvery: 2 })
    for (let i = 0; i <= reference.length; i++) expect(checkpointed.stateAt(i), `stateAt(${i})`).toEqual(reference.stateAt(i))
  })

  it('a micro-step that continues a statement after another thread ran is shown on that thread\'s line', () => {
    // Machine.step kept curLine from whichever thread ran last, so main's free of x (part of
    // `exit`, line 5) was shown on T1's line 6 (fixed in f4eadae).
    const { sc, trace } = run(`threads: main, T1
schedule: main T1 T1 main T1 main main
main: x = object()
T1: pass
main: exit
T1: pass
`)
    expect(trace.steps.filter((s) => s.thread === 0 && s.index >= 3).every((s) => s.line === 5)).toBe(true)
    for (let i = 0; i < trace.length; i++) checkLine(sc, trace.stateAt(i), trace.steps[i]!, 'trace')
  })

  it('gil mode: the holder\'s gil.drop is shown on the holder\'s line', () => {
    // takeGil set curLine to the taker's line before it emitted the holder's drop_gil step. The
    // drop happens at the holder's statement boundary: its next line (or the one just finished).
    const { sc, trace } = run(`mode: gil
threads: main, T1
main: a = object()
T1: b = object()
main: del a
`)
    const drop = trace.steps.find((s) => s.op === 'gil.drop')!
    expect(sc.threads[drop.thread]).toBe('main')
    expect([3, 5]).toContain(drop.line)
  })

  it('gil mode: gc.collect() restarts the world once', () => {
    // opGcStart (gil) pushed gc-find and gc-restart, and opGcFind pushed another gc-restart.
    const { trace } = run('mode: gil\nmain: gc.collect()\n')
    const ops = trace.steps.map((s) => s.op)
    expect(ops.filter((op) => op === 'gc.restart').length, ops.join(', ')).toBeLessThanOrEqual(1)
  })
})
