// Runs a scenario to completion under a schedule, checks its expectations at the moments the
// contract defines, and returns a Trace that can rebuild the state after any micro-step.

import type { Expectation, Scenario, ScheduleSpec } from './ast'
import { Machine, RuntimeError, storeRuntime } from './machine'
import { IntList } from './log'
import { mulberry32 } from './prng'
import { Trace, type CheckpointStore } from './trace'
import { IMMORTAL_REFCNT, REF_STATE_NAMES, type Mode, type ObjectState, type ThreadState, type Violation, type WorldState } from './types'

export interface RunOptions {
  /** Overrides the scenario's `mode:` header. */
  readonly mode?: Mode
  /** Overrides the scenario's `schedule:` header. */
  readonly schedule?: ScheduleSpec
  /** Stops the run with an error after this many micro-steps (default 2,000,000). */
  readonly maxSteps?: number
  /** Micro-steps between full-state checkpoints (default 128). */
  readonly checkpointEvery?: number
}

export interface ExpectationResult {
  readonly line: number
  readonly column: number
  readonly text: string
  readonly ok: boolean
  /** Empty when ok; otherwise one sentence per failed field. */
  readonly failures: readonly { readonly column: number; readonly message: string }[]
  /** The number of micro-steps that had run when it was checked (the state is stateAt(step)). */
  readonly step: number
}

export interface Outcome {
  readonly kind: 'finished' | 'deadlock' | 'error'
  readonly message: string
  readonly line?: number
}

export const DEFAULT_MAX_STEPS = 2_000_000

