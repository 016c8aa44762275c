// The playground's work, kept in localStorage so it survives a reload: the text, what it started
// from (for "Reset"), the player's mode and the explorer's mode and limits. Reading never throws:
// storage may be off (private mode, a sandboxed iframe), full, or hold something older or
// hand-edited; anything unusable is ignored field by field.

import { MODES, type Mode } from '../engine'

export const DRAFT_KEY = 'pep703-explorer:playground'

export interface ExploreLimitsInput {
  /** Longest schedule followed, in micro-steps. */
  readonly maxDepth: number
  readonly maxStates: number
  readonly maxSchedules: number
  /** Time budget in seconds. */
  readonly seconds: number
}

export const DEFAULT_LIMITS: ExploreLimitsInput = { maxDepth: 2_000, maxStates: 200_000, maxSchedules: 1_000_000, seconds: 10 }

/** Bounds of each limit field (the form refuses values outside them). */
export const LIMIT_BOUNDS: Record<keyof ExploreLimitsInput, { readonly min: number; readonly max: number }> = {
  maxDepth: { min: 1, max: 100_000 },
  maxStates: { min: 1, max: 5_000_000 },
  maxSchedules: { min: 1, max: 100_000_000 },
  seconds: { min: 1, max: 600 },
}

export interface Draft {
  readonly text: string
  /** The text the work started from (a story, an example or a link), and its name. */
  readonly originText: string
  readonly originLabel: string
  /** The player's mode (null: the scenario's `mode:` header). */
  readonly mode: Mode | null
  /** The explorer's mode (null: the scenario's own). */
  readonly exploreMode: Mode | null
  readonly limits: ExploreLimitsInput
}

function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value)
}

function readLimits(value: unknown): ExploreLimitsInput {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const pick = (key: keyof ExploreLimitsInput) => {
    const n = v[key]
    const { min, max } = LIMIT_BOUNDS[key]
    return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : DEFAULT_LIMITS[key]
  }
  return { maxDepth: pick('maxDepth'), maxStates: pick('maxStates'), maxSchedules: pick('maxSchedules'), seconds: pick('seconds') }
}

/** The saved draft, or null when there is none (or it cannot be read). */
export function loadDraft(storage: Pick<Storage, 'getItem'> | null = defaultStorage()): Draft | null {
  try {
    const raw = storage?.getItem(DRAFT_KEY)
    if (raw == null) return null
    const value: unknown = JSON.parse(raw)
    if (typeof value !== 'object' || value === null) return null
    const v = value as Record<string, unknown>
    if (typeof v.text !== 'string') return null
    return {
      text: v.text,
      originText: typeof v.originText === 'string' ? v.originText : v.text,
      originLabel: typeof v.originLabel === 'string' ? v.originLabel : 'your saved text',
      mode: isMode(v.mode) ? v.mode : null,
      exploreMode: isMode(v.exploreMode) ? v.exploreMode : null,
      limits: readLimits(v.limits),
    }
  } catch {
    return null
  }
}

/** Saves `draft`; false when storage is unavailable or full (the work then lasts one visit). */
export function saveDraft(draft: Draft, storage: Pick<Storage, 'setItem'> | null = defaultStorage()): boolean {
  try {
    if (!storage) return false
    storage.setItem(DRAFT_KEY, JSON.stringify({ v: 1, ...draft }))
    return true
  } catch {
    return false
  }
}

function defaultStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage
  } catch {
    // Reading window.localStorage itself throws when storage is blocked.
    return null
  }
}
