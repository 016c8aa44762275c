// The interleaving explorer: searches the schedules of a scenario's threads at micro-step grain
// for a use-after-free, a leak, a deadlock, a failed expectation or a run-time error.
//
// The search is a breadth-first walk over machine states, so the first schedule that reaches a
// failure is a shortest one. Two reductions keep it small:
// - State hashing: a state already explored is not explored again, so interleavings that only
//   reorder independent micro-steps (and so reach the same state) are followed once.
// - Sleep sets (partial-order reduction, Godefroid 1996): after exploring thread u from a state,
//   a sibling path that starts with thread t need not try u next when t's and u's micro-steps
//   are independent: that ordering reaches a state the first path already covers. Independence
//   comes from each micro-step's footprint: the objects it names or writes (with the slots of
//   the containers it reads) and the threads it touches. A step that touches world state (heap
//   pages, the GIL, the collector, thread ids), checks an expectation or fails is dependent on
//   everything. Test: test/engine/explore.test.ts checks that the reduced search reaches exactly
//   the states of the full one on random programs.
//
// States are told apart by a 53-bit hash of their serialized form; two different states sharing
// a hash (odds about n²/2^54, about 1 in 10^5 at a million states) would wrongly merge.

import type { Expectation, Scenario, Statement } from './ast'
import { Machine, RuntimeError, type MachineSnapshot, type MWorld, type Runtime } from './machine'
import { describeDeadlock, evaluate, findLeaks, isReady, isRunnable } from './run'
import type { Mode, Violation } from './types'

export type ExploreOutcomeKind = 'use-after-free' | 'leak' | 'deadlock' | 'expectation' | 'error'

export interface ExploreLimits {
  /** Longest schedule followed, in micro-steps (default 2,000). */
  readonly maxDepth?: number
  /** Distinct states visited before the search stops (default 200,000). */
  readonly maxStates?: number
  /** Schedules (paths to a final, failing or already-explored state) before the search stops (default 1,000,000). */
  readonly maxSchedules?: number
  /** Wall-clock budget in milliseconds (default 10,000); enforced when a clock (`now`) is given. */
  readonly maxMs?: number
  /**
   * Memory: records (objects, threads, pages, runtimes; a few hundred bytes each) that the saved
   * copies of states still to expand may hold (default 2,500,000, about half a gigabyte).
   */
  readonly maxSavedRecords?: number
}

export const DEFAULT_EXPLORE_LIMITS: Required<ExploreLimits> = { maxDepth: 2_000, maxStates: 200_000, maxSchedules: 1_000_000, maxMs: 10_000, maxSavedRecords: 2_500_000 }

export interface ExploreOutcome {
  readonly kind: ExploreOutcomeKind
  /** Thread names, one per micro-step: a shortest schedule that reproduces it. */
  readonly schedule: readonly string[]
  /** What went wrong, in one sentence. */
  readonly message: string
  /** The scenario line it points at (0 when none). */
  readonly line: number
  /** The trace position to show it at: the micro-step after which it can be seen. */
  readonly step: number
  /** How many distinct end or failure states showed this kind. */
  readonly count: number
}

export interface ExploreProgress {
  readonly states: number
  readonly schedules: number
  readonly transitions: number
  readonly ms: number
}

export interface ExploreResult extends ExploreProgress {
  readonly mode: Mode
  /** True when every reachable state was visited (no limit was hit). */
  readonly exhaustive: boolean
  /** The limit that stopped the search, or null. */
  /** 'memory': the states waiting to be expanded would take more than about half a gigabyte. */
  readonly limit: 'depth' | 'states' | 'schedules' | 'time' | 'cancelled' | 'memory' | null
  /** One entry per kind found, in order of schedule length; empty when nothing went wrong. */
  readonly outcomes: readonly ExploreOutcome[]
}

export interface ExploreOptions {
  readonly mode?: Mode
  readonly limits?: ExploreLimits
  /**
   * When a worker thread may start. 'after-main' (the default): once main has finished every
   * statement written above the worker's first line, the way a program sets up shared objects
   * and then calls Thread.start(). 'anytime': from the first micro-step, as explicit schedules allow.
   */
  readonly threadStart?: 'after-main' | 'anytime'
  /** False turns partial-order reduction off (state hashing stays): for tests and benchmarks. */
  readonly reduce?: boolean
  /** Called about every 2,000 states. */
  readonly onProgress?: (p: ExploreProgress) => void
  /** Polled with progress; returning true cancels the search (limit 'cancelled'). */
  readonly shouldStop?: () => boolean
  /** A clock in milliseconds, e.g. () => performance.now(); needed for maxMs and the reported ms. */
  readonly now?: () => number
  /** For tests: receives the hash of every distinct state visited. */
  readonly onState?: (key: number) => void
}