export function runScenario(sc: Scenario, options: RunOptions = {}): Trace {
  const mode = options.mode ?? sc.mode
  const notes: string[] = []
  let schedule = options.schedule ?? sc.schedule
  if (!options.schedule && schedule.k === 'explicit' && mode !== sc.mode) {
    // An explicit schedule names micro-steps of one mode; another mode has different ones.
    schedule = { k: 'default' }
    notes.push(`The scenario's explicit schedule was written for ${sc.mode} mode, whose micro-steps differ; this ${mode} run uses the default schedule.`)
  }
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS
  const every = Math.max(1, options.checkpointEvery ?? 128)
  const m = new Machine(sc, mode)
  // The run itself is quiet: it keeps the schedule it took and a checkpoint every `every`
  // micro-steps. The trace re-runs from those when asked for a state or a micro-step's details.
  m.recording = false
  const initial = m.checkpoint(null)
  const initialRuntime = storeRuntime(m.rt)
  const checkpoints: CheckpointStore = { every, states: [], runtimes: [] }
  const taken = new IntList()
  /** The thread whose micro-step stopped the run with an error (its partial writes are part of the trace). */
  let failing = -1
  const results: ExpectationResult[] = []
  const pending = sc.expectations.slice()
  let deadlockAnnounced = false

  const check = (e: Expectation, state: WorldState) => {
    results.push(evaluate(e, state, m, m.stepCount))
  }
  // Checks every expectation whose statements above have all finished (or are blocked).
  const checkReady = () => {
    while (pending.length) {
      const e = pending[0]!
      if (!isReady(m, e.line)) return
      if (e.kind === 'deadlock') {
        // "The run must stop in a deadlock at that point": nothing may be able to run now.
        const free = all.filter((t) => runnable(t, false))
        if (!free.length) return // the run ends here; the result is recorded after the loop
        pending.shift()
        deadlockAnnounced = true
        const who = free.map((t) => `${sc.threads[t]} (line ${m.currentLine(t)})`).join(', ')
        results.push({ line: e.line, column: e.column, text: e.text, ok: false, failures: [{ column: e.column, message: `expected a deadlock here, but ${who} can still run` }], step: m.stepCount })
        continue
      }
      pending.shift()
      check(e, m.w)
    }
  }

  let outcome: Outcome | null = null
  const all = sc.threads.map((_, i) => i)
  const runnable = (t: number, strictGil: boolean): boolean => isRunnable(m, t, strictGil)
  const scheduler = new Scheduler(m, schedule)

  try {
    checkReady()
    for (;;) {
      const t = scheduler.pick()
      if (t < 0) break
      failing = t
      m.step(t)
      failing = -1
      taken.push(t)
      if (pending.length) checkReady()
      if (m.stepCount === (checkpoints.states.length + 1) * every) {
        checkpoints.states.push(m.checkpoint(checkpoints.states.at(-1) ?? initial))
        checkpoints.runtimes.push(storeRuntime(m.rt))
      }
      if (m.stepCount >= maxSteps) {
        outcome = { kind: 'error', message: `stopped after ${maxSteps.toLocaleString('en')} micro-steps (the limit); the scenario is too long to run here` }
        break
      }
    }
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e
    outcome = { kind: 'error', message: e.message, line: e.line }
  }

  if (!outcome) {
    const stuck = all.filter((t) => m.hasWork(t) && m.w.threads[t]!.status !== 'exited')
    outcome = stuck.length
      ? { kind: 'deadlock', message: describeDeadlock(m, stuck), line: Math.max(...stuck.map((t) => m.currentLine(t)).filter(Number.isFinite), 1) }
      : { kind: 'finished', message: 'every thread finished' }
  }

  // Whatever is still pending is checked against the final (frozen) state.
  for (const e of pending) {
    if (e.kind === 'deadlock') {
      deadlockAnnounced = true
      const ok = outcome.kind === 'deadlock'
      results.push({
        line: e.line,
        column: e.column,
        text: e.text,
        ok,
        failures: ok ? [] : [{ column: e.column, message: outcome.kind === 'error' ? `expected a deadlock here, but the run stopped with an error: ${outcome.message}` : 'expected a deadlock here, but every thread finished' }],
        step: m.stepCount,
      })
    } else if (outcome.kind === 'error') {
      results.push({ line: e.line, column: e.column, text: e.text, ok: false, failures: [{ column: e.column, message: `not checked: the run stopped before this point (${outcome.message})` }], step: m.stepCount })
    } else {
      check(e, m.w)
    }
  }
  results.sort((a, b) => a.line - b.line)

  const violations: Violation[] = [...m.violations]
  if (outcome.kind !== 'error') violations.push(...findLeaks(m))
  if (outcome.kind === 'deadlock') {
    violations.push({ kind: 'deadlock', step: m.stepCount, line: 0, obj: -1, message: outcome.message })
  }

  return new Trace({
    scenario: sc,
    mode,
    machine: m,
    schedule: taken.data.slice(0, taken.length),
    failing,
    initial,
    initialRuntime,
    final: m.checkpoint(checkpoints.states.at(-1) ?? initial),
    checkpoints,
    outcome,
    expectations: results,
    violations,
    deadlockAnnounced,
    notes,
  })
}

/**
 * Picks the thread of each micro-step. A class rather than closures inside runScenario: closures
 * are new objects on every run, and V8 would learn and optimise them again each time.
 */
class Scheduler {
  private readonly rng: (() => number) | null
  private scriptPos = 0
  /** The thread of the last micro-step, or -1. */
  private last = -1
  private readonly threads: number

  constructor(
    private readonly m: Machine,
    private readonly schedule: ScheduleSpec,
  ) {
    this.rng = schedule.k === 'random' ? mulberry32(schedule.seed) : null
    this.threads = m.sc.threads.length
  }

  /** The thread for the next micro-step, or -1 when nothing can run. */
  pick(): number {
    const t = this.choose()
    if (t >= 0) this.last = t
    return t
  }

