// The player: one scenario's trace as an animated scene with transport controls, a timeline,
// the narration, the code that runs, the counters and the run's results. Each player owns a
// store (createExplorerStore), so several can live on one page; its keyboard shortcuts act only
// while focus is inside it. React renders everything; d3 only provides the clock (d3-timer).

import { memo, useCallback, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { Diagnostic } from '../../engine'
import { SPEEDS, type ExplorerStore, type Simulation } from '../../store/explorerStore'
import { CodePanel } from '../code/CodePanel'
import { Counters } from '../panels/Counters'
import { Narration } from '../panels/Narration'
import { Scene } from '../scene/Scene'
import { ExplorerProvider, useExplorer } from '../hooks/explorerContext'
import { useResolvedReducedMotion, useResolvedTheme } from '../hooks/usePreferences'
import { usePlaybackLoop, type Clock } from '../hooks/usePlaybackLoop'
import { MODE_LABELS, plural } from './format'
import { HelpDialog } from './HelpDialog'
import { Icon } from './icons'
import { commandForKey, keyBelongsToTarget, type PlayerCommand } from './keyboard'
import { adjacentMarker } from './markers'
import { PANEL_NAMES, type PanelName, type PlayerControls } from './panels'
import { Results } from './Results'
import { CompareSelect, ModeSwitch, MotionSelect, ThemeSelect } from './Settings'
import { SourcePanel, SourceText } from './SourcePanel'
import { Timeline } from './Timeline'
import { Transport } from './Transport'
import { useMarkers } from './useMarkers'
import '../styles/player.css'

export interface PlayerProps {
  readonly store: ExplorerStore
  /** Accessible name of the player region (default "Scenario player"). */
  readonly label?: string
  /** A heading shown at the top of the player (e.g. the scenario title). */
  readonly title?: ReactNode
  /** The playback clock (default: d3-timer); tests pass a manual one. */
  readonly clock?: Clock
  /** Which controls to show (see PlayerControls). */
  readonly controls?: PlayerControls
  /** Which detail panels to show (default: all of them). */
  readonly panels?: readonly PanelName[]
  /** An extra class on the player's root (e.g. presenter mode). */
  readonly className?: string
}

export { PANEL_NAMES, type PanelName, type PlayerControls } from './panels'

export function Player({ store, ...props }: PlayerProps) {
  return (
    <ExplorerProvider store={store}>
      <PlayerRoot store={store} {...props} />
    </ExplorerProvider>
  )
}

function nextSpeed(speed: number, direction: 1 | -1): number {
  const index = SPEEDS.findIndex((s) => s >= speed)
  const at = index === -1 ? SPEEDS.length - 1 : index
  // A speed between two steps moves to the neighbour in the asked direction.
  const from = SPEEDS[at] === speed ? at : direction === 1 ? at - 1 : at
  return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, from + direction))]!
}

