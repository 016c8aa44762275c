// The player's state: a vanilla zustand store (no React), so the app, the embed and the tests
// can all drive it. One store per player instance. Positions run from 0 (the initial state) to
// trace.length (after the last micro-step); "step n" in the UI and the URL is position n.

import { createStore, type StoreApi } from 'zustand/vanilla'
import { MODES, parseScenario, runScenario, type Diagnostic, type Mode, type Scenario, type Trace } from '../engine'

export interface ScenarioSource {
  /** Story or example id (the `story=` URL value), or `custom` for an edited scenario. */
  readonly id: string
  /** File name used in diagnostics. */
  readonly file: string
  readonly text: string
}

export type Simulation =
  | { readonly kind: 'parse-error'; readonly errors: readonly Diagnostic[] }
  | { readonly kind: 'crash'; readonly message: string }
  | { readonly kind: 'ok'; readonly scenario: Scenario; readonly trace: Trace; readonly mode: Mode }

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const
/** Micro-steps per second at speed 1 (so 32 per second at the top speed, 16). */
export const BASE_STEPS_PER_SECOND = 2

/** Colour theme of a player: `system` follows prefers-color-scheme. */
export type ThemeChoice = 'system' | 'light' | 'dark' | 'contrast'
export const THEMES: readonly ThemeChoice[] = ['system', 'light', 'dark', 'contrast']
/** Motion: `system` follows prefers-reduced-motion. */
export type MotionChoice = 'system' | 'reduce' | 'full'
export const MOTIONS: readonly MotionChoice[] = ['system', 'reduce', 'full']

/**
 * Why the position last changed, so a URL syncer can choose between a new history entry and
 * replacing the current one: `load` (scenario or mode), `play` (the clock), `step` (one step
 * by the user), `scrub` (the timeline slider), `jump` (start, end, a timeline marker).
 */
export type MoveKind = 'load' | 'play' | 'step' | 'scrub' | 'jump'

export interface ExplorerState {
  readonly source: ScenarioSource | null
  /** The mode asked for (null: the scenario's own `mode:` header). */
  readonly modeOverride: Mode | null
  /** A second mode shown side by side, in lockstep, or null. */
  readonly compareMode: Mode | null
  readonly sim: Simulation | null
  readonly compareSim: Simulation | null
  readonly position: number
  /** The position shown before the current one (Scene animates a move of exactly +1). */
  readonly previousPosition: number
  readonly lastMove: MoveKind
  readonly playing: boolean
  readonly speed: number
  readonly theme: ThemeChoice
  readonly motion: MotionChoice
}

export interface ExplorerActions {
  /** Loads a scenario (parsing and running it) and moves to `position` (clamped). */
  load(source: ScenarioSource | null, options?: { mode?: Mode | null; position?: number }): void
  setMode(mode: Mode | null): void
  setCompareMode(mode: Mode | null): void
  /** Moves to `position` (clamped) and pauses; `how` is recorded as `lastMove` (default `jump`). */
  seek(position: number, how?: MoveKind): void
  stepForward(): void
  stepBack(): void
  toStart(): void
  toEnd(): void
  play(): void
  pause(): void
  togglePlay(): void
  setSpeed(speed: number): void
  /** Playback: advance `steps` (default 1), pausing at the end. Called by the UI's clock. */
  advance(steps?: number): void
  setTheme(theme: ThemeChoice): void
  setMotion(motion: MotionChoice): void
}

export type ExplorerStore = StoreApi<ExplorerState & ExplorerActions>

/**
 * What a player runs on the page's main thread: far below the engine's own LIMITS, so that a
 * pasted scenario or a stranger's link cannot freeze the tab (README: Trust). A run's cost grows
 * with micro-steps × objects (a collection visits every object), so both are capped; with these
 * caps the worst scenarios we could write take well under a second per mode. The stories use at
 * most a few dozen of each.
 */
export const PLAYER_LIMITS = { maxSourceLength: 100_000, maxStatements: 5_000, maxObjects: 128, maxSteps: 20_000 } as const

function refuse(source: ScenarioSource, line: number, message: string): Simulation {
  return { kind: 'parse-error', errors: [{ file: source.file, line, column: 1, message }] }
}

export function simulate(source: ScenarioSource, mode: Mode | null): Simulation {
  try {
    const { maxSourceLength, maxStatements, maxObjects, maxSteps } = PLAYER_LIMITS
    if (source.text.length > maxSourceLength) {
      return refuse(source, 1, `the scenario is ${source.text.length.toLocaleString('en')} characters long; the player runs at most ${maxSourceLength.toLocaleString('en')}`)
    }
    const parsed = parseScenario(source.text, source.file)
    if (!parsed.ok) return { kind: 'parse-error', errors: parsed.errors }
    const { statements, objects } = parsed.scenario
    if (statements.length > maxStatements) {
      return refuse(source, statements[maxStatements]!.line, `too many statements: the player runs at most ${maxStatements.toLocaleString('en')}`)
    }
    // Object 0 is the module globals G, which every scenario has.
    if (objects.length - 1 > maxObjects) {
      return refuse(source, Math.max(1, objects[maxObjects + 1]!.line), `too many objects: the player runs at most ${maxObjects}`)
    }
    const runMode = mode ?? parsed.scenario.mode
    return { kind: 'ok', scenario: parsed.scenario, trace: runScenario(parsed.scenario, { mode: runMode, maxSteps }), mode: runMode }
  } catch (error) {
    // The engine never throws by contract; if it does, the page shows it instead of going blank.
    return { kind: 'crash', message: error instanceof Error ? error.message : String(error) }
  }
}

