// The speaker-notes window (?notes=1): what the audience sees, in words, for the current step
// and the next one, the CPython function, the scenario line, a clock; stepping here moves the
// presenter's screen too (and the other way round), over a BroadcastChannel.

import { useEffect, useMemo, useRef, useState } from 'react'
import { useStore } from 'zustand'
import type { BuiltinScenario } from '../app/scenarios'
import { scenarioTitle } from '../app/scenarios'
import { lastPosition } from '../store/explorerStore'
import { narrationAt } from '../ui/panels/Narration'
import { isTypingTarget, presenterKey } from './keys'
import './present.css'
import { connectPresenterSync, type PresenterSync } from './sync'
import { useUrlStore } from './useUrlStore'

function clock(ms: number): string {
  const s = Math.floor(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

export function Notes({ scenarios }: { readonly scenarios: readonly BuiltinScenario[] }) {
  const { store, notices } = useUrlStore(scenarios, 'system')
  const [blank, setBlank] = useState(false)
  const sync = useRef<PresenterSync | null>(null)
  const position = useStore(store, (s) => s.position)
  const last = useStore(store, lastPosition)
  const sim = useStore(store, (s) => s.sim)
  const source = useStore(store, (s) => s.source)
  const trace = sim?.kind === 'ok' ? sim.trace : null
  const title = source ? (scenarioTitle(source.text, source.file) ?? source.id) : null
  const now = useMemo(() => (trace ? narrationAt(trace, Math.min(position, trace.length)) : null), [trace, position])
  const next = useMemo(() => (trace && position < trace.length ? narrationAt(trace, position + 1) : null), [trace, position])
  const step = trace && position > 0 ? trace.steps[Math.min(position, trace.length) - 1] : undefined
  const line = step && source ? source.text.split('\n')[step.line - 1]?.trim() : undefined
  const [started] = useState(() => Date.now())
  const [elapsed, setElapsed] = useState(0)

  useEffect(() => {
    const s = connectPresenterSync(store, 'notes', setBlank)
    sync.current = s
    return () => {
      sync.current = null
      s.disconnect()
    }
  }, [store])

  useEffect(() => {
    document.title = `Speaker notes: ${title ?? 'PEP 703 Explorer'}`
  }, [title])

  useEffect(() => {
    const t = setInterval(() => setElapsed(Date.now() - started), 1000)
    return () => clearInterval(t)
  }, [started])

  const changeBlank = (b: boolean) => {
    setBlank(b)
    sync.current?.setBlank(b)
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target)) return
      const key = presenterKey(event)
      if (key === null) return
      event.preventDefault()
      const s = store.getState()
      if (key === 'forward') s.stepForward()
      else if (key === 'back') s.stepBack()
      else if (key === 'start') s.toStart()
      else if (key === 'end') s.toEnd()
      else if (key === 'blank') {
        setBlank((b) => {
          sync.current?.setBlank(!b)
          return !b
        })
      } else if (key === 'unblank') {
        setBlank(false)
        sync.current?.setBlank(false)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])

  return (
    <main className="notes" data-theme="dark">
      <header className="notes-header">
        <h1>Speaker notes{title ? `: ${title}` : ''}</h1>
        <p className="notes-meta">
          <span data-testid="notes-step">
            Step {position} of {last}
          </span>{' '}
          · <span aria-label="time since the notes opened">{clock(elapsed)}</span>
          {blank && <strong className="notes-blank"> · screen blanked</strong>}
        </p>
      </header>
      {notices.map((n) => (
        <p key={n.key} role="alert" className="notes-notice">
          {n.title}
        </p>
      ))}
      {now && (
        <section className="notes-now" aria-label="Now">
          <p className="notes-label">Now{now.thread ? ` · ${now.thread}` : ''}</p>
          <p className="notes-text" data-testid="notes-now">
            {now.sentence}
          </p>
          {step && (
            <p className="notes-code">
              <code>{step.cpython}</code>
              {line ? (
                <>
                  {' '}
                  · line {step.line}: <code>{line}</code>
                </>
              ) : null}
            </p>
          )}
          {now.outcome && <p className="notes-outcome">{now.outcome.sentence}</p>}
        </section>
      )}
      {next && (
        <section className="notes-next" aria-label="Next">
          <p className="notes-label">Next{next.thread ? ` · ${next.thread}` : ''}</p>
          <p className="notes-next-text">{next.sentence}</p>
        </section>
      )}
      <div className="notes-buttons">
        <button type="button" onClick={() => store.getState().stepBack()} aria-keyshortcuts="PageUp">
          ← Back
        </button>
        <button type="button" onClick={() => store.getState().stepForward()} aria-keyshortcuts="PageDown">
          Next →
        </button>
        <button type="button" aria-pressed={blank} onClick={() => changeBlank(!blank)} aria-keyshortcuts="b">
          Blank screen (B)
        </button>
      </div>
      <p className="notes-help">
        Page Down, → or ↓: next step · Page Up, ← or ↑: back · B: blank the audience screen. Stepping here moves the
        presenter window too.
      </p>
    </main>
  )
}
