// Props of the player's parts, so they can be built and tested separately. Every part only
// reads engine output: it never computes a count, owner or lock itself.

import type { Mode, StepRecord, Trace, WorldState } from '../engine'

/** The animated picture of one moment: thread lanes, object cards, arrows. */
export interface SceneProps {
  readonly trace: Trace
  /** 0 = initial state, n = after trace.steps[n - 1]. */
  readonly position: number
  /** Position shown before this one: a move of exactly +1 animates, anything else snaps. */
  readonly previousPosition: number
  readonly reducedMotion: boolean
  /** Playback speed multiplier (animations shorten as it grows). */
  readonly speed: number
}

/** The CPython function behind the current micro-step, as short pseudo-C. */
export interface CodePanelProps {
  /** The micro-step that led to the shown state, or null at position 0. */
  readonly step: StepRecord | null
  readonly mode: Mode
}

/** The engine's sentence for the current step, announced to screen readers. */
export interface NarrationProps {
  readonly trace: Trace
  readonly position: number
}

/** Model cost counters per thread and in total. */
export interface CountersProps {
  readonly state: WorldState
  readonly mode: Mode
}
