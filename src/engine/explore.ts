// The interleaving explorer: searches the schedules of a scenario's threads at micro-step grain
// for a use-after-free, a leak, a deadlock or a failed expectation. (Implementation follows.)

import type { Scenario } from './ast'
import type { Mode } from './types'

export type ExploreOutcomeKind = 'use-after-free' | 'leak' | 'deadlock' | 'expectation' | 'error'

export interface ExploreLimits {
  /** Longest schedule followed, in micro-steps (default 2,000). */
  readonly maxDepth?: number
  /** Distinct states visited before the search stops (default 200,000). */
  readonly maxStates?: number
  /** Schedules (paths to a final or already-seen state) before the search stops (default 1,000,000). */
  readonly maxSchedules?: number
  /** Wall-clock budget in milliseconds (default 10,000). */
  readonly maxMs?: number
}

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
  readonly limit: 'depth' | 'states' | 'schedules' | 'time' | 'cancelled' | null
  /** One entry per kind found, shortest schedule first; empty when nothing went wrong. */
  readonly outcomes: readonly ExploreOutcome[]
}

export interface ExploreOptions {
  readonly mode?: Mode
  readonly limits?: ExploreLimits
  /** Called every few thousand states. */
  readonly onProgress?: (p: ExploreProgress) => void
  /** Polled with progress; returning true cancels the search (limit 'cancelled'). */
  readonly shouldStop?: () => boolean
  /** For tests and the benchmark: a clock in milliseconds (default performance.now). */
  readonly now?: () => number
}

export declare function explore(sc: Scenario, options?: ExploreOptions): ExploreResult

/** The scenario text with its `schedule:` header replaced by an explicit schedule. */
export declare function withSchedule(text: string, schedule: readonly string[]): string