function PlayerRoot({
  store,
  label = 'Scenario player',
  title,
  clock,
  controls = 'all',
  panels = PANEL_NAMES,
  className,
}: PlayerProps) {
  usePlaybackLoop(store, clock)
  const rootRef = useRef<HTMLDivElement>(null)
  const [helpOpen, setHelpOpen] = useState(false)
  const position = useExplorer((s) => s.position)
  const simKind = useExplorer((s) => s.sim?.kind ?? 'none')
  const compare = useExplorer((s) => s.compareSim !== null)
  const theme = useResolvedTheme(useExplorer((s) => s.theme))
  const reducedMotion = useResolvedReducedMotion(useExplorer((s) => s.motion))
  const markers = useMarkers()

  const toggleFullscreen = useCallback(() => {
    const root = rootRef.current
    if (!root) return
    // Inside a shadow root (the embed) document.fullscreenElement is the host: ask the root node.
    const scope = root.getRootNode() as Document | ShadowRoot
    const current = scope.fullscreenElement ?? document.fullscreenElement
    if (current === root) void document.exitFullscreen?.().catch(() => undefined)
    else void root.requestFullscreen?.().catch(() => undefined)
  }, [])

  const run = (command: PlayerCommand) => {
    const s = store.getState()
    switch (command) {
      case 'toggle-play':
        return s.togglePlay()
      case 'step-forward':
        return s.stepForward()
      case 'step-back':
        return s.stepBack()
      case 'start':
        return s.toStart()
      case 'end':
        return s.toEnd()
      case 'faster':
        return s.setSpeed(nextSpeed(s.speed, 1))
      case 'slower':
        return s.setSpeed(nextSpeed(s.speed, -1))
      case 'next-marker':
      case 'previous-marker': {
        const m = adjacentMarker(markers, s.position, command === 'next-marker' ? 1 : -1)
        if (m) s.seek(m.position, 'jump')
        return undefined
      }
      case 'fullscreen':
        return toggleFullscreen()
      case 'help':
        return setHelpOpen((open) => !open)
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.defaultPrevented) return
    if (helpOpen) {
      if (event.key === 'Escape' || event.key === '?') {
        event.preventDefault()
        event.stopPropagation()
        setHelpOpen(false)
      }
      return
    }
    const command = commandForKey(event)
    if (command === null || keyBelongsToTarget(event.target, event.key)) return
    // Only keys the player handles are taken from the page (and from a host page's handlers).
    event.preventDefault()
    event.stopPropagation()
    run(command)
  }

  return (
    <div
      ref={rootRef}
      className={className ? `pep-player ${className}` : 'pep-player'}
      data-testid="player"
      data-step={position}
      data-theme={theme}
      data-reduced-motion={reducedMotion ? 'true' : 'false'}
      data-compare={compare ? 'true' : 'false'}
      role="region"
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {(controls === 'all' || title !== undefined) && (
        <header className="pep-player-header">
          {title !== undefined && <h2 className="pep-player-title">{title}</h2>}
          {controls === 'all' && (
            <div className="pep-settings">
              <ModeSwitch />
              <CompareSelect />
              <ThemeSelect />
              <MotionSelect />
              <span className="pep-header-buttons">
                <button
                  type="button"
                  className="pep-button pep-button-text"
                  aria-haspopup="dialog"
                  aria-keyshortcuts="?"
                  onClick={() => setHelpOpen(true)}
                >
                  <Icon name="help" /> Keys
                </button>
                <button
                  type="button"
                  className="pep-button"
                  aria-label="Full screen"
                  title="Full screen (F)"
                  aria-keyshortcuts="f"
                  onClick={toggleFullscreen}
                >
                  <Icon name="fullscreen" />
                </button>
              </span>
            </div>
          )}
        </header>
      )}
      {simKind === 'ok' ? (
        <Body compare={compare} reducedMotion={reducedMotion} controls={controls !== 'none'} panels={panelKey(panels)} />
      ) : (
        <NotRunnable />
      )}
      {helpOpen && (
        <HelpDialog
          onClose={() => {
            setHelpOpen(false)
          }}
        />
      )}
    </div>
  )
}

/** A stable string for the shown panels, so memo(Body) compares by value. */
function panelKey(panels: readonly PanelName[]): string {
  return PANEL_NAMES.filter((p) => panels.includes(p)).join(' ')
}

const Body = memo(function Body({
  compare,
  reducedMotion,
  controls,
  panels,
}: {
  readonly compare: boolean
  readonly reducedMotion: boolean
  readonly controls: boolean
  /** Space-separated panel names (see panelKey). */
  readonly panels: string
}) {
  const shown = new Set(panels.split(' '))
  const code = shown.has('code')
  const counters = shown.has('counters')
  const side = code || counters || shown.has('source')
  const classes = ['pep-body']
  if (compare) classes.push('pep-body-compare')
  if (!side) classes.push('pep-body-noside')
  return (
    <div className={classes.join(' ')}>
      <div className="pep-stage">
        {compare ? (
          <div className="pep-columns">
            <Column which="sim" reducedMotion={reducedMotion} compare />
            <Column which="compareSim" reducedMotion={reducedMotion} compare />
          </div>
        ) : (
          <Column which="sim" reducedMotion={reducedMotion} compare={false} />
        )}
      </div>
      {controls && (
        <div className="pep-controls">
          <Transport />
          <Timeline />
        </div>
      )}
      {side && (
        <aside className="pep-side" aria-label="Details">
          {compare ? (
            (code || counters) && (
              <div className="pep-columns">
                {(['sim', 'compareSim'] as const).map((which) => (
                  <div className="pep-column" key={which}>
                    {code && <CodeArea which={which} />}
                    {counters && <CountersArea which={which} />}
                  </div>
                ))}
              </div>
            )
          ) : (
            <>
              {code && <CodeArea which="sim" />}
              {counters && <CountersArea which="sim" />}
            </>
          )}
          {shown.has('source') && <SourcePanel />}
        </aside>
      )}
      {shown.has('results') && (
        <div className="pep-bottom">
          <ResultsArea which="sim" />
          {compare && <ResultsArea which="compareSim" />}
        </div>
      )}
    </div>
  )
})

type Which = 'sim' | 'compareSim'

