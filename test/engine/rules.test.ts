// One test per rule of the model (../shared/spec/model.md), written as small scenarios. Each
// scenario's expectations are checked twice: as written (they must pass) and mutated (every
// number in an `expect` line bumped by one: the check must then fail), so no test is vacuous.
import { describe, expect, it } from 'vitest'
import { checkScenarioText, COST, GC_BITS, IMMORTAL_LOCAL, parseScenario, runScenario, type Mode, type Trace } from '../../src/engine'

function trace(text: string, mode?: Mode): Trace {
  const parsed = parseScenario(text, 'test.scenario')
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'))
  return runScenario(parsed.scenario, mode ? { mode } : {})
}

/** Asserts the scenario passes, and that bumping the numbers in its expectations breaks it. */
function holds(text: string) {
  const report = checkScenarioText(text, 'test.scenario')
  const problems = [...report.parseErrors, ...report.failures].map((f) => `${f.line}:${f.column} ${f.message}`)
  expect(problems).toEqual([])
  const mutated = text.replace(/^(expect .*)$/gm, (line) => line.replace(/=(-?\d+)/g, (_, n: string) => `=${Number(n) + 1}`))
  if (mutated !== text) expect(checkScenarioText(mutated, 'mutant.scenario').ok).toBe(false)
}

function obj(t: Trace, label: string) {
  const o = t.final.objects.find((x) => x.label === label)
  if (!o) throw new Error(`no object ${label}`)
  return o
}

describe('biased reference counting (free-threaded)', () => {
  it('allocation: the creator owns it, local 1, shared 0, state default; lists are GC-tracked, object() is not', () => {
    const t = trace(`threads: main, T1\nT1: x = list() as L\nT1: o = object() as O`)
    const l = obj(t, 'L')
    expect(l.tid).toBe(t.final.threads[1]!.tid)
    expect([l.local, l.shared, l.state, l.gcBits & GC_BITS.TRACKED]).toEqual([1, 0, 0, GC_BITS.TRACKED])
    expect(obj(t, 'O').gcBits).toBe(0)
  })

  it('owner increfs touch only ob_ref_local; non-owner increfs only ob_ref_shared, never the state', () => {
    holds(`threads: main, T1
main: x = object() as O
main: y = x
expect O: owner=main, local=2, shared=0, state=default
main: q = Queue()
main: G.q = q
main: q.put(x)
T1: q = G.q
T1: z = q.get()
T1: w = z
expect O: owner=main, local=3, shared=1, state=default
T1: del w
expect O: local=3, shared=0, state=default`)
  })

  it('the owner frees at once when local hits 0 and the whole shared field is 0, leaving ob_tid alone', () => {
    const t = trace(`main: x = object() as O\nmain: del x`)
    const o = obj(t, 'O')
    expect(o.freed).toBe(true)
    expect(o.freedBy).toBe(0)
    expect(o.tid).toBe(t.final.threads[0]!.tid)
    expect(t.steps.some((s) => s.cpython === '_Py_MergeZeroLocalRefcount')).toBe(true)
  })

  it('the owner letting go first merges (tid 0, MERGED) and the last non-owner decref frees', () => {
    holds(`threads: main, T1
main: x = list() as L
main: G.x = x
T1: y = G.x
main: del x
main: del G.x
expect L: owner=none, local=0, shared=1, state=merged, freed=false
T1: del y
expect L: freed=true, freed_by=T1`)
  })

  it('a non-owner decref at shared 0 queues the object; the owner merges before its next statement', () => {
    holds(`threads: main, T1
main: x = object() as O
main: q = Queue()
main: G.q = q
main: q.put(x)
T1: q = G.q
T1: y = q.get()
T1: del y
expect O: owner=main, local=2, shared=0, state=queued
expect thread main: queue=1
main: pass
expect O: owner=none, local=0, shared=1, state=merged
expect thread main: queue=0
main: del x
expect O: freed=true, freed_by=main`)
  })

  it('later non-owner decrefs while queued make the count negative; the merge folds it back (c3)', () => {
    holds(`threads: main, T1
main: x = object() as O
main: q = Queue()
main: G.q = q
main: q.put(x)
main: q.put(x)
main: q.put(x)
T1: q = G.q
T1: a = q.get()
T1: b = q.get()
T1: c = q.get()
T1: del a
T1: del b
T1: del c
expect O: owner=main, local=4, shared=-2, state=queued
main: pass
expect O: owner=none, local=0, shared=1, state=merged`)
  })

  it('a merge that reaches zero frees the object in the owner (c4)', () => {
    holds(`threads: main, T1
main: x = object() as O
main: q = Queue()
main: G.q = q
main: q.put(x)
main: del x
T1: q = G.q
T1: y = q.get()
T1: del y
expect O: state=queued, local=1, freed=false
main: pass
expect O: freed=true, freed_by=main`)
  })

  it('when the owner has exited, a queueing decref merges in the decrementing thread (d1)', () => {
    holds(`threads: main, A
A: x = object() as O
A: G.x = x
A: exit
expect O: owner=A, local=1, shared=0, state=default
main: y = G.x
main: del G.x
expect O: owner=A, local=1, shared=0, state=weakref
main: del y
expect O: owner=none, local=0, shared=0, state=merged, freed=true, freed_by=main`)
  })

  it('a new thread inherits the id of the most recently exited one and becomes the owner (d2)', () => {
    holds(`threads: main, A, B
A: x = object() as O
A: G.x = x
A: exit
B: y = G.x
expect O: owner=B, local=2, shared=0
B: del y
expect O: owner=B, local=1`)
    const t = trace(`threads: main, A, B\nA: pass\nA: exit\nB: pass`)
    expect(t.final.threads[2]!.tid).toBe(t.final.threads[1]!.tid)
  })

  it('a blocked owner never merges; gc.collect() merges its queue without it (c2)', () => {
    holds(`threads: main, A, B
A: x = object() as O
A: w = Queue() as W
A: G.w = w
A: q = Queue()
A: G.q = q
A: q.put(x)
B: q = G.q
B: y = q.get()
A: v = w.get()
B: del y
expect thread A: status=detached, queue=1
expect O: state=queued
main: gc.collect()
expect O: owner=none, state=merged, shared=1
expect thread A: queue=0
main: w = G.w
main: w.put(None)
expect thread A: status=running`)
  })
})

