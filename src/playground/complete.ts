// Completion for the scenario language, as a pure function of the text and the cursor (the
// editor wraps it as a CodeMirror completion source; tests call it directly). It knows the
// header keys, the modes, the statement forms, the threads of `threads:`, the variables a
// thread has bound above the cursor, `G.` globals, object labels and expectation fields.

import { MODES, OBJECT_FIELDS, REF_STATE_NAMES, stripComment, THREAD_FIELDS } from '../engine'

export type CompletionKind = 'keyword' | 'variable' | 'function' | 'type' | 'constant' | 'property' | 'namespace'

export interface CompletionItem {
  readonly label: string
  readonly type: CompletionKind
  /** Text inserted instead of the label (e.g. `main: ` for a thread at the start of a line). */
  readonly apply?: string
  readonly detail?: string
}

export interface CompletionResult {
  /** Where the replaced word starts. */
  readonly from: number
  readonly options: readonly CompletionItem[]
}

const HEADERS: readonly CompletionItem[] = [
  { label: 'title', apply: 'title: ', type: 'keyword', detail: 'header: shown in the app' },
  { label: 'mode', apply: 'mode: ', type: 'keyword', detail: 'header: free-threaded | gil | atomic | unsafe' },
  { label: 'threads', apply: 'threads: ', type: 'keyword', detail: 'header: thread names in display order' },
  { label: 'switch_interval', apply: 'switch_interval: ', type: 'keyword', detail: 'header: gil mode, 1–1000' },
  { label: 'schedule', apply: 'schedule: ', type: 'keyword', detail: 'header: default | round-robin | random(seed=N) | thread names' },
]

const STATEMENTS: readonly CompletionItem[] = [
  { label: 'del', apply: 'del ', type: 'keyword', detail: 'Py_DECREF a variable, global or item' },
  { label: 'G.', type: 'namespace', detail: 'a module global' },
  { label: 'Py_INCREF', apply: 'Py_INCREF(', type: 'function', detail: 'C API: an extra reference' },
  { label: 'Py_DECREF', apply: 'Py_DECREF(', type: 'function', detail: 'C API: drop a reference' },
  { label: 'Py_BEGIN_CRITICAL_SECTION', apply: 'Py_BEGIN_CRITICAL_SECTION(', type: 'function', detail: 'lock one object' },
  { label: 'Py_END_CRITICAL_SECTION', apply: 'Py_END_CRITICAL_SECTION()', type: 'function' },
  { label: 'Py_BEGIN_CRITICAL_SECTION2', apply: 'Py_BEGIN_CRITICAL_SECTION2(', type: 'function', detail: 'lock two objects' },
  { label: 'Py_END_CRITICAL_SECTION2', apply: 'Py_END_CRITICAL_SECTION2()', type: 'function' },
  { label: 'PyMutex_Lock', apply: 'PyMutex_Lock(', type: 'function', detail: 'the object’s mutex, no deadlock avoidance' },
  { label: 'PyMutex_Unlock', apply: 'PyMutex_Unlock(', type: 'function' },
  { label: 'sleep', apply: 'sleep()', type: 'function', detail: 'detach, then attach again' },
  { label: 'gc.collect', apply: 'gc.collect()', type: 'function', detail: 'a stop-the-world collection' },
  { label: 'pass', type: 'keyword', detail: 'a statement boundary' },
  { label: 'exit', type: 'keyword', detail: 'the thread ends' },
]

const VALUES: readonly CompletionItem[] = [
  { label: 'list()', type: 'type', detail: 'a new list owned by this thread' },
  { label: 'dict()', type: 'type', detail: 'a new dict' },
  { label: 'object()', type: 'type', detail: 'a new object' },
  { label: 'Queue()', type: 'type', detail: 'a queue for put/get hand-offs' },
  { label: 'function()', type: 'type', detail: 'module-level function: deferred refcounting' },
  { label: 'closure()', type: 'type', detail: 'nested function: not deferred' },
  { label: 'None', type: 'constant', detail: 'immortal' },
  { label: 'True', type: 'constant', detail: 'immortal' },
  { label: 'False', type: 'constant', detail: 'immortal' },
  { label: 'G.', type: 'namespace', detail: 'a module global' },
]

