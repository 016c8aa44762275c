// Syntax highlighting of the scenario language for CodeMirror: a small line tokenizer
// (StreamLanguage) — the language is line-based, so no grammar is needed — and a highlight
// style whose colours are the player's theme variables, so light, dark and high contrast work.

import { HighlightStyle, StreamLanguage, type StringStream } from '@codemirror/language'
import { tags as t } from '@lezer/highlight'

interface LineState {
  /** What the current line is, once its first word has been seen. */
  ctx: 'start' | 'header' | 'title' | 'statement' | 'expect'
  /** The previous token, for context (`.` before a method, `=` before a value). */
  prev: string
}

const HEADER = /^(?:title|mode|threads|switch_interval|schedule)(?=\s*:)/
const KEYWORDS = new Set(['del', 'exit', 'pass', 'as', 'sleep'])
const CONSTANTS = new Set(['None', 'True', 'False', 'none', 'true', 'false', 'immortal'])
const CONSTRUCTORS = new Set(['list', 'dict', 'object', 'Queue', 'function', 'closure'])

function token(stream: StringStream, state: LineState): string | null {
  if (stream.sol()) {
    state.ctx = 'start'
    state.prev = ''
  }
  if (stream.eatSpace()) return null
  if (stream.match('#>')) {
    stream.skipToEnd()
    return 'meta' // story narration
  }
  if (stream.peek() === '#') {
    stream.skipToEnd()
    return 'comment'
  }
  if (state.ctx === 'start') {
    const header = stream.match(HEADER) as RegExpMatchArray | null
    if (header) {
      state.ctx = header[0] === 'title' ? 'title' : 'header'
      return 'keyword'
    }
    if (stream.match(/^expect\b/)) {
      state.ctx = 'expect'
      return 'keyword'
    }
    state.ctx = 'statement'
    if (stream.match(/^[A-Za-z_]\w*(?=\s*:)/)) return 'labelName' // the thread prefix
  }
  if (state.ctx === 'title' && state.prev === ':') {
    // The title is free text up to a comment.
    stream.match(/^[^#]*/)
    return 'string'
  }
  const string = stream.match(/^(?:"[^"]*"?|'[^']*'?)/)
  if (string) return (state.prev = 'str'), 'string'
  if (stream.match(/^-?\d[\d_]*/)) return (state.prev = 'num'), 'number'
  const word = stream.match(/^[A-Za-z_]\w*/) as RegExpMatchArray | null
  if (word) {
    const w = word[0]
    const prev = state.prev
    state.prev = w
    if (state.ctx === 'header') return 'atom'
    if (state.ctx === 'expect') {
      if (w === 'thread' || w === 'deadlock') return 'keyword'
      if (stream.match(/^\s*=/, false)) return 'propertyName'
      return CONSTANTS.has(w) ? 'atom' : 'variableName'
    }
    if (prev === '.') return w === 'collect' ? 'function' : 'propertyName'
    if (KEYWORDS.has(w)) return 'keyword'
    if (CONSTANTS.has(w)) return 'atom'
    if (/^Py/.test(w)) return 'macroName'
    if (w === 'G' || w === 'gc') return 'namespace'
    if (CONSTRUCTORS.has(w) && stream.match(/^\s*\(/, false)) return 'typeName'
    return 'variableName'
  }
  const c = stream.next() ?? ''
  state.prev = c
  return c === '=' ? 'operator' : 'punctuation'
}

export const scenarioLanguage = StreamLanguage.define<LineState>({
  name: 'scenario',
  startState: () => ({ ctx: 'start', prev: '' }),
  copyState: (s) => ({ ...s }),
  token,
  languageData: { commentTokens: { line: '#' } },
})

export const scenarioHighlight = HighlightStyle.define([
  { tag: t.keyword, color: 'var(--pep-accent)', fontWeight: '600' },
  { tag: t.comment, color: 'var(--pep-muted)', fontStyle: 'italic' },
  { tag: t.meta, color: 'var(--pep-info)', fontStyle: 'italic' },
  { tag: t.string, color: 'var(--pep-ok)' },
  { tag: [t.number, t.atom], color: 'var(--pep-fail)' },
  { tag: t.labelName, color: 'var(--pep-warn)', fontWeight: '600' },
  { tag: t.typeName, color: 'var(--pep-ok)' },
  { tag: t.macroName, color: 'var(--pep-warn)' },
  { tag: t.namespace, color: 'var(--pep-accent)' },
  { tag: t.propertyName, color: 'var(--pep-text)', fontStyle: 'italic' },
])