describe('immortal and deferred objects', () => {
  it('immortal objects never change, from any thread', () => {
    const t = trace(`threads: main, T1\nmain: x = None as N\nmain: G.n = x\nT1: y = G.n\nT1: z = y\nT1: del y\nmain: k = 5\nmain: s = "hi"`)
    const n = obj(t, 'N')
    expect([n.local, n.shared, n.tid, n.state, n.flags, n.gcBits]).toEqual([IMMORTAL_LOCAL, 0, 0, 0, 4, GC_BITS.DEFERRED])
    expect(obj(t, 's').flags).toBe(0) // interned strings are immortal but not static
    expect(t.steps.filter((s) => s.changes.some((c) => c.target === 'object' && c.id === n.id && c.field !== 'lastWriter'))).toEqual([])
  })

  it('deferred functions: calls from every thread make no refcount traffic; the last counted reference leaves them MERGED, only GC frees', () => {
    holds(`threads: main, T1
main: f = function() as F
main: G.f = f
T1: G.f()
T1: g = G.f
T1: g()
expect F: owner=main, local=2, shared=0, deferred=true
main: del f
main: del G.f
expect F: owner=none, local=0, shared=0, state=merged, freed=false
main: gc.collect()
expect F: freed=false
T1: del g
main: gc.collect()
expect F: freed=true, freed_by=main`)
  })

  it('closures are not deferred: other threads calling them move the shared count', () => {
    const t = trace(`threads: main, T1\nmain: c = closure() as C\nmain: G.c = c\nT1: G.c()`)
    const c = obj(t, 'C')
    expect(c.deferred).toBe(false)
    expect(c.state).toBe(1) // MAYBE_WEAKREF from the first locked read
    expect(t.steps.filter((s) => s.thread === 1 && s.op.startsWith('incref'))).toHaveLength(1)
  })
})