const METHODS: readonly CompletionItem[] = [
  { label: 'append', apply: 'append(', type: 'function', detail: 'list' },
  { label: 'pop', apply: 'pop()', type: 'function', detail: 'list' },
  { label: 'clear', apply: 'clear()', type: 'function', detail: 'list' },
  { label: 'put', apply: 'put(', type: 'function', detail: 'Queue' },
  { label: 'get', apply: 'get()', type: 'function', detail: 'Queue' },
]

const HEADER_KEYS = new Set(HEADERS.map((h) => h.label))
const THREAD_STATUSES = ['running', 'blocked', 'detached', 'stopped', 'exited']
const IDENT = /^[A-Za-z_]\w*$/

/** What the text says about threads, variables, globals and labels (a forgiving scan). */
export interface ScenarioFacts {
  readonly threads: readonly string[]
  /** Variables each thread has bound before `line` (1-based), in binding order. */
  varsBefore(thread: string, line: number): string[]
  readonly globals: readonly string[]
  readonly labels: readonly string[]
}

export function scanScenario(text: string): ScenarioFacts {
  const lines = text.split(/\r\n|\r|\n/)
  let declared: string[] | null = null
  const seen: string[] = ['main']
  const statements: { line: number; thread: string; body: string }[] = []
  const globals = new Set<string>()
  const labels = new Set<string>()
  lines.forEach((raw, i) => {
    const line = stripComment(raw)
    const header = /^\s*(\w+)\s*:(.*)$/.exec(line)
    if (!header) return
    const [, key, rest] = header as unknown as [string, string, string]
    if (key === 'threads') {
      declared = ['main', ...rest.split(',').map((t) => t.trim()).filter((t) => IDENT.test(t) && t !== 'main')]
      return
    }
    if (HEADER_KEYS.has(key)) return
    if (!seen.includes(key)) seen.push(key)
    const body = rest.trim()
    statements.push({ line: i + 1, thread: key, body })
    for (const m of body.matchAll(/\bG\.(\w+)/g)) globals.add(m[1]!)
    const as = /\bas\s+(\w+)\s*$/.exec(body)
    if (as) labels.add(as[1]!)
    else {
      // Without `as`, an object is labelled after the variable (or global) it is first bound to.
      const bound = /^(?:G\.)?(\w+)\s*=\s*(?:list|dict|object|Queue|function|closure)\s*\(|^(?:G\.)?(\w+)\s*=\s*(?:\[\]|\{\})/.exec(body)
      const name = bound?.[1] ?? bound?.[2]
      if (name) labels.add(name)
    }
  })
  const threads: string[] = declared ?? seen
  return {
    threads,
    globals: [...globals],
    labels: [...labels],
    varsBefore(thread, before) {
      const vars: string[] = []
      for (const s of statements) {
        if (s.line >= before) break
        if (s.thread !== thread) continue
        const assign = /^(\w+)\s*=(?!=)/.exec(s.body)
        if (assign && assign[1] !== 'G') {
          if (!vars.includes(assign[1]!)) vars.push(assign[1]!)
          continue
        }
        const del = /^del\s+(\w+)\s*$/.exec(s.body)
        const k = del ? vars.indexOf(del[1]!) : -1
        if (k >= 0) vars.splice(k, 1)
      }
      return vars
    },
  }
}

function words(list: readonly string[], type: CompletionKind, detail?: string): CompletionItem[] {
  return list.map((label) => ({ label, type, ...(detail ? { detail } : {}) }))
}

function fieldValues(field: string, threads: readonly string[]): CompletionItem[] {
  switch (field) {
    case 'owner':
    case 'freed_by':
    case 'locked_by':
      return [...words(threads, 'variable', 'thread'), { label: 'none', type: 'constant' }]
    case 'state':
      return words(REF_STATE_NAMES, 'constant')
    case 'status':
      return words(THREAD_STATUSES, 'constant')
    case 'immortal':
    case 'deferred':
    case 'freed':
      return words(['true', 'false'], 'constant')
    case 'local':
    case 'refcount':
      return [{ label: 'immortal', type: 'constant' }]
    default:
      return []
  }
}

/** Completions at `pos` of `text`, or null when there is nothing to offer there. */
export function scenarioCompletions(text: string, pos: number): CompletionResult | null {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1
  const lineNo = text.slice(0, lineStart).split('\n').length
  const before = text.slice(lineStart, pos)
  if (stripComment(before) !== before) return null // inside a comment
  if ((before.match(/"/g)?.length ?? 0) % 2 === 1 || (before.match(/'/g)?.length ?? 0) % 2 === 1) return null // inside a string
  const word = /[\w.]*$/.exec(before)![0]
  const facts = scanScenario(text)
  const at = (prefix: string, options: readonly CompletionItem[]): CompletionResult | null => {
    const filtered = options.filter((o) => o.label.startsWith(prefix) && o.label !== prefix)
    return filtered.length ? { from: pos - prefix.length, options: filtered } : null
  }

  // The start of a line: a header, a thread, or an expectation.
  if (/^\s*[\w]*$/.test(before)) {
    const threads = facts.threads.map((t): CompletionItem => ({ label: t, apply: `${t}: `, type: 'variable', detail: 'thread' }))
    return at(word, [...threads, { label: 'expect', apply: 'expect ', type: 'keyword', detail: 'check a label, a thread or a deadlock' }, ...HEADERS])
  }
  const mode = /^\s*mode\s*:\s*([\w-]*)$/.exec(before)
  if (mode) return at(mode[1]!, words(MODES, 'constant'))
  const schedule = /^\s*schedule\s*:.*?([\w()=-]*)$/.exec(before)
  if (schedule) {
    return at(schedule[1]!, [...words(['default', 'round-robin'], 'constant'), { label: 'random(seed=1)', type: 'constant' }, ...words(facts.threads, 'variable', 'thread')])
  }
  if (/^\s*(title|threads|switch_interval)\s*:/.test(before)) return null

  // Expectations.
  const expectTarget = /^\s*expect\s+(\w*)$/.exec(before)
  if (expectTarget) {
    return at(expectTarget[1]!, [
      ...words(facts.labels, 'variable', 'object label'),
      { label: 'thread', apply: 'thread ', type: 'keyword' },
      { label: 'deadlock', type: 'keyword' },
    ])
  }
  const expectThread = /^\s*expect\s+thread\s+(\w*)$/.exec(before)
  if (expectThread) return at(expectThread[1]!, facts.threads.map((t) => ({ label: t, apply: `${t}: `, type: 'variable', detail: 'thread' })))
  const expectFields = /^\s*expect\s+(thread\s+)?\w+\s*:(.*)$/.exec(before)
  if (expectFields) {
    const last = expectFields[2]!.split(',').at(-1)!
    const value = /^\s*(\w+)\s*=\s*([\w-]*)$/.exec(last)
    if (value) return at(value[2]!, fieldValues(value[1]!, facts.threads))
    const field = /^\s*(\w*)$/.exec(last)
    if (!field) return null
    const fields = expectFields[1] ? THREAD_FIELDS : OBJECT_FIELDS
    return at(field[1]!, fields.map((f) => ({ label: f, apply: `${f}=`, type: 'property' })))
  }

  // Statements: `THREAD: …`.
  const stmt = /^\s*(\w+)\s*:\s*(.*)$/.exec(before)
  if (!stmt) return null
  const thread = stmt[1]!
  const body = stmt[2]!
  const vars = words(facts.varsBefore(thread, lineNo), 'variable', `${thread}’s variable`)
  const globals = /\bG\.(\w*)$/.exec(body)
  if (globals) return at(globals[1]!, words(facts.globals, 'variable', 'global'))
  const method = /\b(\w+)\.(\w*)$/.exec(body)
  if (method && method[1] !== 'gc') return at(method[2]!, METHODS)
  if (/\bas\s+\w*$/.test(body)) return null // a new label: nothing to suggest
  const name = /(\w*)$/.exec(body)![1]!
  if (body === name) return at(name, [...vars, ...STATEMENTS])
  if (/=\s*\w*$/.test(body) && !/[[(]/.test(body.slice(body.indexOf('=')))) return at(name, [...vars, ...VALUES])
  if (/(?:\bdel\s+|[(,[]\s*)\w*$/.test(body)) {
    const lock = /^(?:Py_BEGIN_CRITICAL_SECTION2?|PyMutex_(?:Lock|Unlock))\(/.test(body)
    return at(name, lock ? [...vars, { label: 'G', type: 'namespace', detail: 'the module dict' }] : [...vars, ...(/^del\s/.test(body) ? [{ label: 'G.', type: 'namespace' as const }] : [])])
  }
  return name ? at(name, vars) : null
}