/** The trace of one side and the current position clamped to it (traces differ in length). */
function useSide(which: Which) {
  const sim = useExplorer((s) => s[which])
  const trace = sim?.kind === 'ok' ? sim.trace : null
  const position = useExplorer((s) => (trace ? Math.min(s.position, trace.length) : 0))
  const previousPosition = useExplorer((s) => (trace ? Math.min(s.previousPosition, trace.length) : 0))
  return { sim, trace, position, previousPosition }
}

const Column = memo(function Column({
  which,
  reducedMotion,
  compare,
}: {
  readonly which: Which
  readonly reducedMotion: boolean
  readonly compare: boolean
}) {
  const { sim, trace, position, previousPosition } = useSide(which)
  const speed = useExplorer((s) => s.speed)
  const overall = useExplorer((s) => s.position)
  if (sim?.kind !== 'ok' || trace === null) return <SimulationProblem sim={sim} />
  const label = MODE_LABELS[sim.mode].short
  return (
    <section className="pep-column" aria-label={compare ? `${label} mode` : undefined} data-mode={sim.mode}>
      {compare && (
        <h3 className="pep-column-heading">
          <span className="pep-mode-badge">{label}</span>{' '}
          <span className="pep-muted">
            step {position} of {trace.length}
            {overall > trace.length && ' · this run has ended'}
          </span>
        </h3>
      )}
      <div className="pep-narration">
        <Narration trace={trace} position={position} />
      </div>
      <div className="pep-scene-frame">
        <Scene
          trace={trace}
          position={position}
          previousPosition={previousPosition}
          reducedMotion={reducedMotion}
          speed={speed}
        />
      </div>
    </section>
  )
})

const CodeArea = memo(function CodeArea({ which }: { readonly which: Which }) {
  const { sim, trace, position } = useSide(which)
  if (sim?.kind !== 'ok' || trace === null) return null
  return (
    <div className="pep-panel pep-code-area">
      <CodePanel step={position > 0 ? (trace.steps[position - 1] ?? null) : null} mode={sim.mode} />
    </div>
  )
})

const CountersArea = memo(function CountersArea({ which }: { readonly which: Which }) {
  const { sim, trace, position } = useSide(which)
  if (sim?.kind !== 'ok' || trace === null) return null
  return (
    <div className="pep-panel pep-counters-area">
      <Counters state={trace.stateAt(position)} mode={sim.mode} />
    </div>
  )
})

const ResultsArea = memo(function ResultsArea({ which }: { readonly which: Which }) {
  const sim = useExplorer((s) => s[which])
  const compare = useExplorer((s) => s.compareSim !== null)
  if (sim?.kind !== 'ok') return null
  return (
    <Results
      trace={sim.trace}
      label={compare ? `Result in ${MODE_LABELS[sim.mode].short} mode` : 'Result of the run'}
    />
  )
})

/** The player's body when there is nothing to play: no scenario, a parse error, a crash. */
function NotRunnable() {
  const sim = useExplorer((s) => s.sim)
  const text = useExplorer((s) => s.source?.text ?? '')
  return (
    <div className="pep-body pep-body-problem">
      <SimulationProblem sim={sim} />
      {sim?.kind === 'parse-error' && (
        <SourceText text={text} activeLine={0} errorLines={new Set(sim.errors.map((e) => e.line))} />
      )}
    </div>
  )
}

function SimulationProblem({ sim }: { readonly sim: Simulation | null }) {
  if (sim === null) {
    return (
      <div className="pep-notice" role="status">
        <p>No scenario is loaded.</p>
      </div>
    )
  }
  if (sim.kind === 'parse-error') return <ParseErrors errors={sim.errors} />
  if (sim.kind === 'crash') {
    return (
      <div role="alert" className="pep-notice pep-notice-error">
        <p>
          <strong>The simulation failed on this scenario.</strong> This is a bug in the explorer, not in your
          scenario; the message below helps to fix it.
        </p>
        <p className="pep-mono">{sim.message}</p>
      </div>
    )
  }
  return null
}

function ParseErrors({ errors }: { readonly errors: readonly Diagnostic[] }) {
  return (
    <div role="alert" className="pep-notice pep-notice-error pep-parse-errors">
      <p>
        <strong>This scenario does not parse ({plural(errors.length, 'error')}).</strong>
      </p>
      <ul>
        {errors.map((e, i) => (
          <li key={i} className="pep-mono">
            {e.file}:{e.line}:{e.column}: {e.message}
          </li>
        ))}
      </ul>
    </div>
  )
}

