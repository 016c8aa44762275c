// The playground (`?v=1&edit=1`): write a scenario, see its problems at their line and column as
// you type, watch it run in the player (each edit re-runs it, near the same step), share it by a
// compressed link, explore its interleavings, and open a counterexample in the animation. The
// work is kept in localStorage and in the address bar. Loaded on demand (React.lazy in App.tsx),
// so CodeMirror does not weigh on the app's first load.

import { memo, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { parseScenario, type Mode } from '../engine'
import { createExplorerStore, isMode, type ExplorerStore, type MotionChoice, type ScenarioSource, type ThemeChoice } from '../store/explorerStore'
import type { Clock } from '../ui/hooks/usePlaybackLoop'
import { Player } from '../ui/player/Player'
import { Editor, type EditorHandle } from './Editor'
import { ExplorerPanel } from './ExplorerPanel'
import type { WorkerFactory } from './exploreProtocol'
import { parseProblems, runProblems, type Problem } from './problems'
import { playgroundLink, readFragment } from './share'
import { DEFAULT_LIMITS, loadDraft, saveDraft, type Draft, type ExploreLimitsInput } from './storage'
import './playground.css'

/** Links longer than this may be cut by some mail and chat programs: say so. */
export const LONG_LINK = 8_000
const RUN_DELAY_MS = 250
const PLAYER_PANELS = ['code', 'counters', 'results'] as const
const SAVE_DELAY_MS = 400

/** A story or example the playground can start from (the app supplies them). */
export interface StartOption {
  /** Its `story=` id, and other names it answers to (a story's file name). */
  readonly ids: readonly string[]
  readonly group: 'Stories' | 'Examples'
  readonly label: string
  readonly text: () => string
}

export interface PlaygroundProps {
  readonly location: { readonly search: string; readonly hash: string }
  readonly starts: readonly StartOption[]
  readonly theme: ThemeChoice
  readonly motion: MotionChoice
  /** The player's theme or motion changed (the app remembers them). */
  readonly onPrefs: (theme: ThemeChoice, motion: MotionChoice) => void
  readonly clock?: Clock
  readonly workerFactory?: WorkerFactory
}

interface Start extends Draft {
  readonly step: number
  /** Why the text is not the one the link asked for, if it is not. */
  readonly notice: string | null
  /** Whether the address bar already holds this text (a link): then it is not rewritten until an edit. */
  readonly fromLink: boolean
}

/** What to start from: a link's fragment, `story=`, the saved work, or the first example. */
async function resolveStart(location: PlaygroundProps['location'], starts: readonly StartOption[]): Promise<Start> {
  const params = new URLSearchParams(location.search)
  const saved = loadDraft()
  const first = starts.find((o) => o.group === 'Examples')
  const firstText = first?.text() ?? STARTER
  const fallback: Draft = saved ?? {
    text: firstText,
    originText: firstText,
    originLabel: first?.label ?? 'the starter scenario',
    mode: null,
    exploreMode: null,
    limits: DEFAULT_LIMITS,
  }
  const modeParam = params.get('mode')
  const stepParam = Number(params.get('step') ?? 0)
  const step = Number.isInteger(stepParam) && stepParam > 0 ? stepParam : 0
  const withText = (text: string, originText: string, originLabel: string, fromLink: boolean): Start => ({
    ...fallback,
    text,
    originText,
    originLabel,
    ...(isMode(modeParam) ? { mode: modeParam } : {}),
    step,
    notice: null,
    fromLink,
  })

  const fragment = await readFragment(location.hash)
  if (fragment.kind === 'ok') {
    // A reload of a link to the saved work keeps what that work started from.
    if (saved && saved.text === fragment.text) return withText(saved.text, saved.originText, saved.originLabel, true)
    return withText(fragment.text, fragment.text, 'the shared link', true)
  }
  if (fragment.kind === 'error') {
    return { ...fallback, step: 0, fromLink: false, notice: `The scenario in this link cannot be read, so the playground shows ${saved ? 'your saved work' : 'an example'} instead. ${fragment.message}` }
  }
  const named = params.get('story')
  if (named) {
    const option = starts.find((o) => o.ids.includes(named))
    if (option) {
      const text = option.text()
      return withText(text, text, option.label, false)
    }
    return { ...fallback, step: 0, fromLink: false, notice: `No story or example is named “${named}”, so the playground shows ${saved ? 'your saved work' : 'an example'}.` }
  }
  return { ...fallback, step: 0, notice: null, fromLink: false }
}

const STARTER = 'title: My scenario\nthreads: main, T1\nmain: x = list() as L\nmain: G.x = x\nT1:   y = G.x\nT1:   del y\n'

/** The edited scenario as the player's source (as src/app/view.ts makes it). */
function customSource(text: string): ScenarioSource {
  return { id: 'custom', file: 'edited.scenario', text }
}

export default function Playground(props: PlaygroundProps) {
  const [start, setStart] = useState<Start | null>(null)
  const { location, starts } = props
  useEffect(() => {
    let live = true
    void resolveStart(location, starts).then((s) => live && setStart(s))
    return () => {
      live = false
    }
  }, [location, starts])
  if (start === null) {
    return (
      <p role="status" className="muted">
        Opening the playground…
      </p>
    )
  }
  return <Workbench {...props} start={start} />
}

/** The player never re-renders because of typing: it only follows its store. */
const PlayerPane = memo(function PlayerPane({ store, clock }: { readonly store: ExplorerStore; readonly clock?: Clock }) {
  // No source panel: the editor beside it marks the current step's line.
  return <Player store={store} clock={clock} title="Your scenario" label="Playground player" panels={PLAYER_PANELS} />
})

interface Checked {
  readonly text: string
  readonly problems: readonly Problem[]
  readonly parses: boolean
  readonly mode: Mode
  /** The player still shows an earlier version that ran (the text does not parse). */
  readonly earlier?: boolean
}

function Workbench({ start, starts, theme, motion, onPrefs, clock, workerFactory }: PlaygroundProps & { readonly start: Start }) {
  const id = useId()
  const editor = useRef<EditorHandle>(null)
  const playerBox = useRef<HTMLDivElement>(null)
  const [store] = useState(() => {
    const s = createExplorerStore({ theme, motion, mode: start.mode })
    // Even a text that does not parse is loaded: the player then lists its errors.
    s.getState().load(customSource(start.text), { mode: start.mode, position: start.step })
    return s
  })
  const [text, setText] = useState(start.text)
  const [origin, setOrigin] = useState({ text: start.originText, label: start.originLabel })
  const [playerMode, setPlayerMode] = useState<Mode | null>(start.mode)
  const [exploreMode, setExploreMode] = useState<Mode | null>(start.exploreMode)
  const [limits, setLimits] = useState<ExploreLimitsInput>(start.limits)
  const [checked, setChecked] = useState<Checked>(() => check(store, start.text))
  const [notice, setNotice] = useState(start.notice)
  const [share, setShare] = useState<{ link: string; status: string } | null>(null)
  const [pick, setPick] = useState('')
  const edited = useRef(!start.fromLink)

  // The player's theme, motion and mode belong to the page: remember them.
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.theme !== prev.theme || s.motion !== prev.motion) onPrefs(s.theme, s.motion)
        if (s.modeOverride !== prev.modeOverride) setPlayerMode(s.modeOverride)
      }),
    [store, onPrefs],
  )

  // Re-run shortly after typing stops; a text that does not parse leaves the last good run on.
  useEffect(() => {
    if (text === checked.text) return undefined
    const timer = setTimeout(() => setChecked(check(store, text)), RUN_DELAY_MS)
    return () => clearTimeout(timer)
  }, [text, checked.text, store])

  // Save the work, and keep the address bar a link to it (replaced, not a new history entry).
  useEffect(() => {
    const draft: Draft = { text, originText: origin.text, originLabel: origin.label, mode: playerMode, exploreMode, limits }
    const timer = setTimeout(() => {
      saveDraft(draft)
      if (!edited.current) return
      void playgroundLink(text, { mode: playerMode }).then((href) => {
        const url = `${window.location.pathname}${href}`
        if (`${window.location.search}${window.location.hash}` !== href) window.history.replaceState(window.history.state, '', url)
      })
    }, SAVE_DELAY_MS)
    return () => clearTimeout(timer)
  }, [text, origin, playerMode, exploreMode, limits])
  const draftRef = useRef<Draft | null>(null)
  useEffect(() => {
    draftRef.current = { text, originText: origin.text, originLabel: origin.label, mode: playerMode, exploreMode, limits }
  }, [text, origin, playerMode, exploreMode, limits])
  useEffect(() => {
    // Leaving the page right after typing: save now rather than lose the last keystrokes.
    const flush = () => draftRef.current && saveDraft(draftRef.current)
    window.addEventListener('pagehide', flush)
    return () => window.removeEventListener('pagehide', flush)
  }, [])

  const onChange = useCallback((next: string) => {
    edited.current = true
    setText(next)
    setShare(null)
  }, [])

  const replaceText = (next: string, label: string | null) => {
    if (label !== null) setOrigin({ text: next, label })
    editor.current?.setText(next)
    setText(next)
    setChecked(check(store, next, 0))
  }

  const openCounterexample = (next: string, step: number, mode: Mode) => {
    editor.current?.setText(next)
    setText(next)
    const parsed = parseScenario(next, 'playground.scenario')
    // An explicit schedule is written for one mode: run it in the mode that was explored.
    const override = parsed.ok && parsed.scenario.mode === mode ? null : mode
    store.getState().load(customSource(next), { mode: override, position: step })
    setChecked(check(store, next, step))
    const box = playerBox.current?.querySelector<HTMLElement>('[data-testid="player"]')
    box?.scrollIntoView({ block: 'start', behavior: 'auto' })
    box?.focus({ preventScroll: true })
  }

  const copyShare = async () => {
    const href = await playgroundLink(text, { mode: playerMode, step: store.getState().position })
    const link = new URL(href, window.location.href).href
    let copied = false
    try {
      await navigator.clipboard.writeText(link)
      copied = true
    } catch {
      // No clipboard access (an insecure origin, a denied permission): the link is shown to copy by hand.
    }
    const size = `${link.length.toLocaleString('en-US')} characters`
    const long = link.length > LONG_LINK ? ' It is long: some mail and chat programs cut links this long, so check that it arrives whole.' : ''
    setShare({ link, status: `${copied ? 'Copied the link' : 'Select the link below and copy it'} (${size}).${long}` })
  }

  const headerMode = useMemo(() => {
    const m = /^\s*mode\s*:\s*([\w-]+)/m.exec(text)?.[1]
    return isMode(m) ? m : 'free-threaded'
  }, [text])
  const errors = checked.problems.filter((p) => p.severity === 'error').length
  const warnings = checked.problems.length - errors
  const summary =
    !checked.parses
      ? `${errors} error${errors === 1 ? '' : 's'}: the scenario does not parse${checked.earlier ? '; the player shows the last version that did' : ''}.`
      : checked.problems.length === 0
        ? 'No problems: the scenario parses, and its run passes its expectations.'
        : `${errors} error${errors === 1 ? '' : 's'} and ${warnings} finding${warnings === 1 ? '' : 's'} in the run.`

  return (
    <div className="pg">
      <div className="pg-head">
        <h2 id={`${id}-title`}>Playground</h2>
        <p className="muted pg-help">
          Write a scenario (the language: header lines, then <code>THREAD: statement</code> lines and <code>expect</code>{' '}
          checks). Problems are marked as you type; the player re-runs your text and stays near the same step. Ctrl+Space
          completes statements, threads, variables and fields; F8 jumps to the next problem. Your work is saved in this
          browser.
        </p>
        {notice !== null && (
          <div role="alert" className="notice notice-error" data-notice="playground-link">
            <p>
              <strong>{notice}</strong>
            </p>
            <p className="notice-actions">
              <button type="button" className="link-button" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </p>
          </div>
        )}
        <div className="pg-toolbar">
          <div className="pg-start-from">
            <label htmlFor={`${id}-pick`}>Start from</label>
            <select id={`${id}-pick`} value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">a story or an example…</option>
              {(['Stories', 'Examples'] as const).map((group) => (
                <optgroup key={group} label={group}>
                  {starts.map((o, i) =>
                    o.group === group ? (
                      <option key={i} value={String(i)}>
                        {o.label}
                      </option>
                    ) : null,
                  )}
                </optgroup>
              ))}
            </select>
            <button
              type="button"
              className="button button-quiet"
              disabled={pick === ''}
              onClick={() => {
                const option = starts[Number(pick)]
                if (option) replaceText(option.text(), option.label)
                setPick('')
                editor.current?.focus()
              }}
            >
              Open
            </button>
          </div>
          <button type="button" className="button button-quiet" disabled={text === origin.text} onClick={() => replaceText(origin.text, null)}>
            Reset to {origin.label}
          </button>
          <button type="button" className="button" onClick={() => void copyShare()}>
            Copy share link
          </button>
        </div>
        <div role="status" className="pg-share-status">
          {share?.status}
        </div>
        {share && (
          <p className="pg-share">
            <label htmlFor={`${id}-link`}>Share link</label>
            <input id={`${id}-link`} readOnly value={share.link} onFocus={(e) => e.currentTarget.select()} data-testid="share-link" />
          </p>
        )}
      </div>

      <div className="pg-grid">
        <div className="pg-left">
          <section className="pg-editor-box" aria-labelledby={`${id}-editor-label`}>
            <h3 id={`${id}-editor-label`}>Scenario text</h3>
            <Editor
              ref={editor}
              initialText={start.text}
              onChange={onChange}
              problems={checked.problems}
              problemsText={checked.text}
              stepStore={checked.text === text ? store : null}
              labelledBy={`${id}-editor-label`}
              describedBy={`${id}-summary`}
            />
          </section>
          <section className="pg-problems" aria-labelledby={`${id}-problems`}>
            <h3 id={`${id}-problems`}>Problems</h3>
            <p id={`${id}-summary`} role="status" className={errors > 0 ? 'pg-summary has-errors' : 'pg-summary'} data-testid="problems-summary">
              {summary}
            </p>
            {checked.problems.length > 0 && (
              <ul className="pg-problem-list" data-testid="problems">
                {checked.problems.map((p, i) => (
                  <li key={`${p.line}:${p.column}:${i}`} className={`pg-problem pg-problem-${p.severity}`} data-line={p.line} data-column={p.column}>
                    <button type="button" className="link-button" onClick={() => editor.current?.focusAt(p.line, p.column)}>
                      Line {p.line}, column {p.column}
                    </button>
                    <span className="pg-problem-kind">{p.severity === 'error' ? 'error' : 'finding'}</span> {p.message}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <ExplorerPanel
            text={text}
            parses={checked.parses}
            scenarioMode={headerMode}
            mode={exploreMode}
            onModeChange={setExploreMode}
            limits={limits}
            onLimitsChange={setLimits}
            onOpen={openCounterexample}
            workerFactory={workerFactory}
          />
        </div>
        <div className="pg-right" ref={playerBox}>
          <PlayerPane store={store} clock={clock} />
        </div>
      </div>
    </div>
  )
}

/**
 * Parses `text`; if it parses and is not what the player shows, loads it (at `position`, by
 * default the player's current one, clamped), then lists the problems of that run.
 */
function check(store: ExplorerStore, text: string, position?: number): Checked {
  const parsed = parseScenario(text, 'playground.scenario')
  if (!parsed.ok) {
    const shown = store.getState()
    return { text, problems: parseProblems(parsed.errors), parses: false, mode: 'free-threaded', earlier: shown.sim?.kind === 'ok' && shown.source?.text !== text }
  }
  const s = store.getState()
  if (s.source?.text !== text) s.load(customSource(text), { position: position ?? s.position })
  const sim = store.getState().sim
  if (sim?.kind === 'crash') {
    return { text, problems: [{ line: 1, column: 1, message: `the engine stopped: ${sim.message}`, severity: 'error', source: 'run' }], parses: true, mode: parsed.scenario.mode }
  }
  // The player's own limits (PLAYER_LIMITS) refuse a scenario as a parse error.
  if (sim?.kind !== 'ok') return { text, problems: sim?.kind === 'parse-error' ? parseProblems(sim.errors) : [], parses: sim?.kind !== 'parse-error', mode: parsed.scenario.mode }
  return { text, problems: runProblems(sim.scenario, sim.trace), parses: true, mode: sim.mode }
}