/** What one micro-step may read or write, for the independence test. */
interface Footprint {
  /** Depends on everything. */
  readonly global: boolean
  /** Object ids, and THREAD_BASE + index for threads. */
  readonly ids: readonly number[]
}
const THREAD_BASE = 1 << 20
const GLOBAL: Footprint = { global: true, ids: [] }

type Snapshot = MachineSnapshot

/** A state in the search: its place in the tree of first arrivals, and its sleep set. */
interface Node {
  readonly parent: number
  readonly via: number
  readonly depth: number
  /** Trace position: micro-steps recorded on the way here (a GIL switch records two). */
  readonly position: number
  /** Threads that need not be explored here, with their footprints; intersected on re-arrival. */
  sleep: readonly SleepEntry[]
  /** Expectations already checked (they are checked in file order). */
  readonly pending: number
  /** Null once expanded; rebuilt by replaying the path if a re-arrival wakes a thread. */
  snap: Snapshot | null
  expanded: boolean
}
interface SleepEntry {
  readonly thread: number
  readonly fp: Footprint
}

interface Found {
  kind: ExploreOutcomeKind
  schedule: number[]
  step: number
  message: string
  line: number
  count: number
}

// A breadth-first search keeps a copy of every state it has yet to expand. Wide scenarios (many
// threads, many objects) make that frontier large, so limits.maxSavedRecords bounds it.
const recordsOf = (w: MWorld) => w.objects.length + 2 * w.threads.length + w.pages.length + 1

const COUNTER_FIELDS = new Set(['plain_writes', 'atomic_ops', 'transfers', 'locks', 'waits', 'cycles'])

