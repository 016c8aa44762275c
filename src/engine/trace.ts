// A recorded run. States are rebuilt on demand: the nearest checkpoint (a full snapshot taken
// every `every` micro-steps) plus the recorded field writes after it. Records that a step did
// not touch are shared with the checkpoint, so consecutive states share structure.

import type { Scenario } from './ast'
import type { ExpectationResult, Outcome } from './run'
import { applyCost, FIELD_NAMES, Step, type Recording } from './log'
import type { Mode, ObjectState, PageState, ThreadState, Violation, WorldState } from './types'

export interface CheckpointStore {
  readonly every: number
  /** states[k] is the state after step (k + 1) * every − 1. */
  readonly states: WorldState[]
}

type Writable = Record<string, unknown>

/**
 * Applies steps[from..to] (inclusive) to `base`, forwards (new values, counters added) or
 * backwards (old values, counters subtracted), copying only the records they touch.
 */
export function replay(base: WorldState, log: Recording, from: number, to: number, backward = false): WorldState {
  const world: Writable = { ...base }
  const lists = [base.objects.slice(), base.threads.slice(), base.pages.slice()] as unknown as Writable[][]
  const copied = [new Set<number>(), new Set<number>(), new Set<number>()]
  const countersCopied = new Set<number>()
  const meta = log.meta.data
  const ids = log.ids.data
  const { olds, values } = log
  const record = (target: number, id: number): Writable => {
    const list = lists[target]!
    if (!copied[target]!.has(id)) {
      list[id] = { ...list[id] }
      copied[target]!.add(id)
    }
    return list[id]!
  }
  const apply = (i: number) => {
    const m = meta[i]!
    const target = m & 3
    const field = FIELD_NAMES[m >>> 10]!
    const value = backward ? olds.get(i) : values.get(i)
    if (target === 3) {
      world[field] = value
      return
    }
    const id = ids[i]!
    if (field === '*') {
      // A page came into existence (or, going backward, disappears).
      const list = lists[target]!
      if (backward) list.length = Math.min(list.length, id)
      else list[id] = { ...(value as Writable) }
      copied[target]!.add(id)
      return
    }
    record(target, id)[field] = value
  }
  const applyCounters = (k: number) => {
    const cost = log.stepCost.data[k]!
    if (!cost) return
    const t = log.stepThread.data[k]!
    const thread = record(1, t)
    if (!countersCopied.has(t)) {
      thread.counters = { ...(thread.counters as Writable) }
      countersCopied.add(t)
    }
    applyCost(thread.counters as Parameters<typeof applyCost>[0], cost, backward ? -1 : 1)
  }
  if (backward) {
    for (let k = from; k >= to; k--) {
      for (let i = log.end(k) - 1; i >= log.start(k); i--) apply(i)
      applyCounters(k)
    }
  } else {
    for (let k = from; k <= to; k++) {
      for (let i = log.start(k), end = log.end(k); i < end; i++) apply(i)
      applyCounters(k)
    }
  }
  world.objects = lists[0] as unknown as ObjectState[]
  world.threads = lists[1] as unknown as ThreadState[]
  world.pages = lists[2] as unknown as PageState[]
  return world as unknown as WorldState
}

export interface TraceData {
  readonly scenario: Scenario
  readonly mode: Mode
  readonly log: Recording
  readonly initial: WorldState
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
  readonly log: Recording
  readonly initial: WorldState
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
    this.log = data.log
    this.initial = data.initial
    this.final = data.final
    this.checkpoints = data.checkpoints
    this.outcome = data.outcome
    this.expectations = data.expectations
    this.violations = data.violations
    this.deadlockAnnounced = data.deadlockAnnounced
    this.notes = data.notes
  }

  #steps: Step[] | undefined

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
    return this.log.stepCount
  }

  /** The state after the first `position` micro-steps: stateAt(0) is the initial state. */
  stateAt(position: number): WorldState {
    const p = Math.max(0, Math.min(this.length, Math.floor(position)))
    if (p === 0) return this.initial
    if (p === this.length) return this.final
    const cached = this.cache
    if (cached && cached.position === p) return cached.state
    let state: WorldState
    const every = this.checkpoints.every
    // Checkpoint k holds the state at position (k + 1) * every.
    const k = Math.floor(p / every) - 1
    const base = k >= 0 ? this.checkpoints.states[k] : undefined
    const basePosition = base ? (k + 1) * every : 0
    if (cached && cached.position < p && cached.position >= basePosition) {
      state = replay(cached.state, this.log, cached.position, p - 1)
    } else if (cached && cached.position > p && cached.position - p <= p - basePosition) {
      state = replay(cached.state, this.log, cached.position - 1, p, true)
    } else {
      state = replay(base ?? this.initial, this.log, basePosition, p - 1)
    }
    this.cache = { position: p, state }
    return state
  }

  /** The state right after steps[i]. */
  stateAfter(i: number): WorldState {
    return this.stateAt(i + 1)
  }
}
