// The scenario editor: CodeMirror 6 with the scenario language's highlighting, completion,
// problems as lint diagnostics at their line and column, and the line of the player's current
// step marked. React owns the props; CodeMirror owns the document (the parent hears of every
// change through onChange and replaces the text only through the handle).

import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { bracketMatching, syntaxHighlighting } from '@codemirror/language'
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import { EditorState, StateEffect, StateField, type Extension, type Text } from '@codemirror/state'
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view'
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react'
import type { ExplorerStore } from '../store/explorerStore'
import { scenarioCompletions } from './complete'
import { scenarioHighlight, scenarioLanguage } from './language'
import type { Problem } from './problems'

export interface EditorHandle {
  /** Replaces the whole text (one undoable change). */
  setText(text: string): void
  /** Puts the cursor at a 1-based line and column and focuses the editor. */
  focusAt(line: number, column: number): void
  focus(): void
}

interface Props {
  readonly initialText: string
  readonly onChange: (text: string) => void
  /** Problems of `problemsText`; shown only while the document still is that text. */
  readonly problems: readonly Problem[]
  readonly problemsText: string
  /** The player whose current step's line is marked (null: none, e.g. while the text differs). */
  readonly stepStore: ExplorerStore | null
  readonly labelledBy: string
  readonly describedBy?: string
}

const setStepLine = StateEffect.define<number>()

/** The line of the current step, as a line decoration that follows edits. */
const stepLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = deco.map(tr.changes)
    for (const e of tr.effects) {
      if (!e.is(setStepLine)) continue
      const n = e.value
      next = n >= 1 && n <= tr.state.doc.lines ? Decoration.set([Decoration.line({ class: 'cm-pg-step-line' }).range(tr.state.doc.line(n).from)]) : Decoration.none
    }
    return next
  },
  provide: (f) => EditorView.decorations.from(f),
})

function stepLineOf(store: ExplorerStore): number {
  const s = store.getState()
  if (s.sim?.kind !== 'ok') return 0
  const p = Math.min(s.position, s.sim.trace.length)
  return p > 0 ? (s.sim.trace.steps[p - 1]?.line ?? 0) : 0
}

/** A problem's range: from its column over the word there (at least one character when possible). */
export function problemRange(doc: Text, p: Problem): { from: number; to: number } {
  const line = doc.line(Math.max(1, Math.min(doc.lines, p.line)))
  const col = Math.max(0, Math.min(line.length, p.column - 1))
  const rest = line.text.slice(col)
  const word = /^[\w.]+/.exec(rest)?.[0].length ?? (rest.length > 0 ? 1 : 0)
  const from = line.from + col
  return { from, to: from + word }
}

function toDiagnostics(doc: Text, problems: readonly Problem[]): Diagnostic[] {
  return problems.map((p) => ({ ...problemRange(doc, p), severity: p.severity, message: p.message, source: p.source === 'parse' ? 'parser' : 'run' }))
}

function completionSource(context: CompletionContext): CompletionResult | null {
  const text = context.state.doc.toString()
  const result = scenarioCompletions(text, context.pos)
  if (!result) return null
  const typedWord = result.from < context.pos || /[.=(]\s*$/.test(text.slice(Math.max(0, context.pos - 2), context.pos))
  // While typing, only offer once a word is started; Ctrl-Space asks anywhere.
  if (!context.explicit && !typedWord) return null
  return { from: result.from, options: result.options.map((o) => ({ ...o })), validFor: /^[\w.]*$/ }
}

const theme = EditorView.theme({
  '&': { color: 'var(--pep-text)', backgroundColor: 'var(--pep-surface)', fontSize: '0.95em', height: '100%' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--pep-text)', padding: '0.4em 0' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '&.cm-focused': { outline: '3px solid var(--pep-focus)', outlineOffset: '-1px' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--pep-text)', borderLeftWidth: '2px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--pep-accent-bg)',
  },
  '.cm-gutters': { backgroundColor: 'var(--pep-bg)', color: 'var(--pep-muted)', borderRight: 'var(--pep-border-width) solid var(--pep-border)' },
  '.cm-activeLine': { backgroundColor: 'transparent', boxShadow: 'inset 0 0 0 1px var(--pep-border)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--pep-accent-bg)', color: 'var(--pep-text)' },
  '.cm-pg-step-line': { backgroundColor: 'var(--pep-highlight)', color: 'var(--pep-highlight-text)' },
  '.cm-pg-step-line span': { color: 'inherit' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'wavy underline var(--pep-fail) 2px', textUnderlineOffset: '3px' },
  '.cm-lintRange-warning': { backgroundImage: 'none', textDecoration: 'wavy underline var(--pep-warn) 2px', textUnderlineOffset: '3px' },
  '.cm-lintPoint:after': { borderBottomColor: 'var(--pep-fail)' },
  '.cm-tooltip': { backgroundColor: 'var(--pep-surface)', color: 'var(--pep-text)', border: 'var(--pep-border-width) solid var(--pep-border-strong)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--pep-fail)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--pep-warn)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--pep-accent)', color: 'var(--pep-accent-text)' },
  '.cm-completionDetail': { color: 'inherit', opacity: '0.85', marginLeft: '0.8em' },
  '.cm-panels': { backgroundColor: 'var(--pep-surface)', color: 'var(--pep-text)' },
})