  private choose(): number {
    const { m, schedule } = this
    const n = this.threads
    if (schedule.k === 'explicit' && this.scriptPos < schedule.threads.length) {
      const t = schedule.threads[this.scriptPos++]!
      if (!isRunnable(m, t, false)) {
        const name = m.sc.threads[t]
        throw new RuntimeError(schedule.line, `schedule entry ${this.scriptPos} names ${name}, but ${name} cannot run now: ${whyNot(m, t)}`)
      }
      return t
    }
    if (schedule.k === 'round-robin') {
      for (let k = 1; k <= n; k++) {
        const t = (this.last + k + n) % n
        if (isRunnable(m, t, true)) return t
      }
      return -1
    }
    if (this.rng) {
      const ready: number[] = []
      for (let t = 0; t < n; t++) if (isRunnable(m, t, true)) ready.push(t)
      return ready.length ? ready[Math.floor(this.rng() * ready.length)]! : -1
    }
    // Default: keep running the current statement until it finishes or blocks, then take the
    // earliest unfinished statement line of a thread that can run.
    const last = this.last
    if (last >= 0 && m.inStatement(last) && isRunnable(m, last, false)) return last
    let best = -1
    let bestLine = Infinity
    // isRunnable() has no side effects, so it is asked only of a thread that would be picked.
    for (let t = 0; t < n; t++) {
      const line = m.currentLine(t)
      if ((best < 0 || line < bestLine) && isRunnable(m, t, false)) {
        best = t
        bestLine = line
      }
    }
    return best
  }
}

/** Whether thread t may take the next micro-step (strictGil: generated schedules honour switch_interval). */
export function isRunnable(m: Machine, t: number, strictGil: boolean): boolean {
  const th = m.w.threads[t]!
  if (!m.hasWork(t) || th.blockedOn || th.status === 'exited') return false
  if (m.w.stoppedBy >= 0) {
    // While the world stops, the collector waits for the threads still finishing a statement.
    if (m.w.stopping.length) return m.w.stopping.includes(t)
    if (m.w.stoppedBy !== t) return false
  }
  if (m.mode === 'gil' && m.w.gil !== t && !m.canOfferGil(strictGil)) return false
  return true
}

/** Objects whose count exceeds the references that really exist: they can never be freed. */
export function findLeaks(m: Machine): Violation[] {
  const leaks: Violation[] = []
  for (const o of m.w.objects) {
    if (!o.allocated || o.freed || o.immortal) continue
    const count = m.ft ? o.local + o.shared : o.refcnt
    if (count > o.refs) {
      leaks.push({
        kind: 'leak',
        step: m.stepCount,
        line: 0,
        obj: o.id,
        message: `${o.label} leaks: its count is ${count} but only ${o.refs} reference${o.refs === 1 ? '' : 's'} to it exist${o.refs === 1 ? 's' : ''}, so it can never be freed`,
      })
    }
  }
  return leaks
}

/** True when every statement line above `line` has finished or belongs to a blocked thread. */
export function isReady(m: Machine, line: number): boolean {
  for (const th of m.w.threads) {
    if (th.blockedOn) continue
    if (m.currentLine(th.index) < line) return false
  }
  return true
}

function whyNot(m: Machine, t: number): string {
  const th = m.w.threads[t]!
  if (th.status === 'exited') return 'it has exited'
  if (!m.hasWork(t)) return 'it has no statements left'
  if (th.blockedOn) return blockText(m, th)
  if (m.w.stoppedBy >= 0) return `the world is stopped for ${m.name(m.w.stoppedBy)}'s collection`
  if (m.w.gil >= 0) return `${m.name(m.w.gil)} holds the GIL in the middle of a statement`
  return 'it is not runnable'
}

function blockText(m: Machine, th: ThreadState): string {
  const b = th.blockedOn
  if (!b) return 'it is blocked'
  if (b.kind === 'queue') return `it waits on the empty queue ${m.label(b.obj)}`
  if (b.kind === 'gil') return 'it waits for the GIL'
  const o = m.w.objects[b.obj]!
  return `it waits for ${o.label}'s mutex, held by ${o.lockedBy === th.index ? `${th.name} itself` : m.name(o.lockedBy)}`
}

