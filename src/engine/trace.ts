// A recorded run. The run itself is quiet: it keeps the schedule it took (one thread per
// micro-step) and a checkpoint every `every` micro-steps (the world, with the records no step
// touched shared with the checkpoint before, and each thread's runtime). A state is rebuilt on
// demand from the nearest checkpoint by re-running the few micro-steps after it; the steps'
// details (narration, field changes) come from one more run, with recording on, the first time
// someone reads them. The engine is deterministic, so every re-run takes the same decisions.

import type { Scenario } from './ast'
import { Machine, RuntimeError, type Runtime } from './machine'
import type { ExpectationResult, Outcome } from './run'
import { Step, type Recording } from './log'
import type { Mode, Violation, WorldState } from './types'

export interface CheckpointStore {
  readonly every: number
  /** states[k] is the state after step (k + 1) * every − 1. */
  readonly states: WorldState[]
  /** runtimes[k]: each thread's runtime (its pending micro-steps) at states[k]. */
  readonly runtimes: Runtime[][]
}

export interface TraceData {
  readonly scenario: Scenario
  readonly mode: Mode
  /** The machine that ran (quietly); the trace moves it back and forth to rebuild states. */
  readonly machine: Machine
  /** The thread of each micro-step. */
  readonly schedule: Int32Array
  /** The thread whose micro-step stopped the run with an error, or -1. */
  readonly failing: number
  readonly initial: WorldState
  readonly initialRuntime: readonly Runtime[]
  readonly final: WorldState
  readonly checkpoints: CheckpointStore
  readonly outcome: Outcome
  readonly expectations: readonly ExpectationResult[]
  readonly violations: readonly Violation[]
  readonly deadlockAnnounced: boolean
  /** Remarks about how the run was set up (e.g. a schedule replaced for another mode). */
  readonly notes: readonly string[]
}

export class Trace implements TraceData {
  readonly scenario: Scenario
  readonly mode: Mode
  readonly machine: Machine
  readonly schedule: Int32Array
  readonly failing: number
  readonly initial: WorldState
  readonly initialRuntime: readonly Runtime[]
  readonly final: WorldState
  readonly checkpoints: CheckpointStore
  readonly outcome: Outcome
  readonly expectations: readonly ExpectationResult[]
  readonly violations: readonly Violation[]
  readonly deadlockAnnounced: boolean
  readonly notes: readonly string[]
  private cache: { position: number; state: WorldState } | null = null

  constructor(data: TraceData) {
    this.scenario = data.scenario
    this.mode = data.mode
    this.machine = data.machine
    this.schedule = data.schedule
    this.failing = data.failing
    this.initial = data.initial
    this.initialRuntime = data.initialRuntime
    this.final = data.final
    this.checkpoints = data.checkpoints
    this.outcome = data.outcome
    this.expectations = data.expectations
    this.violations = data.violations
    this.deadlockAnnounced = data.deadlockAnnounced
    this.notes = data.notes
  }

  #steps: Step[] | undefined
  #log: Recording | undefined

  /**
   * Everything the micro-steps wrote and said, recorded by running the scenario again with the
   * same schedule (once, on first use).
   */
  get log(): Recording {
    if (!this.#log) {
      const m = new Machine(this.scenario, this.mode)
      for (let i = 0; i < this.schedule.length; i++) m.step(this.schedule[i]!)
      if (this.failing >= 0) {
        try {
          m.step(this.failing)
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e
        }
      }
      if (m.log.stepCount !== this.schedule.length) throw new Error(`engine bug: the recording run took ${m.log.stepCount} micro-steps, the run ${this.schedule.length}`)
      this.#log = m.log
    }
    return this.#log
  }

  /** The micro-steps, as objects (built on first use from the compact recording). */
  get steps(): readonly Step[] {
    if (!this.#steps) {
      const steps: Step[] = []
      for (let i = 0; i < this.log.stepCount; i++) steps.push(new Step(this.log, i))
      this.#steps = steps
    }
    return this.#steps
  }

  /** Number of micro-steps. Positions run from 0 (initial state) to length (final state). */
  get length(): number {
    return this.schedule.length
  }

  /** The state after the first `position` micro-steps: stateAt(0) is the initial state. */
  stateAt(position: number): WorldState {
    const p = Math.max(0, Math.min(this.length, Math.floor(position)))
    if (p === 0) return this.initial
    if (p === this.length) return this.final
    const cached = this.cache
    if (cached && cached.position === p) return cached.state
    const every = this.checkpoints.every
    // Checkpoint k holds the state at position (k + 1) * every.
    const k = Math.floor(p / every) - 1
    const basePosition = k >= 0 ? (k + 1) * every : 0
    const m = this.machine
    let from: number
    let previous: WorldState
    if (cached && cached.position < p && cached.position >= basePosition) {
      // The machine stands at the cached state: go on from there.
      from = cached.position
      previous = cached.state
    } else {
      previous = k >= 0 ? this.checkpoints.states[k]! : this.initial
      m.restore(previous, k >= 0 ? this.checkpoints.runtimes[k]! : this.initialRuntime)
      from = basePosition
    }
    for (let i = from; i < p; i++) m.step(this.schedule[i]!)
    // Found again on the way: already in the trace's own list.
    m.violations.length = 0
    // Records no step touched since `previous` are shared with it.
    const state = m.stateFor(previous)
    this.cache = { position: p, state }
    return state
  }

  /** The state right after steps[i]. */
  stateAfter(i: number): WorldState {
    return this.stateAt(i + 1)
  }
}
