// The interleaving explorer's panel: mode and limits, Explore / Cancel, a live progress line,
// then the report: exhaustive or the limit that stopped it, the counts, and one entry per kind
// of outcome with a shortest schedule and "Open in animation". The search runs in a Web Worker
// (exploreProtocol.ts), so the page stays responsive.

import { useEffect, useId, useRef, useState } from 'react'
import { MODES, withSchedule, type ExploreOutcome, type ExploreProgress, type ExploreResult, type Mode } from '../engine'
import { startSearch, type WorkerFactory } from './exploreProtocol'
import { LIMIT_BOUNDS, type ExploreLimitsInput } from './storage'

/** "main main main T1 T1 main" -> "main×3 T1×2 main". */
export function compactSchedule(schedule: readonly string[]): string {
  const runs: string[] = []
  for (let i = 0; i < schedule.length; ) {
    let j = i + 1
    while (j < schedule.length && schedule[j] === schedule[i]) j++
    runs.push(j - i > 1 ? `${schedule[i]}×${j - i}` : schedule[i]!)
    i = j
  }
  return runs.join(' ')
}

const KIND_TITLES: Record<ExploreOutcome['kind'], string> = {
  'use-after-free': 'Use-after-free',
  leak: 'Leak',
  deadlock: 'Deadlock',
  expectation: 'Failed expectation',
  error: 'Run-time error',
}

const LIMIT_WORDS: Record<NonNullable<ExploreResult['limit']>, string> = {
  depth: 'the limit on steps per schedule',
  states: 'the limit on states',
  schedules: 'the limit on schedules',
  memory: 'the memory limit (the states still to explore would not fit in memory)',
  time: 'the time budget',
  cancelled: 'Cancel',
}

const LIMIT_FIELDS: readonly { key: keyof ExploreLimitsInput; label: string }[] = [
  { key: 'maxDepth', label: 'Max steps per schedule' },
  { key: 'maxStates', label: 'Max states' },
  { key: 'maxSchedules', label: 'Max schedules' },
  { key: 'seconds', label: 'Time budget (seconds)' },
]

/**
 * The text as far as a search is concerned: it tries every schedule in the mode it was asked
 * for, so the `schedule:` and `mode:` headers (which "Open in animation" writes) do not matter.
 */
const searchedText = (text: string) => withSchedule(text, [], 'free-threaded')
const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length