/** The number of positions after 0: the longer trace when two modes run side by side. */
export function lastPosition(state: Pick<ExplorerState, 'sim' | 'compareSim'>): number {
  const a = state.sim?.kind === 'ok' ? state.sim.trace.length : 0
  const b = state.compareSim?.kind === 'ok' ? state.compareSim.trace.length : 0
  return Math.max(a, b)
}

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value)
}

export function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed)) return 1
  return Math.min(16, Math.max(0.25, speed))
}

export interface CreateOptions {
  readonly source?: ScenarioSource | null
  readonly mode?: Mode | null
  readonly compareMode?: Mode | null
  readonly position?: number
  readonly speed?: number
  readonly autoplay?: boolean
  readonly theme?: ThemeChoice
  readonly motion?: MotionChoice
}

export function createExplorerStore(options: CreateOptions = {}): ExplorerStore {
  return createStore<ExplorerState & ExplorerActions>()((set, get) => {
    const clamp = (p: number) => Math.max(0, Math.min(lastPosition(get()), Math.floor(Number.isFinite(p) ? p : 0)))
    const run = (source: ScenarioSource | null, mode: Mode | null, compareMode: Mode | null) => ({
      sim: source ? simulate(source, mode) : null,
      compareSim: source && compareMode ? simulate(source, compareMode) : null,
    })
    /** Moves to `position` (already clamped), remembering where we came from. */
    const moveTo = (position: number, lastMove: MoveKind, playing = false) =>
      set({ previousPosition: get().position, position, lastMove, playing })
    const initial = run(options.source ?? null, options.mode ?? null, options.compareMode ?? null)
    const initialLast = lastPosition(initial)
    const initialPosition = Math.max(
      0,
      Math.min(initialLast, Math.floor(Number.isFinite(options.position) ? (options.position ?? 0) : 0)),
    )
    return {
      source: options.source ?? null,
      modeOverride: options.mode ?? null,
      compareMode: options.compareMode ?? null,
      ...initial,
      position: initialPosition,
      previousPosition: initialPosition,
      lastMove: 'load',
      // Autoplay from the end starts over, like play().
      playing: Boolean(options.autoplay) && initialLast > 0,
      speed: clampSpeed(options.speed ?? 1),
      theme: options.theme ?? 'system',
      motion: options.motion ?? 'system',

      load(source, opts = {}) {
        const mode = opts.mode === undefined ? get().modeOverride : opts.mode
        set({ source, modeOverride: mode, ...run(source, mode, get().compareMode), playing: false })
        const position = clamp(opts.position ?? 0)
        set({ position, previousPosition: position, lastMove: 'load' })
      },
      setMode(mode) {
        const { source, compareMode, position } = get()
        set({ modeOverride: mode, ...run(source, mode, compareMode) })
        // Another trace: show its state at the same position without animating.
        const clamped = clamp(position)
        set({ position: clamped, previousPosition: clamped, lastMove: 'load' })
      },
      setCompareMode(compareMode) {
        const { source, position } = get()
        set({ compareMode, compareSim: source && compareMode ? simulate(source, compareMode) : null })
        const clamped = clamp(position)
        set({ position: clamped, previousPosition: clamped, lastMove: 'load' })
      },
      // Any user-initiated move pauses playback.
      seek(position, how = 'jump') {
        moveTo(clamp(position), how)
      },
      stepForward() {
        moveTo(clamp(get().position + 1), 'step')
      },
      stepBack() {
        // Exact: the trace rebuilds the earlier state from its checkpoints (no replay on screen).
        moveTo(clamp(get().position - 1), 'step')
      },
      toStart() {
        moveTo(0, 'jump')
      },
      toEnd() {
        moveTo(lastPosition(get()), 'jump')
      },
      play() {
        const last = lastPosition(get())
        if (last === 0) return
        // Playing from the end starts over, as media players do.
        if (get().position >= last) moveTo(0, 'play', true)
        else set({ playing: true })
      },
      pause() {
        set({ playing: false })
      },
      togglePlay() {
        if (get().playing) get().pause()
        else get().play()
      },
      setSpeed(speed) {
        set({ speed: clampSpeed(speed) })
      },
      advance(steps = 1) {
        const { position, playing } = get()
        if (!playing) return
        const n = Math.max(1, Math.floor(Number.isFinite(steps) ? steps : 1))
        const last = lastPosition(get())
        const next = Math.min(last, position + n)
        moveTo(next, 'play', next < last)
      },
      setTheme(theme) {
        set({ theme })
      },
      setMotion(motion) {
        set({ motion })
      },
    }
  })
}
