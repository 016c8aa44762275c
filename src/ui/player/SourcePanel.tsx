// The scenario text, with the line of the current micro-step highlighted (and, when the
// scenario does not parse, the lines with errors). Rendered as text, never as HTML.

import { memo, useEffect, useId, useRef } from 'react'
import { useExplorer } from '../hooks/explorerContext'

interface Props {
  readonly text: string
  /** 1-based line of the current step, or 0. */
  readonly activeLine: number
  readonly errorLines?: ReadonlySet<number>
}

export const SourceText = memo(function SourceText({ text, activeLine, errorLines }: Props) {
  const headingId = useId()
  const wrapRef = useRef<HTMLDivElement>(null)
  const lines = text.replace(/\n$/, '').split(/\r\n|\r|\n/)
  useEffect(() => {
    // Keep the active line in view inside the panel, without scrolling the page.
    const wrap = wrapRef.current
    const line = wrap?.querySelector<HTMLElement>('.pep-source-line.is-active')
    if (!wrap || !line) return
    const top = line.offsetTop - wrap.offsetTop
    if (top < wrap.scrollTop || top + line.offsetHeight > wrap.scrollTop + wrap.clientHeight) {
      wrap.scrollTop = Math.max(0, top - wrap.clientHeight / 3)
    }
  }, [activeLine])
  return (
    <section className="pep-source-panel">
      <h3 className="pep-panel-heading" id={headingId}>
        Scenario
      </h3>
      <div className="pep-source-wrap" tabIndex={0} role="region" aria-labelledby={headingId} ref={wrapRef}>
        <pre className="pep-source">
          <code>
            {lines.map((line, i) => {
              const n = i + 1
              const cls = [
                'pep-source-line',
                n === activeLine ? 'is-active' : '',
                errorLines?.has(n) ? 'has-error' : '',
              ]
                .filter(Boolean)
                .join(' ')
              return (
                <span key={i} className={cls} aria-current={n === activeLine ? 'step' : undefined}>
                  <span className="pep-line-no" aria-hidden="true">
                    {n}
                  </span>
                  {line}
                  {'\n'}
                </span>
              )
            })}
          </code>
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