export const Editor = forwardRef<EditorHandle, Props>(function Editor(
  { initialText, onChange, problems, problemsText, stepStore, labelledBy, describedBy },
  ref,
) {
  const hostRef = useRef<HTMLDivElement>(null)
  const viewRef = useRef<EditorView | null>(null)
  const onChangeRef = useRef(onChange)
  useEffect(() => {
    onChangeRef.current = onChange
  }, [onChange])

  useEffect(() => {
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      drawSelection(),
      bracketMatching(),
      scenarioLanguage,
      syntaxHighlighting(scenarioHighlight),
      autocompletion({ override: [completionSource], icons: false }),
      lintGutter(),
      stepLineField,
      // Tab is left to the browser (moving focus), so the editor never traps keyboard users.
      keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
      EditorView.lineWrapping,
      theme,
      EditorView.contentAttributes.of({
        'aria-labelledby': labelledBy,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        spellcheck: 'false',
        autocapitalize: 'off',
        autocorrect: 'off',
      }),
      EditorView.domEventHandlers({
        // Typing over a selection is left to the browser by CodeMirror; Chrome then rebuilds the
        // lines with style attributes, which the app's Content-Security-Policy refuses (noisily,
        // harmlessly). Doing the replacement ourselves avoids that.
        beforeinput(event, view) {
          if (event.inputType !== 'insertText' || event.data === null || view.state.selection.ranges.every((r) => r.empty)) return false
          event.preventDefault()
          view.dispatch(view.state.replaceSelection(event.data), { userEvent: 'input.type', scrollIntoView: true })
          return true
        },
      }),
            EditorView.updateListener.of((u) => {
        if (u.docChanged) onChangeRef.current(u.state.doc.toString())
      }),
    ]
    const view = new EditorView({ state: EditorState.create({ doc: initialText, extensions }), parent: hostRef.current! })
    viewRef.current = view
    return () => {
      view.destroy()
      viewRef.current = null
    }
    // The editor is created once; later text comes through the handle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useEffect(() => {
    const view = viewRef.current
    if (!view || view.state.doc.toString() !== problemsText) return
    view.dispatch(setDiagnostics(view.state, toDiagnostics(view.state.doc, problems)))
  }, [problems, problemsText])

  useEffect(() => {
    // Follows the store directly: a React render per played step would be wasted here.
    let shown = -1
    const show = () => {
      const line = stepStore ? stepLineOf(stepStore) : 0
      if (line === shown) return
      shown = line
      viewRef.current?.dispatch({ effects: setStepLine.of(line) })
    }
    show()
    return stepStore?.subscribe(show)
  }, [stepStore])

  useImperativeHandle(ref, () => ({
    setText(text) {
      const view = viewRef.current
      if (!view || view.state.doc.toString() === text) return
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } })
    },
    focusAt(line, column) {
      const view = viewRef.current
      if (!view) return
      const { from } = problemRange(view.state.doc, { line, column, message: '', severity: 'error', source: 'parse' })
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true })
      view.focus()
    },
    focus() {
      viewRef.current?.focus()
    },
  }))

  return <div className="pg-editor" ref={hostRef} data-testid="scenario-editor" />
})
