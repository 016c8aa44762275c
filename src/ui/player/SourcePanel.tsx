// The scenario text, with the line of the current micro-step highlighted (and, when the
// scenario does not parse, the lines with errors). Rendered as text, never as HTML.

import { memo, useId, useLayoutEffect, useMemo, useRef, type CSSProperties } from 'react'
import { useExplorer } from '../hooks/explorerContext'

/** The panel follows the active line at most this often while the step changes quickly. */
const FOLLOW_INTERVAL_MS = 300

interface Props {
  readonly text: string
  /** 1-based line of the current step, or 0. */
  readonly activeLine: number
  readonly errorLines?: ReadonlySet<number>
}

/** The lines of a scenario; rendered once per text (the active line is marked separately). */
const SourceLines = memo(function SourceLines({
  text,
  errorLines,
}: {
  readonly text: string
  readonly errorLines: ReadonlySet<number> | undefined
}) {
  const lines = text.replace(/\n$/, '').split(/\r\n|\r|\n/)
  return (
    <code>
      {lines.map((line, i) => (
        <span key={i} className={errorLines?.has(i + 1) ? 'pep-source-line has-error' : 'pep-source-line'}>
          <span className="pep-line-no" aria-hidden="true">
            {i + 1}
          </span>
          {line}
          {'\n'}
        </span>
      ))}
    </code>
  )
})

export const SourceText = memo(function SourceText({ text, activeLine, errorLines }: Props) {
  const headingId = useId()
  const wrapRef = useRef<HTMLDivElement>(null)
  const lastScroll = useRef(0)
  const lineCount = useMemo(() => text.replace(/\n$/, '').split(/\r\n|\r|\n/).length, [text])
  useLayoutEffect(() => {
    // Long scenarios have thousands of lines: re-rendering them all on every step would cost
    // more than the scene, so the active line is marked on its DOM node directly. React renders
    // the lines only when the text changes, and this effect runs again after that.
    const code = wrapRef.current?.querySelector('code')
    const line = activeLine > 0 ? (code?.children[activeLine - 1] ?? null) : null
    if (!(line instanceof HTMLElement)) return undefined
    line.classList.add('is-active')
    line.setAttribute('aria-current', 'step')
    // Keep the active line in view inside the panel (never scrolling the page). Reading the
    // geometry forces a layout, so during fast playback it happens at most a few times a second.
    let timer: ReturnType<typeof setTimeout> | null = null
    const follow = () => {
      timer = null
      lastScroll.current = performance.now()
      const wrap = wrapRef.current
      if (!wrap || !line.isConnected) return
      const top = line.offsetTop - wrap.offsetTop
      if (top < wrap.scrollTop || top + line.offsetHeight > wrap.scrollTop + wrap.clientHeight) {
        wrap.scrollTop = Math.max(0, top - wrap.clientHeight / 3)
      }
    }
    const wait = lastScroll.current + FOLLOW_INTERVAL_MS - performance.now()
    if (wait <= 0) follow()
    else timer = setTimeout(follow, wait)
    return () => {
      if (timer !== null) clearTimeout(timer)
      line.classList.remove('is-active')
      line.removeAttribute('aria-current')
    }
  }, [activeLine, text, errorLines])
  return (
    <section className="pep-source-panel">
      <h3 className="pep-panel-heading" id={headingId}>
        Scenario
      </h3>
      <div
        className="pep-source-wrap"
        tabIndex={0}
        role="region"
        aria-labelledby={headingId}
        ref={wrapRef}
        style={{ '--pep-lines': lineCount } as CSSProperties}
      >
        <pre className="pep-source">
          <SourceLines text={text} errorLines={errorLines} />
        </pre>
      </div>
    </section>
  )
})

/** The source panel of the player's current scenario, following the current step. */
export const SourcePanel = memo(function SourcePanel() {
  const text = useExplorer((s) => s.source?.text ?? '')
  const activeLine = useExplorer((s) => {
    if (s.sim?.kind !== 'ok') return 0
    const p = Math.min(s.position, s.sim.trace.length)
    return p > 0 ? (s.sim.trace.steps[p - 1]?.line ?? 0) : 0
  })
  return <SourceText text={text} activeLine={activeLine} />
})
