// The CPython function behind the current micro-step, as short pseudo-C written for this
// project, with the line the step executes highlighted, a link to the real function's file in
// CPython 3.14, and a callout where PEP 703's text and the shipped interpreter differ.

import { memo, useId, useMemo, type CSSProperties } from 'react'
import type { CodePanelProps } from '../contracts'
import { tokenize, type CodeLang } from './highlight'
import { codeView, type Callout, type CodeView } from './snippets'
import './code.css'

export function CodePanel({ step, mode }: CodePanelProps) {
  const headingId = useId()
  const view = useMemo(() => (step ? codeView(step, mode) : null), [step, mode])
  return (
    <section className="cp" aria-labelledby={headingId} data-testid="code-panel">
      <header className="cp-head">
        <p className="cp-kicker">The code that runs</p>
        <h3 className="cp-title" id={headingId}>
          {view ? <code>{view.snippet.name}</code> : 'Before the first step'}
        </h3>
      </header>
      {view ? (
        <CodeBody view={view} />
      ) : (
        <p className="cp-summary">No CPython code has run yet. Each step will show the function it models here.</p>
      )}
    </section>
  )
}

function CodeBody({ view }: { readonly view: CodeView }) {
  const { snippet, url, active } = view
  const first = active[0]! + 1
  const last = active[active.length - 1]! + 1
  const where = first === last ? `line ${first}` : `lines ${first}–${last}`
  return (
    <>
      <p className="cp-where">
        {url ? (
          <a href={url} target="_blank" rel="noopener noreferrer" className="cp-link">
            <code>{snippet.file}</code>
            <span className="cp-sr"> in CPython 3.14 on GitHub (opens in a new tab)</span>
          </a>
        ) : (
          <span className="cp-muted">source file unknown</span>
        )}
        {view.cpython !== snippet.name && (
          <span className="cp-muted">
            {' '}
            · the engine calls this step <code>{view.cpython}</code>
          </span>
        )}
      </p>
      <p className="cp-summary">{snippet.summary}</p>
      {snippet.note && <p className="cp-note">{snippet.note}</p>}
      <CodeBlock lines={snippet.lines} lang={snippet.lang} active={active} label={`Pseudo-C of ${snippet.name}, ${where} highlighted`} />
      <p className="cp-step-line">
        <span aria-hidden="true">▶ </span>
        This step runs {where}
        {!view.exact && ' (no finer mapping for this step)'}.{' '}
        <span className="cp-muted">Our simplified paraphrase, not CPython’s source text.</span>
      </p>
      {view.callouts.map((c) => (
        <CalloutNote key={c.id} callout={c} />
      ))}
    </>
  )
}

interface CodeBlockProps {
  readonly lines: readonly { readonly text: string }[]
  readonly lang: CodeLang
  readonly active: readonly number[]
  readonly label: string
}

const CodeBlock = memo(function CodeBlock({ lines, lang, active, label }: CodeBlockProps) {
  return (
    // Long lines wrap (see code.css), so the block never needs to scroll sideways.
    <pre className="cp-code" aria-label={label}>
      <code>
        {lines.map((line, i) => {
          const on = active.includes(i)
          return (
            <span key={i} className={on ? 'cp-line cp-line-active' : 'cp-line'} data-line={i + 1} data-active={on || undefined}>
              <span className="cp-ln" aria-hidden="true">
                {i + 1}
              </span>
              <span className="cp-mark" aria-hidden="true">
                {on ? '▶' : ' '}
              </span>
              {on && <span className="cp-sr">(this step) </span>}
              <span className="cp-text" style={hangingIndent(line.text)}>
                {tokenize(line.text, lang).map((t, j) =>
                  t.kind === 'text' ? (
                    t.text
                  ) : (
                    <span key={j} className={`tok-${t.kind}`}>
                      {t.text}
                    </span>
                  ),
                )}
                {'\n'}
              </span>
            </span>
          )
        })}
      </code>
    </pre>
  )
})

/**
 * Wrapped continuation lines start under the line's own code, two columns further in (at most
 * 12 columns in, so a deeply indented line still has room on a narrow panel).
 */
function hangingIndent(text: string): CSSProperties {
  const hang = Math.min((/^ */.exec(text)?.[0].length ?? 0) + 2, 12)
  return { paddingLeft: `${hang}ch`, textIndent: `-${hang}ch` }
}

function CalloutNote({ callout }: { readonly callout: Callout }) {
  return (
    <aside className="cp-callout" role="note" aria-label="PEP 703 and CPython 3.14 differ" data-callout={callout.id}>
      <p>
        <strong>PEP 703 says</strong> {callout.pep}
      </p>
      <p>
        <strong>CPython 3.14</strong> {callout.cpython}
      </p>
    </aside>
  )
}