describe('containers and lock-free reads', () => {
  it("a non-owner's first list read takes the list's lock, marks it SHARED and sets MAYBE_WEAKREF on the item", () => {
    const t = trace(`threads: main, T1
main: l = list() as L
main: x = object() as X
main: l.append(x)
main: G.l = l
T1: l = G.l
T1: y = l[0]`)
    expect(obj(t, 'L').gcBits & GC_BITS.SHARED).toBe(GC_BITS.SHARED)
    const x = obj(t, 'X')
    expect([x.shared, x.state]).toEqual([1, 1])
    const read = t.steps.filter((s) => s.line === 7).map((s) => s.cpython)
    expect(read).toContain('_Py_NewRefWithLock')
  })

  it('once the item is MAYBE_WEAKREF, later non-owner reads are lock-free atomic adds', () => {
    const t = trace(`threads: main, T1
main: x = object() as X
main: G.x = x
T1: y = G.x
T1: z = G.x`)
    const second = t.steps.filter((s) => s.line === 5).map((s) => s.cpython)
    expect(second).toEqual(['_Py_TryIncRefShared'])
    expect(obj(t, 'X').shared).toBe(2)
  })

  it('list methods lock the list; pop moves the reference without a count change', () => {
    holds(`main: l = list() as L
main: x = object() as X
main: l.append(x)
expect X: local=2
main: del x
main: y = l.pop()
expect X: local=1
main: y = list() as M
expect X: freed=true`)
  })

  it('freeing a container releases what it holds', () => {
    holds(`main: l = list() as L
main: x = object() as X
main: l.append(x)
main: del x
expect X: local=1
main: del l
expect L: freed=true
expect X: freed=true, freed_by=main`)
  })
})

