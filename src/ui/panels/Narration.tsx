// The engine's sentence for the current step, shown large, and announced to screen readers
// through a polite live region: "Step N of M, thread: sentence". The announcement waits until
// the position has settled for a moment, so playing at speed does not queue dozens of
// sentences, and it changes only when its text does.

import { useEffect, useId, useMemo, useState } from 'react'
import type { Trace, WorldState } from '../../engine'
import type { NarrationProps } from '../contracts'
import './panels.css'

/** How long a position must stay before the live region announces it. */
export const ANNOUNCE_DELAY_MS = 250

export function Narration({ trace, position }: NarrationProps) {
  const headingId = useId()
  const text = useMemo(() => narrationAt(trace, position), [trace, position])
  const live = useSettled(text.announcement, ANNOUNCE_DELAY_MS)
  return (
    <section className="nr" aria-labelledby={headingId} data-testid="narration-panel">
      <h3 className="nr-heading" id={headingId}>
        What happens <span className="nr-sr">in {trace.mode} mode</span>
      </h3>
      {/* The visible copy is hidden from assistive technology: the status region below says the
          same. Its test id covers only the visible text (the status region lags on purpose). */}
      <div aria-hidden="true" data-testid="narration">
        <p className="nr-meta">
          <span className="nr-step">
            Step {text.position} of {text.total}
          </span>
          {text.thread !== null && (
            <span className="nr-thread">
              <span className="pnl-swatch" data-colour={text.threadIndex % 8} />
              {text.thread}
            </span>
          )}
        </p>
        <p className="nr-text">{text.sentence}</p>
        {text.outcome && <p className={`nr-outcome nr-outcome-${text.outcome.kind}`}>{text.outcome.sentence}</p>}
        {text.outcome && text.problems.length > 0 && (
          <ul className="nr-problems">
            {text.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="nr-sr" role="status" aria-live="polite" aria-atomic="true">
        {live}
      </div>
    </section>
  )
}

export interface NarrationText {
  readonly position: number
  readonly total: number
  /** Name of the thread that made the step, or null at position 0. */
  readonly thread: string | null
  /** Its index (-1 at position 0). */
  readonly threadIndex: number
  readonly sentence: string
  /** At the last position: how the run ended. */
  readonly outcome: { readonly kind: Trace['outcome']['kind']; readonly sentence: string } | null
  /** At the last position: the engine's findings (use-after-free, leak, deadlock). */
  readonly problems: readonly string[]
  /** What the live region says: short, with the step number and the thread. */
  readonly announcement: string
}

/** Everything the narration shows at a position (clamped to the trace). Pure. */
export function narrationAt(trace: Trace, position: number): NarrationText {
  const total = trace.steps.length
  const p = Math.max(0, Math.min(total, Math.floor(Number.isFinite(position) ? position : 0)))
  const initial = trace.stateAt(0)
  const step = p > 0 ? trace.steps[p - 1] : undefined
  const thread = step ? (initial.threads[step.thread]?.name ?? `thread ${step.thread}`) : null
  const sentence = step ? step.narration : initialSentence(initial, total)
  const atEnd = p === total
  const outcome = atEnd ? { kind: trace.outcome.kind, sentence: outcomeSentence(trace) } : null
  const problems = atEnd ? trace.violations.filter((v) => v.kind !== 'deadlock').map((v) => `${label(v.kind)}: ${v.message}`) : []
  const parts = [`Step ${p} of ${total}${thread !== null ? `, ${thread}` : ''}: ${sentence}`]
  if (outcome) parts.push(outcome.sentence)
  if (problems.length) parts.push(`${problems.length} problem${problems.length > 1 ? 's' : ''} found.`)
  return { position: p, total, thread, threadIndex: step ? step.thread : -1, sentence, outcome, problems, announcement: parts.join(' ') }
}

function label(kind: string): string {
  return kind === 'use-after-free' ? 'Use after free' : kind === 'leak' ? 'Leak' : kind
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

function stripPeriod(s: string): string {
  return s.replace(/[.\s]+$/, '')
}

function initialSentence(state: WorldState, total: number): string {
  const running = state.threads.filter((t) => t.started && t.status !== 'exited').map((t) => t.name)
  const waiting = state.threads.filter((t) => !t.started).map((t) => t.name)
  const globals = state.objects[0]
  const immortals = state.objects.filter((o) => o.immortal).map((o) => o.label)
  const gil = state.mode === 'gil' && state.gil >= 0 ? ` and holds the GIL` : ''
  let text = `Nothing has run yet: ${list(running)} ${running.length > 1 ? 'are' : 'is'} running${gil}`
  if (globals) text += state.mode === 'free-threaded' ? `, and owns ${globals.label}, the module's globals` : `; ${globals.label} holds the module's globals`
  text += waiting.length ? `; ${list(waiting)} ${waiting.length > 1 ? 'have' : 'has'} not started.` : '.'
  if (immortals.length) text += ` ${list(immortals)} ${immortals.length > 1 ? 'are' : 'is'} immortal from the start.`
  return `${text} ${total} micro-step${total === 1 ? '' : 's'} follow.`
}

function outcomeSentence(trace: Trace): string {
  const { kind, message, line } = trace.outcome
  if (kind === 'finished') return `End of the run: ${stripPeriod(message)}.`
  if (kind === 'deadlock') return `The run ends in a deadlock: ${stripPeriod(message)}.`
  return `The run stopped with an error${line ? ` on line ${line}` : ''}: ${stripPeriod(message)}.`
}

/** `value`, once it has stayed the same for `delay` ms (the first value at once). */
function useSettled(value: string, delay: number): string {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    if (value === settled) return
    const id = setTimeout(() => setSettled(value), delay)
    return () => clearTimeout(id)
  }, [value, settled, delay])
  return settled
}