export function explore(sc: Scenario, options: ExploreOptions = {}): ExploreResult {
  const mode = options.mode ?? sc.mode
  const limits = { ...DEFAULT_EXPLORE_LIMITS, ...options.limits }
  const reduce = options.reduce !== false && mode !== 'gil' // gil: every switch moves the GIL (world state)
  // The engine has no clock of its own (it stays pure): without one, maxMs is not enforced.
  const now = options.now ?? (() => 0)
  const started = now()
  const m = new Machine(sc, mode)
  const expectations = sc.expectations
  // Cost counters only matter when an expectation reads them; otherwise states that differ only
  // in their counters are the same state.
  const withCounters = expectations.some((e) => e.fields.some((f) => COUNTER_FIELDS.has(f.name)))
  const threads = sc.threads.map((_, i) => i)
  const firstLine = sc.programs.map((p) => (p.length ? sc.statements[p[0]!]!.line : Infinity))
  const afterMain = options.threadStart !== 'anytime'
  const canRun = (t: number): boolean =>
    isRunnable(m, t, false) && (!afterMain || t === 0 || m.w.threads[t]!.started || m.currentLine(0) > firstLine[t]! || !m.hasWork(0))

  const nodes: Node[] = []
  const visited = new Map<number, number>()
  const queue: { node: number; only: readonly number[] | null }[] = []
  const found = new Map<ExploreOutcomeKind, Found>()
  let transitions = 0
  /** Records held by the saved states of the breadth-first frontier (limits.maxSavedRecords). */
  let savedRecords = 0
  let schedules = 0
  let limit: ExploreResult['limit'] = null

  const snapshot = (): Snapshot => m.save()
  const restore = (s: Snapshot) => {
    m.restore(s.w, s.rt)
    m.violations.length = 0
    m.log.clearAll()
  }
  const writer = new StateWriter(withCounters)
  const stateKey = (pending: number): number => hashString(writer.write(m.w, m.rt, pending))

  const schedulePath = (node: number, last?: number): number[] => {
    const path: number[] = []
    for (let n = node; n > 0; n = nodes[n]!.parent) path.push(nodes[n]!.via)
    path.reverse()
    if (last !== undefined) path.push(last)
    return path
  }
  const report = (kind: ExploreOutcomeKind, schedule: () => number[], step: number, message: string, line: number) => {
    const known = found.get(kind)
    if (known) known.count++
    else found.set(kind, { kind, schedule: schedule(), step, message, line, count: 1 })
  }

  /** Checks the expectations that are ready; returns the new pending index or a failure. */
  const checkExpectations = (pending: number): { pending: number; failure?: { message: string; line: number } } => {
    while (pending < expectations.length) {
      const e: Expectation = expectations[pending]!
      if (!isReady(m, e.line)) break
      if (e.kind === 'deadlock') {
        const free = threads.filter((t) => canRun(t))
        if (!free.length) break // checked when the run ends
        const who = free.map((t) => `${sc.threads[t]} (line ${m.currentLine(t)})`).join(', ')
        return { pending: pending + 1, failure: { message: `expected a deadlock here, but ${who} can still run`, line: e.line } }
      }
      const r = evaluate(e, m.w, m, m.stepCount)
      pending++
      if (!r.ok) return { pending, failure: { message: r.failures.map((f) => f.message).join('; '), line: e.line } }
    }
    return { pending }
  }

  /** The end of a run: no thread can take a step. Reports deadlocks, leaks and late expectations. */
  const finish = (node: number, pending: number) => {
    const stuck = threads.filter((t) => m.hasWork(t) && m.w.threads[t]!.status !== 'exited')
    const path = () => schedulePath(node)
    const at = nodes[node]!.position
    if (stuck.length) {
      const line = Math.max(...stuck.map((t) => m.currentLine(t)).filter(Number.isFinite), 1)
      report('deadlock', path, at, describeDeadlock(m, stuck), line)
    }
    for (let i = pending; i < expectations.length; i++) {
      const e = expectations[i]!
      if (e.kind === 'deadlock') {
        if (!stuck.length) report('expectation', path, at, 'expected a deadlock here, but every thread finished', e.line)
        continue
      }
      const r = evaluate(e, m.w, m, m.stepCount)
      if (!r.ok) report('expectation', path, at, r.failures.map((f) => f.message).join('; '), e.line)
    }
    const leaks = findLeaks(m)
    if (leaks.length) report('leak', path, at, leaks.map((v) => v.message).join('; '), 0)
  }

  /** Adds a state reached from `parent` by `via` (or the root), unless it is known. */
  const arrive = (parent: number, via: number, depth: number, position: number, pending: number, sleep: readonly SleepEntry[]): void => {
    const key = stateKey(pending)
    const seen = visited.get(key)
    if (seen !== undefined) {
      schedules++
      const node = nodes[seen]!
      // Sleep sets with state caching: threads asleep there but awake on this path still need a look.
      const awake = node.sleep.filter((s) => !sleep.some((z) => z.thread === s.thread))
      if (awake.length) {
        node.sleep = node.sleep.filter((s) => sleep.some((z) => z.thread === s.thread))
        // Not expanded yet: its expansion will see the smaller sleep set.
        if (node.expanded) queue.push({ node: seen, only: awake.map((s) => s.thread) })
      }
      return
    }
    const index = nodes.length
    visited.set(key, index)
    options.onState?.(key)
    nodes.push({ parent, via, depth, position, sleep, pending, snap: null, expanded: false })
    if (!threads.some((t) => canRun(t))) {
      schedules++
      finish(index, pending)
      return
    }
    if (depth >= limits.maxDepth) {
      schedules++
      limit ??= 'depth'
      return
    }
    nodes[index]!.snap = snapshot()
    savedRecords += recordsOf(m.w)
    queue.push({ node: index, only: null })
  }

  /** Rebuilds a node's state by replaying its path from the initial state (rare). */
  const rebuild = (node: number): Snapshot => {
    restore(nodes[0]!.snap!)
    for (const t of schedulePath(node)) m.step(t)
    return snapshot()
  }

  const root = checkExpectations(0)
  if (root.failure) {
    report('expectation', () => [], 0, root.failure.message, root.failure.line)
  } else {
    arrive(0, -1, 0, 0, root.pending, [])
    nodes[0]!.snap ??= snapshot() // kept: re-arrivals rebuild states from it
  }

  let sinceProgress = 0
  let head = 0
  search: while (head < queue.length) {
    const { node: index, only } = queue[head++]!
    const node = nodes[index]!
    const snap = node.snap ?? rebuild(index)
    node.expanded = true
    if (index !== 0 && node.snap) {
      savedRecords -= recordsOf(node.snap.w)
      node.snap = null // rebuilt by replay if a re-arrival wakes a thread
    }
    restore(snap)
    const enabled = threads.filter((t) => canRun(t))
    const todo = only ? enabled.filter((t) => only.includes(t)) : enabled.filter((t) => !node.sleep.some((s) => s.thread === t))
    const done: SleepEntry[] = []
    for (const t of todo) {
      if (nodes.length >= limits.maxStates) {
        limit = 'states'
        break search
      }
      if (schedules >= limits.maxSchedules) {
        limit = 'schedules'
        break search
      }
      if (savedRecords > limits.maxSavedRecords) {
        limit = 'memory'
        break search
      }
      // The clock and the cancel flag every 64 transitions (one transition of a big scenario can
      // take a millisecond: every 2,000 overshot a 200 ms budget by a second); progress every 2,048.
      if ((++sinceProgress & 63) === 0) {
        const ms = now() - started
        if (sinceProgress >= 2_048) {
          sinceProgress = 0
          options.onProgress?.({ states: nodes.length, schedules, transitions, ms })
        }
        if (options.shouldStop?.()) {
          limit = 'cancelled'
          break search
        }
        if (ms > limits.maxMs) {
          limit = 'time'
          break search
        }
      }
      if (done.length || t !== todo[0]) restore(snap)
      transitions++
      const before = reduce ? footprintBefore(m, sc, t) : null
      try {
        m.step(t)
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e
        schedules++
        report('error', () => schedulePath(index, t), node.position + m.stepCount, e.message, e.line)
        done.push({ thread: t, fp: GLOBAL })
        continue
      }
      if (m.violations.length) {
        schedules++
        const v: Violation = m.violations[0]!
        report(v.kind, () => schedulePath(index, t), node.position + m.stepCount, v.message, v.line)
        done.push({ thread: t, fp: GLOBAL })
        continue
      }
      const checked = checkExpectations(node.pending)
      if (checked.failure) {
        schedules++
        report('expectation', () => schedulePath(index, t), node.position + m.stepCount, checked.failure.message, checked.failure.line)
        done.push({ thread: t, fp: GLOBAL })
        continue
      }
      const fp = before && checked.pending === node.pending ? footprintAfter(m, before) : GLOBAL
      const inherited = reduce ? [...node.sleep, ...done].filter((s) => independent(s.fp, fp)) : []
      arrive(index, t, node.depth + 1, node.position + m.stepCount, checked.pending, inherited)
      done.push({ thread: t, fp })
    }
  }

  const ms = now() - started
  const outcomes = [...found.values()]
    .sort((a, b) => a.step - b.step)
    .map((f) => ({ kind: f.kind, schedule: f.schedule.map((t) => sc.threads[t]!), message: f.message, line: f.line, step: f.step, count: f.count }))
  return { mode, exhaustive: limit === null, limit, states: nodes.length, schedules, transitions, ms, outcomes }
}