const number = (n: number) => n.toLocaleString('en-US')
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`

interface Props {
  /** The editor's text now, and whether it parses (the search needs a scenario that does). */
  readonly text: string
  readonly parses: boolean
  /** The `mode:` header of the text (for the "scenario's own" choice). */
  readonly scenarioMode: Mode
  readonly mode: Mode | null
  readonly onModeChange: (mode: Mode | null) => void
  readonly limits: ExploreLimitsInput
  readonly onLimitsChange: (limits: ExploreLimitsInput) => void
  /** Opens `text` (the scenario with an explicit schedule) in the player at `step`. */
  readonly onOpen: (text: string, step: number, mode: Mode) => void
  /** Tests pass a fake worker. */
  readonly workerFactory?: WorkerFactory
}

type Search =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: ExploreProgress | null; readonly started: number }
  | { readonly kind: 'done'; readonly result: ExploreResult; readonly text: string }
  | { readonly kind: 'error'; readonly message: string }

export function ExplorerPanel({ text, parses, scenarioMode, mode, onModeChange, limits, onLimitsChange, onOpen, workerFactory }: Props) {
  const id = useId()
  const [search, setSearch] = useState<Search>({ kind: 'idle' })
  const [drafts, setDrafts] = useState<Record<string, string>>({})
  const cancelRef = useRef<(() => void) | null>(null)
  const exploreButton = useRef<HTMLButtonElement>(null)
  const reportHeading = useRef<HTMLHeadingElement>(null)
  const [now, setNow] = useState(0)

  useEffect(() => () => cancelRef.current?.(), [])
  // After a search ends, focus goes to its report (or back to Explore after Cancel), once it is on screen.
  const focusNext = useRef<'report' | 'explore' | null>(null)
  useEffect(() => {
    const target = focusNext.current === 'report' ? reportHeading.current : focusNext.current === 'explore' ? exploreButton.current : null
    focusNext.current = null
    target?.focus()
  }, [search])
  // While running, tick the elapsed time even between progress messages.
  const running = search.kind === 'running'
  useEffect(() => {
    if (!running) return undefined
    const timer = setInterval(() => setNow(performance.now()), 250)
    return () => clearInterval(timer)
  }, [running])

  /** Opens a counterexample: its schedule (and the explored mode) written into the text. */
  const openOutcome = (o: ExploreOutcome) => {
    if (search.kind !== 'done') return
    const opened = withSchedule(search.text, o.schedule, search.result.mode)
    const added = lineCount(opened) - lineCount(search.text)
    if (added > 0) {
      // New header lines go right after `threads:`: the report's lines below it move down with the
      // editor's, so "Line 12" still names the line the editor shows.
      const at = search.text.split(/\r\n|\r|\n/).findIndex((l) => /^\s*threads\s*:/.test(l)) + 1
      const outcomes = search.result.outcomes.map((x) => (x.line > at ? { ...x, line: x.line + added } : x))
      setSearch({ ...search, text: opened, result: { ...search.result, outcomes } })
    }
    onOpen(opened, o.step, search.result.mode)
  }

  const invalid = LIMIT_FIELDS.filter(({ key }) => {
    const raw = drafts[key]
    if (raw === undefined) return false
    const n = Number(raw)
    return !Number.isInteger(n) || n < LIMIT_BOUNDS[key].min || n > LIMIT_BOUNDS[key].max
  })

  const start = () => {
    if (!parses || invalid.length > 0) return
    const searched = text
    setSearch({ kind: 'running', progress: null, started: performance.now() })
    cancelRef.current = startSearch(
      {
        text,
        file: 'playground.scenario',
        mode,
        limits: { maxDepth: limits.maxDepth, maxStates: limits.maxStates, maxSchedules: limits.maxSchedules, maxMs: limits.seconds * 1000 },
      },
      {
        onProgress: (progress) => setSearch((s) => (s.kind === 'running' ? { ...s, progress } : s)),
        onDone: (result) => {
          cancelRef.current = null
          focusNext.current = 'report'
          setSearch({ kind: 'done', result, text: searched })
        },
        onError: (message) => {
          cancelRef.current = null
          focusNext.current = 'report'
          setSearch({ kind: 'error', message })
        },
      },
      workerFactory,
    )
  }

  const cancel = () => {
    cancelRef.current?.()
    cancelRef.current = null
    focusNext.current = 'explore'
    setSearch((s) =>
      s.kind === 'running'
        ? { kind: 'error', message: `Cancelled after ${seconds(performance.now() - s.started)}${s.progress ? `, with ${number(s.progress.states)} states explored` : ''}.` }
        : s,
    )
  }

  const setLimit = (key: keyof ExploreLimitsInput, raw: string) => {
    setDrafts((d) => ({ ...d, [key]: raw }))
    const n = Number(raw)
    if (raw.trim() !== '' && Number.isInteger(n) && n >= LIMIT_BOUNDS[key].min && n <= LIMIT_BOUNDS[key].max) {
      onLimitsChange({ ...limits, [key]: n })
    }
  }

  const elapsed = search.kind === 'running' ? Math.max(search.progress?.ms ?? 0, now - search.started) : 0

  return (
    <section className="pg-explorer" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Interleaving explorer</h2>
      <p className="muted pg-help">
        Runs the scenario under every order of its threads’ micro-steps it can reach within the limits, and reports each
        kind of failure with a shortest schedule that shows it.
      </p>
      <form
        className="pg-explorer-form"
        onSubmit={(e) => {
          e.preventDefault()
          start()
        }}
      >
        <div className="pg-field">
          <label htmlFor={`${id}-mode`}>Mode</label>
          <select id={`${id}-mode`} value={mode ?? ''} onChange={(e) => onModeChange(e.target.value === '' ? null : (e.target.value as Mode))} disabled={running}>
            <option value="">scenario’s own ({scenarioMode})</option>
            {MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        {LIMIT_FIELDS.map(({ key, label }) => {
          const bad = invalid.some((f) => f.key === key)
          return (
            <div className="pg-field" key={key}>
              <label htmlFor={`${id}-${key}`}>{label}</label>
              <input
                id={`${id}-${key}`}
                type="number"
                inputMode="numeric"
                min={LIMIT_BOUNDS[key].min}
                max={LIMIT_BOUNDS[key].max}
                step={1}
                value={drafts[key] ?? String(limits[key])}
                onChange={(e) => setLimit(key, e.target.value)}
                onBlur={() => !bad && setDrafts(({ [key]: _, ...rest }) => rest)}
                aria-invalid={bad || undefined}
                aria-describedby={bad ? `${id}-${key}-error` : undefined}
                disabled={running}
              />
              {bad && (
                <span className="pg-field-error" id={`${id}-${key}-error`}>
                  A whole number from {number(LIMIT_BOUNDS[key].min)} to {number(LIMIT_BOUNDS[key].max)}.
                </span>
              )}
            </div>
          )
        })}
        <div className="pg-explorer-actions">
          <button ref={exploreButton} type="submit" className="button" disabled={running || !parses || invalid.length > 0} aria-describedby={!parses ? `${id}-why` : undefined}>
            Explore interleavings
          </button>
          {running && (
            <button type="button" className="button" onClick={cancel}>
              Cancel
            </button>
          )}
        </div>
        {!parses && (
          <p className="muted" id={`${id}-why`}>
            Fix the scenario’s errors first: the explorer needs a scenario that parses.
          </p>
        )}
      </form>

      <p className="pg-progress" role="status" aria-live="polite" data-testid="explore-progress">
        {search.kind === 'running' &&
          (search.progress
            ? `Exploring… ${number(search.progress.states)} states, ${number(search.progress.schedules)} schedules, ${seconds(elapsed)}`
            : `Exploring… ${seconds(elapsed)}`)}
      </p>

      <div aria-live="polite" className="pg-report-live">
        {search.kind === 'error' && (
          <div className="pg-report" data-testid="explore-report">
            <h3 tabIndex={-1} ref={reportHeading}>
              No result
            </h3>
            <p>{search.message}</p>
          </div>
        )}
        {search.kind === 'done' && (
          <Report result={search.result} stale={searchedText(search.text) !== searchedText(text) || (mode === null && scenarioMode !== search.result.mode)} headingRef={reportHeading} onOpen={openOutcome} />
        )}
      </div>
    </section>
  )
}

function Report({
  result,
  stale,
  headingRef,
  onOpen,
}: {
  readonly result: ExploreResult
  readonly stale: boolean
  readonly headingRef: React.Ref<HTMLHeadingElement>
  readonly onOpen: (o: ExploreOutcome) => void
}) {
  const counts = `${number(result.schedules)} schedules and ${number(result.states)} distinct states explored (${number(result.transitions)} transitions) in ${seconds(result.ms)}, in ${result.mode} mode.`
  return (
    <div className="pg-report" data-testid="explore-report">
      <h3 tabIndex={-1} ref={headingRef}>
        {result.outcomes.length === 0 ? 'Nothing went wrong' : `Found ${result.outcomes.length} kind${result.outcomes.length === 1 ? '' : 's'} of failure`}
      </h3>
      <p data-testid="explore-summary">
        {result.exhaustive ? (
          <strong>Exhaustive: every reachable interleaving was explored.</strong>
        ) : (
          <strong>Not exhaustive: the search stopped at {result.limit ? LIMIT_WORDS[result.limit] : 'a limit'}, so some interleavings were not explored.</strong>
        )}{' '}
        {counts}
      </p>
      {stale && <p className="muted">The scenario has changed since this search; the schedules below are for the text that was explored.</p>}
      {result.outcomes.length === 0 ? (
        <p className="pg-none" data-testid="explore-none">
          {result.exhaustive
            ? 'No use-after-free, leak, deadlock or failed expectation in any interleaving (exhaustive).'
            : 'No use-after-free, leak, deadlock or failed expectation in the interleavings explored; raise the limits to search further.'}
        </p>
      ) : (
        <ul className="pg-outcomes">
          {result.outcomes.map((o) => (
            <li key={o.kind} className={`pg-outcome pg-outcome-${o.kind}`} data-kind={o.kind}>
              <h4>{KIND_TITLES[o.kind]}</h4>
              <p>{o.message}</p>
              <p className="muted">
                {o.line > 0 ? `Line ${o.line}. ` : ''}Seen in {number(o.count)} end state{o.count === 1 ? '' : 's'}. Shortest schedule: {o.schedule.length} step
                {o.schedule.length === 1 ? '' : 's'}, shown at step {o.step}:
              </p>
              <p>
                <code className="pg-schedule" title={o.schedule.join(' ')}>
                  {compactSchedule(o.schedule)}
                </code>
              </p>
              <button type="button" className="button" onClick={() => onOpen(o)} aria-label={`Open in animation: ${KIND_TITLES[o.kind].toLowerCase()} at step ${o.step}`}>
                Open in animation
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