export function describeDeadlock(m: Machine, stuck: number[]): string {
  const parts = stuck.map((t) => {
    const th = m.w.threads[t]!
    return `${th.name} (line ${m.currentLine(t)}) ${th.blockedOn ? blockText(m, th).replace(/^it /, '') : 'cannot run'}`
  })
  return `every unfinished thread is blocked: ${parts.join('; ')}`
}

// ---------------------------------------------------------------- expectations

export function objectField(o: ObjectState, field: string, m: { ownerName(o: ObjectState): string; name(t: number): string }, mode: Mode): string | number | boolean {
  const ft = mode === 'free-threaded'
  switch (field) {
    case 'owner':
      return ft ? m.ownerName(o) : 'none'
    case 'local':
      return o.immortal ? 'immortal' : o.local
    case 'shared':
      return o.immortal ? 0 : o.shared
    case 'state':
      return REF_STATE_NAMES[o.state]!
    case 'refcount':
      if (o.immortal) return IMMORTAL_REFCNT
      return ft ? o.local + o.shared : o.refcnt
    case 'immortal':
      return o.immortal
    case 'deferred':
      return o.deferred
    case 'freed':
      return o.freed
    case 'freed_by':
      return o.freedBy < 0 ? 'none' : m.name(o.freedBy)
    case 'locked_by':
      return o.lockedBy < 0 ? 'none' : m.name(o.lockedBy)
    case 'waiters':
      return o.waiters.length
    case 'gc_bits':
      return o.gcBits
    case 'flags':
      return o.flags
  }
  return '?'
}

export function threadField(t: ThreadState, field: string): string | number {
  switch (field) {
    case 'status':
      return t.status
    case 'queue':
      return t.queue.length
    case 'sections':
      return t.sections.filter((s) => !s.beginning && s.held === s.objs.length).length
    case 'suspended':
      return t.sections.filter((s) => s.beginning || s.held < s.objs.length).length
    case 'plain_writes':
      return t.counters.plainWrites
    case 'atomic_ops':
      return t.counters.atomicOps
    case 'transfers':
      return t.counters.cacheLineTransfers
    case 'locks':
      return t.counters.lockAcquisitions
    case 'waits':
      return t.counters.contendedWaits
    case 'cycles':
      return t.counters.cycles
  }
  return '?'
}

export function evaluate(e: Expectation, w: WorldState, m: Machine, step: number): ExpectationResult {
  const failures: { column: number; message: string }[] = []
  const mode = w.mode
  for (const f of e.fields) {
    let actual: string | number | boolean
    let subject: string
    if (e.kind === 'object') {
      const o = w.objects[e.target]!
      subject = o.label
      if (mode !== 'free-threaded' && (f.name === 'local' || f.name === 'shared' || f.name === 'state')) {
        failures.push({ column: f.column, message: `${o.label}.${f.name}: in ${mode} mode an object has one ob_refcnt and no ${f.name === 'state' ? 'state bits' : `ob_ref_${f.name}`}; check refcount instead` })
        continue
      }
      if (!o.allocated && !o.immortal) {
        failures.push({ column: f.column, message: `${o.label} has not been created yet at this point (expected ${f.name}=${f.value})` })
        continue
      }
      actual = objectField(o, f.name, m, mode)
      if (f.name === 'refcount' && f.value === 'immortal') actual = o.immortal ? 'immortal' : actual
    } else {
      const t = w.threads[e.target]!
      subject = `thread ${t.name}`
      actual = threadField(t, f.name)
    }
    if (actual !== f.value) {
      failures.push({ column: f.column, message: `${subject}: expected ${f.name}=${f.value}, actual ${f.name}=${actual}` })
    }
  }
  return { line: e.line, column: e.column, text: e.text, ok: failures.length === 0, failures, step }
}