// ------------------------------------------------------------------ footprints

/** The objects a thread's next micro-step names, read before it runs. */
function footprintBefore(m: Machine, sc: Scenario, t: number): number[] {
  const ids: number[] = [THREAD_BASE + t]
  const rt = m.rt[t]!
  const thread = m.w.threads[t]!
  if (rt.tmp >= 0) ids.push(rt.tmp)
  const top = rt.ops[rt.ops.length - 1]
  let statement: Statement | undefined
  if (top === undefined) {
    if (thread.queue.length) ids.push(...thread.queue)
    const pc = thread.pc
    if (pc < sc.programs[t]!.length) statement = sc.statements[sc.programs[t]![pc]!]
  } else if (typeof top === 'number') {
    statement = sc.statements[top >>> 8]
  } else {
    for (const value of Object.values(top)) {
      if (typeof value === 'number') ids.push(value)
      else if (Array.isArray(value)) ids.push(...(value as number[]))
      else if (typeof value === 'string' && top.k === 'exit-drop') addVar(m, t, value, ids)
    }
  }
  if (statement) addStatementObjects(m, t, statement, ids)
  return ids
}

/** Objects a statement may read: its variables' objects, G, and what their slots hold. */
function addStatementObjects(m: Machine, t: number, s: Statement, ids: number[]) {
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (key === 'name' || key === 'container' || key === 'list' || key === 'queue') addVar(m, t, value, ids)
    } else if (typeof value === 'number') {
      if (key === 'obj') ids.push(value)
    } else if (value && typeof value === 'object') {
      const k = (value as { k?: string }).k
      if (k === 'global' || k === 'G') ids.push(0)
      for (const [kk, v] of Object.entries(value)) if (kk !== 'text') walk(v, kk)
    }
  }
  walk(s, '')
  // A read of a container slot takes a reference to what the slot holds in the same micro-step.
  const n = ids.length
  for (let i = 0; i < n; i++) {
    const o = m.w.objects[ids[i]!]
    if (o) for (const slot of o.slots) ids.push(slot.obj)
  }
}

