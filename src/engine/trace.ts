// A recorded run. States are rebuilt on demand: the nearest checkpoint (a full snapshot taken
// every `every` micro-steps) plus the recorded field writes after it. Records that a step did
// not touch are shared with the checkpoint, so consecutive states share structure.

import type { Scenario } from './ast'
import type { ExpectationResult, Outcome } from './run'
import type { Change, Mode, ObjectState, PageState, StepRecord, ThreadState, Violation, WorldState } from './types'

export interface CheckpointStore {
  readonly every: number
  /** states[k] is the state after step (k + 1) * every − 1. */
  readonly states: WorldState[]
}

type Writable = Record<string, unknown>

/** A frozen copy of a (mutable) world: each record is copied; inner arrays are never mutated in place. */
export function snapshot(w: WorldState): WorldState {
  return {
    ...w,
    objects: w.objects.map((o) => ({ ...o })),
    threads: w.threads.map((t) => ({ ...t })),
    pages: w.pages.map((p) => ({ ...p })),
  }
}

/** Applies the changes of steps[from..to] (inclusive) to `base`, copying only touched records. */
export function replay(base: WorldState, steps: readonly StepRecord[], from: number, to: number, backward = false): WorldState {
  const world: Writable = { ...base }
  const objects = base.objects.slice() as unknown as Writable[]
  const threads = base.threads.slice() as unknown as Writable[]
  const pages = base.pages.slice() as unknown as Writable[]
  const copied = { object: new Set<number>(), thread: new Set<number>(), page: new Set<number>() }
  const apply = (c: Change) => {
    const value = backward ? c.old : c.value
    if (c.target === 'world') {
      world[c.field] = value
      return
    }
    const list = c.target === 'object' ? objects : c.target === 'thread' ? threads : pages
    if (c.field === '*') {
      // A page came into existence (or, going backward, disappears).
      if (backward) list.length = Math.min(list.length, c.id)
      else list[c.id] = { ...(value as Writable) }
      copied.page.add(c.id)
      return
    }
    const seen = copied[c.target]
    if (!seen.has(c.id)) {
      list[c.id] = { ...list[c.id] }
      seen.add(c.id)
    }
    list[c.id]![c.field] = value
  }
  if (backward) {
    for (let i = from; i >= to; i--) {
      const ch = steps[i]!.changes
      for (let j = ch.length - 1; j >= 0; j--) apply(ch[j]!)
    }
  } else {
    for (let i = from; i <= to; i++) for (const c of steps[i]!.changes) apply(c)
  }
  world.objects = objects as unknown as ObjectState[]
  world.threads = threads as unknown as ThreadState[]
  world.pages = pages as unknown as PageState[]
  return world as unknown as WorldState
}

export interface TraceData {
  readonly scenario: Scenario
  readonly mode: Mode
  readonly steps: readonly StepRecord[]
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
  readonly steps: readonly StepRecord[]
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
    this.steps = data.steps
    this.initial = data.initial
    this.final = data.final
    this.checkpoints = data.checkpoints
    this.outcome = data.outcome
    this.expectations = data.expectations
    this.violations = data.violations
    this.deadlockAnnounced = data.deadlockAnnounced
    this.notes = data.notes
  }

  /** Number of micro-steps. Positions run from 0 (initial state) to length (final state). */
  get length(): number {
    return this.steps.length
  }

  /** The state after the first `position` micro-steps: stateAt(0) is the initial state. */
  stateAt(position: number): WorldState {
    const p = Math.max(0, Math.min(this.steps.length, Math.floor(position)))
    if (p === 0) return this.initial
    if (p === this.steps.length) return this.final
    const cached = this.cache
    if (cached && cached.position === p) return cached.state
    let state: WorldState
    const every = this.checkpoints.every
    // Checkpoint k holds the state at position (k + 1) * every.
    const k = Math.floor(p / every) - 1
    const base = k >= 0 ? this.checkpoints.states[k] : undefined
    const basePosition = base ? (k + 1) * every : 0
    if (cached && cached.position < p && cached.position >= basePosition) {
      state = replay(cached.state, this.steps, cached.position, p - 1)
    } else if (cached && cached.position > p && cached.position - p <= p - basePosition) {
      state = replay(cached.state, this.steps, cached.position - 1, p, true)
    } else {
      state = replay(base ?? this.initial, this.steps, basePosition, p - 1)
    }
    this.cache = { position: p, state }
    return state
  }

  /** The state right after steps[i]. */
  stateAfter(i: number): WorldState {
    return this.stateAt(i + 1)
  }
}
