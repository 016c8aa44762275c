// The CPython function behind the current micro-step, as short pseudo-C written for this
// project, with the line the step executes highlighted, a link to the real function's file in
// CPython 3.14, and a callout where PEP 703's text and the shipped interpreter differ.

import { memo, useId, useMemo, type CSSProperties, type ReactNode } from 'react'
import type { CodePanelProps } from '../contracts'
import { tokenize, type CodeLang } from './highlight'
import { codeView, type Callout, type CodeView } from './snippets'
import './code.css'

export function CodePanel({ step, mode }: CodePanelProps) {
  const headingId = useId()
  const kickerId = useId()
  const view = useMemo(() => (step ? codeView(step, mode) : null), [step, mode])
  return (
    // Named "The code that runs (mode): function", so two panels side by side differ.
    <section className="cp" aria-labelledby={`${kickerId} ${headingId}`} data-testid="code-panel">
      <header className="cp-head">
        <p className="cp-kicker" id={kickerId}>
          The code that runs <span className="cp-sr">({mode} mode):</span>
        </p>
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
  const where = describeLines(active)
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
              <CodeText text={line.text} lang={lang} />
            </span>
          )
        })}
      </code>
    </pre>
  )
})

/** "line 4", "lines 6–8", "lines 6–8 and 12" (1-based, from 0-based indices). */
export function describeLines(active: readonly number[]): string {
  const runs: [number, number][] = []
  for (const i of [...active].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1]
    if (last && i === last[1] + 1) last[1] = i
    else runs.push([i, i])
  }
  const parts = runs.map(([a, b]) => (a === b ? `${a + 1}` : `${a + 1}–${b + 1}`))
  const single = runs.length === 1 && runs[0]![0] === runs[0]![1]
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]
  return `${single ? 'line' : 'lines'} ${list}`
}

/**
 * One line of code. Wrapped continuation rows start under the line's own code, two columns in
 * (at most 12, so a deeply indented line keeps room on a narrow panel). The spaces that align a
 * trailing comment, or a comment continuing the one above, are a "gap" that code.css collapses
 * on narrow panels, where alignment is lost to wrapping anyway.
 */
function CodeText({ text, lang }: { readonly text: string; readonly lang: CodeLang }) {
  const tokens = tokenize(text, lang)
  const indent = /^ */.exec(text)?.[0].length ?? 0
  const hang = Math.min(indent + 2, 12)
  const commentOnly = tokens.length === 2 && tokens[0]!.kind === 'text' && tokens[1]!.kind === 'com' && indent >= 12
  const style = { '--hang': `${hang}ch` } as CSSProperties
  const out: ReactNode[] = []
  tokens.forEach((t, j) => {
    const next = tokens[j + 1]
    if (t.kind === 'text') {
      const gap = next?.kind === 'com' ? /( {2,})$/.exec(t.text)?.[1] : undefined
      if (gap && (commentOnly || gap.length < t.text.length)) {
        const before = t.text.slice(0, t.text.length - gap.length)
        if (before) out.push(before)
        out.push(
          <span key={j} className="cp-gap">
            {gap}
          </span>,
        )
      } else out.push(t.text)
      return
    }
    out.push(
      <span key={j} className={`tok-${t.kind}`}>
        {t.text}
      </span>,
    )
  })
  return (
    <span className={commentOnly ? 'cp-text cp-text-cont' : 'cp-text'} style={style}>
      {out}
      {'\n'}
    </span>
  )
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