describe('critical sections and mutexes', () => {
  const twoThreads = `threads: main, T1
main: a = list() as A
main: b = list() as B
main: G.a = a
main: G.b = b
T1: a = G.a
T1: b = G.b
`
  it('contention parks the waiter (LOCKED|HAS_PARKED) and unlocking hands the mutex over', () => {
    holds(`${twoThreads}main: Py_BEGIN_CRITICAL_SECTION(a)
T1: Py_BEGIN_CRITICAL_SECTION(a)
expect A: locked_by=main, waiters=1
expect thread T1: status=blocked, suspended=1, sections=0
main: Py_END_CRITICAL_SECTION()
expect A: locked_by=T1, waiters=0
expect thread T1: status=running
T1: Py_END_CRITICAL_SECTION()
expect A: locked_by=none`)
  })

  it('blocking suspends every section the thread holds, so others can take them (h5)', () => {
    holds(`${twoThreads}T1: Py_BEGIN_CRITICAL_SECTION(b)
main: Py_BEGIN_CRITICAL_SECTION(a)
main: Py_BEGIN_CRITICAL_SECTION(b)
expect A: locked_by=none
expect B: locked_by=T1, waiters=1
expect thread main: status=blocked, sections=0, suspended=2
T1: Py_END_CRITICAL_SECTION()
main: Py_END_CRITICAL_SECTION()
expect A: locked_by=main
expect thread main: sections=1, suspended=0
main: Py_END_CRITICAL_SECTION()`)
  })

  it('after waking, only the top-most section is re-locked; the outer one waits for the inner to end (h4)', () => {
    holds(`${twoThreads}main: Py_BEGIN_CRITICAL_SECTION(a)
main: Py_BEGIN_CRITICAL_SECTION(b)
main: sleep()
expect A: locked_by=none
expect B: locked_by=main
expect thread main: sections=1, suspended=1
main: Py_END_CRITICAL_SECTION()
expect A: locked_by=main
main: Py_END_CRITICAL_SECTION()`)
  })

  it('two-object sections lock the lower address first, whatever the argument order (h6)', () => {
    const t = trace(`${twoThreads}main: Py_BEGIN_CRITICAL_SECTION2(b, a)\nmain: Py_END_CRITICAL_SECTION2()`)
    const locks = t.steps.filter((s) => s.op === 'cs.lock').map((s) => s.changes.find((c) => c.field === 'lockedBy')!.id)
    const a = obj(t, 'A')
    const b = obj(t, 'B')
    expect(a.address).toBeLessThan(b.address)
    expect(locks.slice(-2)).toEqual([a.id, b.id])
  })

  it('a second thread on the same pair parks on the lower-address mutex (h6)', () => {
    holds(`${twoThreads}main: Py_BEGIN_CRITICAL_SECTION2(a, b)
T1: Py_BEGIN_CRITICAL_SECTION2(b, a)
expect A: locked_by=main, waiters=1
expect B: locked_by=main, waiters=0
main: Py_END_CRITICAL_SECTION2()
T1: Py_END_CRITICAL_SECTION2()
expect A: locked_by=none
expect B: locked_by=none`)
  })

  it('re-entering the mutex of the top-most section is a no-op; re-locking an outer one does not deadlock (h7, h8)', () => {
    holds(`main: a = list() as A
main: b = list() as B
main: Py_BEGIN_CRITICAL_SECTION(a)
main: Py_BEGIN_CRITICAL_SECTION(a)
expect thread main: sections=1
main: Py_END_CRITICAL_SECTION()
expect A: locked_by=main
main: Py_BEGIN_CRITICAL_SECTION(b)
main: Py_BEGIN_CRITICAL_SECTION(a)
expect A: locked_by=main
expect thread main: sections=1, suspended=2
main: Py_END_CRITICAL_SECTION()
main: Py_END_CRITICAL_SECTION()
main: Py_END_CRITICAL_SECTION()
expect A: locked_by=none`)
  })

  it('naive mutexes in opposite orders deadlock, and the report names threads and locks', () => {
    const t = trace(`${twoThreads}main: PyMutex_Lock(a)\nT1: PyMutex_Lock(b)\nmain: PyMutex_Lock(b)\nT1: PyMutex_Lock(a)`)
    expect(t.outcome.kind).toBe('deadlock')
    expect(t.outcome.message).toMatch(/main .*B's mutex, held by T1/)
    expect(t.outcome.message).toMatch(/T1 .*A's mutex, held by main/)
    const report = checkScenarioText(`${twoThreads}main: PyMutex_Lock(a)\nT1: PyMutex_Lock(b)\nmain: PyMutex_Lock(b)\nT1: PyMutex_Lock(a)`, 'x')
    expect(report.ok).toBe(false)
    expect(report.failures.map((f) => f.message).join()).toContain('unannounced deadlock')
  })

  it('critical sections in the same opposite orders do not deadlock', () => {
    const t = trace(`${twoThreads}main: Py_BEGIN_CRITICAL_SECTION(a)
T1: Py_BEGIN_CRITICAL_SECTION(b)
main: Py_BEGIN_CRITICAL_SECTION(b)
T1: Py_BEGIN_CRITICAL_SECTION(a)
main: Py_END_CRITICAL_SECTION()
main: Py_END_CRITICAL_SECTION()
T1: Py_END_CRITICAL_SECTION()
T1: Py_END_CRITICAL_SECTION()`)
    expect(t.outcome.kind).toBe('finished')
    expect(t.final.objects.every((o) => o.lockedBy === -1)).toBe(true)
  })
})

describe('heaps', () => {
  it('addresses grow in allocation order across threads; pages belong to the allocating thread', () => {
    const t = trace(`threads: main, T1\nmain: a = object() as A\nT1: b = object() as B\nmain: c = object() as C`)
    const [a, b, c] = ['A', 'B', 'C'].map((l) => obj(t, l))
    expect(a!.address < b!.address && b!.address < c!.address).toBe(true)
    expect(t.final.pages[a!.page]!.owner).toBe(0)
    expect(t.final.pages[b!.page]!.owner).toBe(1)
  })

  it('a block freed by another thread goes on the cross-thread free list until the owner allocates again', () => {
    const text = `threads: main, T1
main: x = object() as X
main: G.x = x
main: del x
T1: y = G.x
main: del G.x
T1: del y
main: z = object() as Z`
    const t = trace(text)
    const x = obj(t, 'X')
    expect(x.freedBy).toBe(1)
    const afterFree = t.stateAt(t.steps.findIndex((s) => s.op === 'dealloc') + 1)
    expect(afterFree.pages[x.page]!.threadFreeList).toEqual([x.id])
    expect(t.final.pages[x.page]!.threadFreeList).toEqual([])
    expect(t.final.pages[x.page]!.freeList).toContain(x.id)
  })

  it("an exiting thread's pages are abandoned; its tracked objects are merged by the next collection, untracked ones keep the stale id (d3)", () => {
    holds(`threads: main, A
A: l = list() as L
A: o = object() as O
A: G.l = l
A: G.o = o
A: exit
main: gc.collect()
expect L: owner=none, local=0, shared=1, state=merged
expect O: owner=A, local=1, state=default`)
    const t = trace(`threads: main, A\nA: o = object()\nA: G.o = o\nA: exit`)
    expect(t.final.pages.every((p) => p.owner === -1 || p.owner === 0)).toBe(true)
  })
})

describe('comparison modes', () => {
  const shared = `threads: main, T1
main: x = object() as O
main: G.x = x
T1: y = G.x
T1: del y
main: del x
`
  it('gil: one ob_refcnt; the GIL passes between threads at statement boundaries', () => {
    const t = trace(shared, 'gil')
    expect(obj(t, 'O').refcnt).toBe(1)
    expect(t.steps.filter((s) => s.op === 'gil.take').length).toBeGreaterThanOrEqual(2)
    expect(t.steps.some((s) => s.op.startsWith('cs.'))).toBe(false)
  })

  it('atomic: every refcount change is an atomic read-modify-write, even with one thread', () => {
    const t = trace(`main: x = object()\nmain: y = x\nmain: del y\nmain: del x`, 'atomic')
    const c = t.final.threads[0]!.counters
    expect(c.atomicOps).toBe(3)
    expect(c.cycles).toBeGreaterThanOrEqual(3 * COST.atomicLocal)
    const ft = trace(`main: x = object()\nmain: y = x\nmain: del y\nmain: del x`)
    expect(ft.final.threads[0]!.counters.atomicOps).toBe(0)
    expect(ft.final.threads[0]!.counters.cycles).toBeLessThan(c.cycles)
  })

  it('unsafe: a lost update frees an object that is still referenced, and the engine says so', () => {
    // main and T1 both read ob_refcnt = 2 before either writes: one increment is lost.
    const text = `mode: unsafe
threads: main, T1
schedule: main main main main main main main T1 T1 main T1 main
main: x = object() as O
main: G.x = x
main: z = x
T1: y = G.x
main: del z
main: del G.x
T1: del y
main: del x`
    const t = trace(text)
    expect(t.violations.map((v) => v.kind)).toContain('use-after-free')
    expect(t.steps.some((s) => s.narration.includes('lost'))).toBe(true)
    for (const mode of ['free-threaded', 'gil', 'atomic'] as const) {
      const safe = trace(text.replace(/^schedule:.*$/m, '').replace('mode: unsafe', `mode: ${mode}`))
      expect(safe.violations).toEqual([])
    }
  })
})

describe('expectation fields beyond the contract', () => {
  it('gc bits, flags and the cost counters can be expected', () => {
    holds(`threads: main, T1
main: x = list() as L
main: y = x
expect thread main: plain_writes=2, atomic_ops=0
main: G.x = x
T1: z = G.x
expect L: gc_bits=1
expect G: gc_bits=81
expect thread T1: atomic_ops=3, locks=2
main: n = None as N
expect N: flags=4, gc_bits=64`)
  })
})

describe('schedules and traces', () => {
  const text = `threads: main, T1, T2
main: x = object()
main: G.x = x
T1: a = G.x
T2: b = G.x
T1: del a
T2: del b`
  it('round-robin and seeded random are reproducible and differ from the default', () => {
    const run = (schedule: string) => trace(text.replace('threads:', `schedule: ${schedule}\nthreads:`)).steps.map((s) => `${s.thread}:${s.op}`)
    expect(run('random(seed=7)')).toEqual(run('random(seed=7)'))
    expect(run('round-robin')).toEqual(run('round-robin'))
    expect(run('round-robin')).not.toEqual(run('default'))
  })

  it('an explicit schedule that names a thread that cannot run is an error at the schedule line', () => {
    const t = trace(`schedule: main T1 T1 T1\nthreads: main, T1\nmain: pass\nT1: pass`)
    expect(t.outcome.kind).toBe('error')
    expect(t.outcome.message).toMatch(/schedule entry 4 names T1, but T1 cannot run now: it has no statements left/)
    expect(t.outcome.line).toBe(1)
  })

  it('stateAt rebuilds any step exactly, forwards and backwards', () => {
    const long = Array.from({ length: 300 }, (_, i) => `${i % 2 ? 'T1' : 'T2'}: v${i} = G.x`).join('\n')
    const parsed = parseScenario(`threads: main, T1, T2\nmain: x = list()\nmain: G.x = x\n${long}`, 'x')
    if (!parsed.ok) throw new Error('parse')
    const a = runScenario(parsed.scenario, { checkpointEvery: 1 })
    const b = runScenario(parsed.scenario, { checkpointEvery: 64 })
    expect(a.length).toBeGreaterThan(300)
    for (const p of [0, 1, 63, 64, 65, 200, a.length - 1, a.length, 150, 3]) {
      expect(b.stateAt(p)).toEqual(a.stateAt(p))
    }
  })
})