function addVar(m: Machine, t: number, name: string, ids: number[]) {
  const v = m.w.threads[t]!.vars.find((x) => x.name === name)
  if (v) ids.push(v.obj)
}

/** Adds what the micro-step wrote; any write outside objects and threads makes it global. */
function footprintAfter(m: Machine, before: number[]): Footprint {
  const log = m.log
  const ids = before
  for (let i = 0; i < log.length; i++) {
    const meta = log.meta.data[i]!
    const target = meta & 3 // object, thread, page, world (log.ts TARGET_CODE)
    const id = log.ids.data[i]!
    if (target === 0) ids.push(id)
    else if (target === 1) ids.push(THREAD_BASE + id)
    else return GLOBAL
  }
  return { global: false, ids }
}

function independent(a: Footprint, b: Footprint): boolean {
  if (a.global || b.global) return false
  for (const x of a.ids) if (b.ids.includes(x)) return false
  return true
}

// ------------------------------------------------------------------ state copies and hashes

// The machine replaces the arrays inside object, thread, page and world records when it changes
// them (setO/setT/setP/setW record old and new values), and mutates only the records themselves
// and the runtime's stacks in place. So a copy of the records and of those stacks is a full copy.
/** Record fields that never change or never decide anything but cost counters. */
const CONSTANT_FIELDS = new Set(['id', 'label', 'type', 'immortal', 'index', 'name', 'mode', 'objects', 'threads', 'pages'])
const COST_FIELDS = new Set(['counters', 'lastWriter'])

/** Writes a state as text for hashing: each record's changing fields in a fixed order. */
class StateWriter {
  private keys = new Map<string, string[]>()
  constructor(private readonly withCounters: boolean) {}
  private fieldsOf(kind: string, record: object): string[] {
    let keys = this.keys.get(kind)
    if (!keys) {
      keys = Object.keys(record).filter((k) => !CONSTANT_FIELDS.has(k) && (this.withCounters || !COST_FIELDS.has(k)))
      this.keys.set(kind, keys)
    }
    return keys
  }
  private record(kind: string, record: object): string {
    let out = ''
    for (const k of this.fieldsOf(kind, record)) {
      const v = (record as Record<string, unknown>)[k]
      out += (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)) + ','
    }
    return out
  }
  write(w: MWorld, rt: readonly Runtime[], pending: number): string {
    let out = this.record('world', w) + pending + ';'
    for (const o of w.objects) out += this.record('object', o) + ';'
    for (const t of w.threads) out += this.record('thread', t) + ';'
    for (const p of w.pages) out += this.record('page', p) + ';'
    for (const r of rt) out += this.record('runtime', r) + ';'
    return out
  }
}

/** Two 32-bit FNV-1a variants folded into a 53-bit number. */
function hashString(s: string): number {
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff)
}

// ------------------------------------------------------------------ counterexamples as text

/**
 * The scenario text with its `schedule:` header replaced by an explicit schedule, and its `mode:`
 * header set when a mode is given (an explicit schedule only replays in the mode it was found in).
 */
export function withSchedule(text: string, schedule: readonly string[], mode?: Mode): string {
  const lines = text.split(/\r\n|\r|\n/)
  const setHeader = (key: string, value: string) => {
    const existing = lines.findIndex((l) => new RegExp(`^\\s*${key}\\s*:`).test(l))
    if (existing >= 0) lines[existing] = `${key}: ${value}`
    else lines.splice(lines.findIndex((l) => /^\s*threads\s*:/.test(l)) + 1, 0, `${key}: ${value}`)
  }
  if (mode) setHeader('mode', mode)
  setHeader('schedule', schedule.join(' '))
  return lines.join('\n')
}
