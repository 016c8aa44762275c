// Parser for the scenario language (contract version 1). It never throws: every problem becomes a
// Diagnostic with a 1-based line and column and a sentence a newcomer can act on.

import type {
  Arg,
  Diagnostic,
  Expectation,
  ExpectField,
  ExpectValue,
  Expr,
  Key,
  LockArg,
  ObjectDecl,
  ParseResult,
  Scenario,
  ScheduleSpec,
  Statement,
  StatementBody,
  Target,
} from './ast'
import { MODES, REF_STATE_NAMES, type Mode, type ObjectType } from './types'

/** Resource limits: a scenario is a teaching program, not a workload. */
export const LIMITS = { maxThreads: 64, maxStatements: 200_000, maxLineLength: 2_000, maxSourceLength: 4_000_000 }

const HEADER_KEYS = ['title', 'mode', 'threads', 'switch_interval', 'schedule'] as const
const STATEMENT_FORMS = [
  'x = list() | [] | dict() | {} | object() | Queue() | function() | closure()',
  'x = None | True | False | 42 | "text"',
  'y = x',
  'del x',
  'G.name = x / y = G.name / del G.name',
  'x.append(y) / x[i] = y / y = x[i] / y = x.pop() / x.clear()',
  'd[k] = v / v = d[k] / del d[k]',
  'q.put(x) / y = q.get()',
  'f()',
  'Py_INCREF(x) / Py_DECREF(x)',
  'Py_BEGIN_CRITICAL_SECTION(x) / Py_END_CRITICAL_SECTION()',
  'Py_BEGIN_CRITICAL_SECTION2(x, y) / Py_END_CRITICAL_SECTION2()',
  'PyMutex_Lock(x) / PyMutex_Unlock(x)',
  'sleep() / gc.collect() / pass / exit',
]

const KEYWORD_STATEMENTS = ['del', 'exit', 'pass', 'sleep', 'gc', 'Py_INCREF', 'Py_DECREF', 'Py_BEGIN_CRITICAL_SECTION', 'Py_BEGIN_CRITICAL_SECTION2', 'Py_END_CRITICAL_SECTION', 'Py_END_CRITICAL_SECTION2', 'PyMutex_Lock', 'PyMutex_Unlock']

export const OBJECT_FIELDS = [
  'owner',
  'local',
  'shared',
  'state',
  'refcount',
  'immortal',
  'deferred',
  'freed',
  'freed_by',
  'locked_by',
  'waiters',
  'gc_bits',
  'flags',
] as const
/** Thread fields; the counter fields read the cost model's counters (model numbers). */
export const THREAD_FIELDS = ['status', 'queue', 'sections', 'suspended', 'plain_writes', 'atomic_ops', 'transfers', 'locks', 'waits', 'cycles'] as const
const THREAD_STATUSES = ['running', 'blocked', 'detached', 'stopped', 'exited']

const CONSTRUCTORS: Record<string, ObjectType> = {
  list: 'list',
  dict: 'dict',
  object: 'object',
  Queue: 'Queue',
  function: 'function',
  closure: 'closure',
}
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/
const RESERVED = new Set(['G', 'del', 'exit', 'pass', 'as', 'None', 'True', 'False', 'expect', 'thread', 'gc'])

class ParseError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message)
  }
}

// ---------------------------------------------------------------- tokens

interface Token {
  readonly kind: 'name' | 'int' | 'str' | 'punct'
  readonly text: string
  /** 1-based column in the original line. */
  readonly column: number
}

function tokenize(text: string, startColumn: number): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    const column = startColumn + i
    if (c === ' ' || c === '\t') {
      i++
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++
      tokens.push({ kind: 'name', text: text.slice(i, j), column })
      i = j
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      let j = i + 1
      while (j < text.length && /[0-9_]/.test(text[j]!)) j++
      if (j < text.length && /[A-Za-z.]/.test(text[j]!)) {
        throw new ParseError(column, `"${text.slice(i, j + 1)}…" is not a number the model knows: use whole numbers`)
      }
      tokens.push({ kind: 'int', text: text.slice(i, j).replace(/_/g, ''), column })
      i = j
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1)
      if (end < 0) throw new ParseError(column, `this string has no closing ${c}`)
      tokens.push({ kind: 'str', text: text.slice(i + 1, end), column })
      i = end + 1
    } else if ('=.()[]{},:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, column })
      i++
    } else {
      throw new ParseError(column, `unexpected character "${c}"`)
    }
  }
  return tokens
}

/** Index of the `#` that starts a comment (not inside a string literal), or -1. */
export function commentStart(line: string): number {
  let quote = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '#') {
      return i
    }
  }
  return -1
}

/** Removes a `#` comment, ignoring `#` inside string literals. */
export function stripComment(line: string): string {
  const at = commentStart(line)
  return at < 0 ? line : line.slice(0, at)
}

// ---------------------------------------------------------------- suggestions

/** Optimal string alignment distance: edits, with a swap of two neighbours counting as one. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

/** "Did you mean …?" for the closest candidate, if it is close enough to be a typo. */
export function suggest(word: string, candidates: Iterable<string>): string {
  let best = ''
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3))
  return best && bestDistance <= limit ? ` Did you mean "${best}"?` : ''
}

function list(items: readonly string[]): string {
  return items.length ? items.join(', ') : '(none)'
}

// ---------------------------------------------------------------- the parser

interface VarInfo {
  type: ObjectType | null
}

class Parser {
  private readonly errors: Diagnostic[] = []
  private title = ''
  private mode: Mode = 'free-threaded'
  private threads: string[] = ['main']
  private threadsDeclared = false
  private switchInterval = 5
  private schedule: ScheduleSpec = { k: 'default' }
  private pendingSchedule: { names: Token[]; line: number } | null = null
  private readonly objects: ObjectDecl[] = []
  private readonly labels = new Set<string>()
  private readonly immortals = new Map<string, number>()
  private readonly statements: Statement[] = []
  private readonly expectations: Expectation[] = []
  private readonly rawExpects: { line: number; body: string; column: number; text: string }[] = []
  /** Per thread: bound variables and what the thread's own statements say about their type. */
  private readonly vars: Map<string, VarInfo>[] = []
  /** Per thread: open critical sections (true = two-object), to match BEGIN and END. */
  private readonly sectionStacks: { two: boolean; line: number }[][] = []
  private seenStatement = false
  private readonly exited = new Set<number>()
  private line = 0

  constructor(
    private readonly file: string,
    private readonly source: string,
  ) {}

  parse(): ParseResult {
    if (this.source.length > LIMITS.maxSourceLength) {
      return this.fail(1, 1, `the scenario is ${this.source.length} characters long; the limit is ${LIMITS.maxSourceLength}`)
    }
    this.declareObject({ label: 'G', type: 'module-dict', immortal: false, line: 0 })
    const lines = this.source.split(/\r\n|\r|\n/)
    for (let n = 0; n < lines.length; n++) {
      this.line = n + 1
      const raw = lines[n]!
      // An explicit schedule (e.g. a counterexample from the explorer) may be one long line.
      if (raw.length > LIMITS.maxLineLength && !/^\s*schedule\s*:/.test(raw)) {
        this.error(1, `this line is ${raw.length} characters long; the limit is ${LIMITS.maxLineLength}`)
        continue
      }
      try {
        this.parseLine(raw)
      } catch (e) {
        if (e instanceof ParseError) this.error(e.column, e.message)
        else throw e
      }
      if (this.errors.length >= 50) break
    }
    this.resolveSchedule()
    for (const [t, stack] of this.sectionStacks.entries()) {
      for (const open of stack) {
        this.errors.push({
          file: this.file,
          line: open.line,
          column: 1,
          message: `${this.threads[t]} begins a critical section here that it never ends (add Py_END_CRITICAL_SECTION${open.two ? '2' : ''}())`,
        })
      }
    }
    for (const e of this.rawExpects) {
      this.line = e.line
      try {
        this.expectations.push(this.parseExpect(e.body, e.column, e.text))
      } catch (err) {
        if (err instanceof ParseError) this.error(err.column, err.message)
        else throw err
      }
    }
    if (this.errors.length) {
      this.errors.sort((a, b) => a.line - b.line || a.column - b.column)
      return { ok: false, errors: this.errors }
    }
    const programs = this.threads.map(() => [] as number[])
    for (const s of this.statements) programs[s.thread]!.push(s.index)
    const scenario: Scenario = {
      file: this.file,
      source: this.source,
      title: this.title || this.file.replace(/^.*[\\/]/, ''),
      mode: this.mode,
      threads: this.threads,
      switchInterval: this.switchInterval,
      schedule: this.schedule,
      objects: this.objects,
      statements: this.statements,
      programs,
      expectations: this.expectations,
    }
    return { ok: true, scenario, errors: [] }
  }

  private fail(line: number, column: number, message: string): ParseResult {
    return { ok: false, errors: [{ file: this.file, line, column, message }] }
  }

  private error(column: number, message: string) {
    this.errors.push({ file: this.file, line: this.line, column, message })
  }

  private parseLine(raw: string) {
    const text = stripComment(raw)
    const trimmed = text.trim()
    if (!trimmed) return
    const indent = text.length - text.trimStart().length
    const startColumn = indent + 1
    if (/^expect\b/.test(trimmed)) {
      this.rawExpects.push({ line: this.line, body: trimmed.slice(6), column: startColumn + 6, text: trimmed })
      return
    }
    const colon = trimmed.indexOf(':')
    if (colon < 0) {
      throw new ParseError(
        startColumn,
        `expected "THREAD: statement", "expect …" or a header line such as "threads: main, T1". Every statement starts with the name of the thread that runs it, e.g. "main: ${trimmed}"`,
      )
    }
    const head = trimmed.slice(0, colon).trim()
    const rest = trimmed.slice(colon + 1)
    const restColumn = startColumn + colon + 1 + (rest.length - rest.trimStart().length)
    if ((HEADER_KEYS as readonly string[]).includes(head) && !this.threads.includes(head)) {
      if (this.seenStatement) {
        throw new ParseError(startColumn, `the header line "${head}:" must come before the first statement`)
      }
      this.parseHeader(head, rest.trim(), restColumn)
      return
    }
    if (!IDENT.test(head)) {
      throw new ParseError(startColumn, `"${head}" is not a thread name: thread names look like Python identifiers (main, T1, worker)`)
    }
    let thread = this.threads.indexOf(head)
    if (thread < 0) {
      if (this.threadsDeclared) {
        throw new ParseError(
          startColumn,
          `unknown thread "${head}". Declared threads: ${list(this.threads)}.${suggest(head, this.threads)} Add it to the "threads:" line to declare it.`,
        )
      }
      if (HEADER_KEYS.some((k) => k === head)) {
        throw new ParseError(startColumn, `"${head}" is a header key and cannot be a thread name`)
      }
      this.threads.push(head)
      thread = this.threads.length - 1
      if (this.threads.length > LIMITS.maxThreads) {
        throw new ParseError(startColumn, `too many threads: the limit is ${LIMITS.maxThreads}`)
      }
    }
    this.seenStatement = true
    if (this.exited.has(thread)) {
      throw new ParseError(startColumn, `${head} has already run "exit": a thread runs no statements after it ends`)
    }
    if (this.statements.length >= LIMITS.maxStatements) {
      throw new ParseError(startColumn, `too many statements: the limit is ${LIMITS.maxStatements}`)
    }
    const body = this.parseStatement(thread, rest.trim(), restColumn)
    this.statements.push({
      ...body,
      index: this.statements.length,
      thread,
      line: this.line,
      column: restColumn,
      text: rest.trim(),
    } as Statement)
  }

  private parseHeader(key: string, value: string, column: number) {
    switch (key) {
      case 'title':
        this.title = value
        return
      case 'mode':
        if (!(MODES as readonly string[]).includes(value)) {
          throw new ParseError(column, `unknown mode "${value}". Modes: ${MODES.join(', ')}.${suggest(value, MODES)}`)
        }
        this.mode = value as Mode
        return
      case 'threads': {
        if (this.threadsDeclared) throw new ParseError(column, 'the "threads:" line appears twice')
        const names: string[] = []
        let offset = 0
        for (const part of value.split(',')) {
          const name = part.trim()
          const col = column + offset + (part.length - part.trimStart().length)
          offset += part.length + 1
          if (!IDENT.test(name)) throw new ParseError(col, `"${name}" is not a valid thread name (use a Python-style identifier)`)
          if (RESERVED.has(name) || (HEADER_KEYS as readonly string[]).includes(name)) {
            throw new ParseError(col, `"${name}" is a reserved word and cannot be a thread name`)
          }
          if (names.includes(name)) throw new ParseError(col, `thread "${name}" is listed twice`)
          names.push(name)
        }
        if (names.length > LIMITS.maxThreads) throw new ParseError(column, `too many threads: the limit is ${LIMITS.maxThreads}`)
        if (!names.includes('main')) names.unshift('main')
        this.threads = names
        this.threadsDeclared = true
        return
      }
      case 'switch_interval': {
        const n = Number(value)
        if (!/^\d+$/.test(value) || n < 1 || n > 1000) {
          throw new ParseError(column, `switch_interval must be a whole number from 1 to 1000, not "${value}"`)
        }
        this.switchInterval = n
        return
      }
      case 'schedule': {
        if (value === 'round-robin') this.schedule = { k: 'round-robin' }
        else if (value === 'default') this.schedule = { k: 'default' }
        else if (value.startsWith('random')) {
          const m = /^random\(\s*seed\s*=\s*(\d{1,9})\s*\)$/.exec(value)
          if (!m) throw new ParseError(column, 'write a random schedule as "random(seed=42)"')
          this.schedule = { k: 'random', seed: Number(m[1]) }
        } else {
          const names = tokenize(value, column)
          if (!names.length) throw new ParseError(column, 'the schedule is empty: list one thread name per micro-step, or write round-robin or random(seed=N)')
          for (const t of names) {
            if (t.kind !== 'name' && !(t.kind === 'punct' && t.text === ',')) {
              throw new ParseError(t.column, `"${t.text}" is not a thread name; a schedule lists thread names separated by spaces`)
            }
          }
          if (names.length > LIMITS.maxStatements * 10) throw new ParseError(column, 'the schedule is too long')
          this.pendingSchedule = { names: names.filter((t) => t.kind === 'name'), line: this.line }
        }
        return
      }
    }
  }

  /** Thread names in an explicit schedule are checked once every thread is known. */
  private resolveSchedule() {
    if (!this.pendingSchedule) return
    const threads: number[] = []
    for (const t of this.pendingSchedule.names) {
      const i = this.threads.indexOf(t.text)
      if (i < 0) {
        this.errors.push({
          file: this.file,
          line: this.pendingSchedule.line,
          column: t.column,
          message: `the schedule names "${t.text}", which is not a thread. Threads: ${list(this.threads)}.${suggest(t.text, this.threads)}`,
        })
      }
      threads.push(i)
    }
    this.schedule = { k: 'explicit', threads, line: this.pendingSchedule.line }
  }

  // ------------------------------------------------------------ statements

  private threadVars(thread: number): Map<string, VarInfo> {
    while (this.vars.length <= thread) this.vars.push(new Map())
    return this.vars[thread]!
  }

  private sectionStack(thread: number) {
    while (this.sectionStacks.length <= thread) this.sectionStacks.push([])
    return this.sectionStacks[thread]!
  }

  private parseStatement(thread: number, text: string, column: number): StatementBody {
    if (!text) throw new ParseError(column, `a statement is missing after "${this.threads[thread]}:"`)
    const tokens = tokenize(text, column)
    const c = new Cursor(tokens, column + text.length)
    const first = c.peek()!
    const vars = this.threadVars(thread)

    const done = (body: StatementBody): StatementBody => {
      c.end()
      return body
    }

    if (first.kind === 'name') {
      switch (first.text) {
        case 'del': {
          c.next()
          const target = this.parseTarget(c, thread)
          this.requireBoundTarget(target, thread, first.column + 4)
          if (target.k === 'var') vars.delete(target.name)
          return done({ k: 'del', target })
        }
        case 'exit':
          c.next()
          c.end()
          vars.clear()
          this.exited.add(thread)
          return { k: 'exit' }
        case 'pass':
          c.next()
          return done({ k: 'pass' })
        case 'sleep':
          c.next()
          c.expectCall()
          return done({ k: 'sleep' })
        case 'gc':
          c.next()
          c.punct('.')
          if (c.name('collect') !== 'collect') throw new ParseError(first.column, 'the collector is run with gc.collect()')
          c.expectCall()
          return done({ k: 'gc' })
        case 'Py_INCREF':
        case 'Py_DECREF': {
          c.next()
          c.punct('(')
          const name = this.requireVar(c, thread)
          c.punct(')')
          return done({ k: first.text === 'Py_INCREF' ? 'incref' : 'decref', name })
        }
        case 'Py_BEGIN_CRITICAL_SECTION':
        case 'Py_BEGIN_CRITICAL_SECTION2': {
          c.next()
          const two = first.text.endsWith('2')
          c.punct('(')
          const objs: LockArg[] = [this.parseLockArg(c, thread)]
          if (two) {
            c.punct(',')
            objs.push(this.parseLockArg(c, thread))
          }
          c.punct(')')
          this.sectionStack(thread).push({ two, line: this.line })
          return done({ k: 'cs-begin', objs })
        }
        case 'Py_END_CRITICAL_SECTION':
        case 'Py_END_CRITICAL_SECTION2': {
          c.next()
          c.expectCall()
          const two = first.text.endsWith('2')
          const open = this.sectionStack(thread).pop()
          if (!open) throw new ParseError(first.column, `${first.text}() without a matching Py_BEGIN_CRITICAL_SECTION${two ? '2' : ''} in ${this.threads[thread]}`)
          if (open.two !== two) {
            throw new ParseError(
              first.column,
              `the critical section begun on line ${open.line} is ${open.two ? 'a two-object one: end it with Py_END_CRITICAL_SECTION2()' : 'a one-object one: end it with Py_END_CRITICAL_SECTION()'}`,
            )
          }
          return done({ k: 'cs-end', two })
        }
        case 'PyMutex_Lock':
        case 'PyMutex_Unlock': {
          c.next()
          c.punct('(')
          const obj = this.parseLockArg(c, thread)
          c.punct(')')
          return done({ k: first.text === 'PyMutex_Lock' ? 'lock' : 'unlock', obj })
        }
      }
    }

    // Method calls and plain calls: x.append(y), x.clear(), q.put(x), f(), G.f()
    const second = tokens[1]
    const third = tokens[2]
    if (first.kind === 'name' && second?.text === '(') {
      if (!vars.has(first.text)) {
        throw new ParseError(
          first.column,
          `unknown statement "${text}".${suggest(first.text, [...KEYWORD_STATEMENTS, ...vars.keys()])} A statement is one of: ${STATEMENT_FORMS.join('; ')}`,
        )
      }
      const name = this.requireVar(c, thread)
      c.expectCall()
      this.checkType(thread, name, ['function', 'closure'], first.column, 'call')
      return done({ k: 'call', fn: { k: 'var', name } })
    }
    if (first.kind === 'name' && second?.text === '.' && third?.kind === 'name' && tokens[3]?.text === '(' && first.text !== 'G') {
      const name = this.requireVar(c, thread)
      c.punct('.')
      const method = c.next()!
      switch (method.text) {
        case 'append': {
          c.punct('(')
          const arg = this.parseArg(c, thread)
          c.punct(')')
          this.checkType(thread, name, ['list'], first.column, 'append to')
          return done({ k: 'append', list: name, arg })
        }
        case 'clear':
          c.expectCall()
          this.checkType(thread, name, ['list'], first.column, 'clear')
          return done({ k: 'clear', list: name })
        case 'put': {
          c.punct('(')
          const arg = this.parseArg(c, thread)
          c.punct(')')
          this.checkType(thread, name, ['Queue'], first.column, 'put into')
          return done({ k: 'put', queue: name, arg })
        }
        case 'pop':
        case 'get':
          throw new ParseError(first.column, `the result of ${name}.${method.text}() must be assigned, e.g. "y = ${name}.${method.text}()"`)
        default:
          throw new ParseError(method.column, `unknown method "${method.text}". Methods: append, clear, pop (lists); put, get (Queue).${suggest(method.text, ['append', 'clear', 'pop', 'put', 'get'])}`)
      }
    }
    if (first.kind === 'name' && first.text === 'G' && second?.text === '.' && tokens[3]?.text === '(') {
      c.next()
      c.punct('.')
      const name = c.identifier('a global name')
      c.expectCall()
      return done({ k: 'call', fn: { k: 'global', name: name.text } })
    }

    // Assignment: TARGET = EXPR [as LABEL]
    const eq = tokens.findIndex((t) => t.text === '=')
    if (eq > 0) {
      const target = this.parseTarget(c, thread)
      c.punct('=')
      const exprStart = c.peek()
      if (!exprStart) throw new ParseError(column + text.length, 'a value is missing after "="')
      const expr = this.parseExpr(c, thread, target)
      c.end()
      if (target.k === 'var') {
        vars.set(target.name, { type: this.exprType(thread, expr) })
      }
      return { k: 'assign', target, expr }
    }

    throw new ParseError(
      first.column,
      `unknown statement "${text}".${suggest(first.text, KEYWORD_STATEMENTS)} A statement is one of: ${STATEMENT_FORMS.join('; ')}`,
    )
  }

  private exprType(thread: number, expr: Expr): ObjectType | null {
    switch (expr.k) {
      case 'new':
      case 'immortal':
        return this.objects[expr.obj]!.type
      case 'var':
        return this.threadVars(thread).get(expr.name)?.type ?? null
      default:
        return null
    }
  }

  private checkType(thread: number, name: string, allowed: ObjectType[], column: number, verb: string) {
    const type = this.threadVars(thread).get(name)?.type
    if (type && !allowed.includes(type)) {
      throw new ParseError(column, `cannot ${verb} "${name}": it holds a ${describeType(type)}, and only a ${allowed.map(describeType).join(' or ')} can be used this way`)
    }
  }

  private parseTarget(c: Cursor, thread: number): Target {
    const t = c.identifier('a variable, G.name or x[i]')
    if (t.text === 'G') {
      if (c.peek()?.text !== '.') throw new ParseError(t.column, 'G is the module globals dict: write G.name')
      c.punct('.')
      return { k: 'global', name: c.identifier('a global name').text }
    }
    this.checkName(t)
    if (c.peek()?.text === '[') {
      this.requireBound(t, thread)
      c.punct('[')
      const key = this.parseKey(c, thread)
      c.punct(']')
      this.checkType(thread, t.text, ['list', 'dict'], t.column, 'index')
      this.checkKey(thread, t.text, key, t.column)
      return { k: 'item', container: t.text, key }
    }
    return { k: 'var', name: t.text }
  }

  private checkKey(thread: number, container: string, key: Key, column: number) {
    const type = this.threadVars(thread).get(container)?.type
    if (type === 'list' && key.k !== 'int') throw new ParseError(column, `list indices are whole numbers: ${container}[0]`)
  }

  private parseKey(c: Cursor, thread: number): Key {
    const t = c.next()
    if (!t) throw new ParseError(c.endColumn, 'an index or key is missing')
    if (t.kind === 'int') return { k: 'int', value: Number(t.text) }
    if (t.kind === 'str') return { k: 'str', value: t.text }
    if (t.kind === 'name') {
      this.requireBound(t, thread)
      return { k: 'var', name: t.text }
    }
    throw new ParseError(t.column, `"${t.text}" is not an index or key`)
  }

  private parseExpr(c: Cursor, thread: number, target: Target): Expr {
    const t = c.next()!
    const label = (): string | null => {
      if (c.peek()?.text === 'as') {
        c.next()
        const l = c.identifier('a label after "as"')
        return l.text
      }
      return null
    }
    const defaultLabel = target.k === 'var' ? target.name : target.k === 'global' ? target.name : `${target.container}_item`
    // Constructors: list(), dict(), object(), Queue(), function(), closure(), [], {}
    if (t.kind === 'name' && CONSTRUCTORS[t.text] && c.peek()?.text === '(') {
      c.expectCall()
      const obj = this.declareObject({ label: this.labelFor(label(), defaultLabel, c), type: CONSTRUCTORS[t.text]!, immortal: false, line: this.line })
      return { k: 'new', obj }
    }
    if (t.text === '[' || t.text === '{') {
      c.punct(t.text === '[' ? ']' : '}')
      const obj = this.declareObject({ label: this.labelFor(label(), defaultLabel, c), type: t.text === '[' ? 'list' : 'dict', immortal: false, line: this.line })
      return { k: 'new', obj }
    }
    if (t.kind === 'int' && !isSmallInt(Number(t.text))) {
      const obj = this.declareObject({ label: this.labelFor(label(), defaultLabel, c), type: 'int', immortal: false, literal: t.text, line: this.line })
      return { k: 'new', obj }
    }
    const immortal = this.immortalFor(t)
    if (immortal) {
      const asLabel = label()
      const existing = this.immortals.get(immortal.key)
      if (existing !== undefined) {
        if (asLabel) {
          throw new ParseError(t.column, `${immortal.literal} already has the label "${this.objects[existing]!.label}" (immortal objects exist once); use that label instead of "as ${asLabel}"`)
        }
        return { k: 'immortal', obj: existing }
      }
      const obj = this.declareObject({ label: this.labelFor(asLabel, defaultLabel, c), type: immortal.type, immortal: true, literal: immortal.literal, line: this.line })
      this.immortals.set(immortal.key, obj)
      return { k: 'immortal', obj }
    }
    if (t.kind !== 'name') throw new ParseError(t.column, `"${t.text}" is not a value`)
    if (c.peek()?.text === 'as') throw new ParseError(c.peek()!.column, `"as" names a new object; ${t.text} is an existing one`)
    if (t.text === 'G') {
      c.punct('.')
      return { k: 'global', name: c.identifier('a global name').text }
    }
    if (t.text in CONSTRUCTORS) throw new ParseError(t.column, `write ${t.text}() to create a ${t.text}`)
    this.requireBound(t, thread)
    if (c.peek()?.text === '[') {
      c.punct('[')
      const key = this.parseKey(c, thread)
      c.punct(']')
      this.checkType(thread, t.text, ['list', 'dict'], t.column, 'index')
      this.checkKey(thread, t.text, key, t.column)
      return { k: 'item', container: t.text, key }
    }
    if (c.peek()?.text === '.') {
      c.punct('.')
      const m = c.identifier('a method name')
      c.expectCall()
      if (m.text === 'pop') {
        this.checkType(thread, t.text, ['list'], t.column, 'pop from')
        return { k: 'pop', container: t.text }
      }
      if (m.text === 'get') {
        this.checkType(thread, t.text, ['Queue'], t.column, 'get from')
        return { k: 'get', container: t.text }
      }
      throw new ParseError(m.column, `"${t.text}.${m.text}()" does not return a value here: only pop() (lists) and get() (Queue) do`)
    }
    return { k: 'var', name: t.text }
  }

  private immortalFor(t: Token): { key: string; literal: string; type: ObjectType } | null {
    if (t.kind === 'name' && t.text === 'None') return { key: 'None', literal: 'None', type: 'NoneType' }
    if (t.kind === 'name' && (t.text === 'True' || t.text === 'False')) return { key: t.text, literal: t.text, type: 'bool' }
    if (t.kind === 'int') return { key: `int:${Number(t.text)}`, literal: String(Number(t.text)), type: 'int' }
    if (t.kind === 'str') return { key: `str:${t.text}`, literal: JSON.stringify(t.text), type: 'str' }
    return null
  }

  private labelFor(asLabel: string | null, fallback: string, c: Cursor): string {
    if (asLabel) {
      if (this.labels.has(asLabel)) throw new ParseError(c.lastColumn, `the label "${asLabel}" is already used by another object`)
      if (asLabel === 'G') throw new ParseError(c.lastColumn, 'the label "G" is reserved for the module globals')
      return asLabel
    }
    if (!this.labels.has(fallback)) return fallback
    // Resume where the last search for this fallback stopped (labels are only ever added): n
    // objects named alike cost O(n), not O(n²) (6,000 `v = list()` lines took 0.9 s).
    let n = this.nextSuffix.get(fallback) ?? 2
    while (this.labels.has(`${fallback}_${n}`)) n++
    this.nextSuffix.set(fallback, n + 1)
    return `${fallback}_${n}`
  }

  private readonly nextSuffix = new Map<string, number>()

  private declareObject(decl: Omit<ObjectDecl, 'id'>): number {
    const id = this.objects.length
    this.objects.push({ ...decl, id })
    this.labels.add(decl.label)
    return id
  }

  private parseArg(c: Cursor, thread: number): Arg {
    const t = c.peek()
    if (!t) throw new ParseError(c.endColumn, 'an argument is missing')
    const immortal = this.immortalFor(t)
    if (immortal) {
      c.next()
      if (immortal.type === 'int' && !isSmallInt(Number(t.text))) {
        throw new ParseError(t.column, `${t.text} is not a small int: create it in a variable first (x = ${t.text}) and pass the variable`)
      }
      let obj = this.immortals.get(immortal.key)
      if (obj === undefined) {
        obj = this.declareObject({ label: this.labelFor(null, immortal.type === 'str' ? `str_${t.text.replace(/\W/g, '_')}` : immortal.literal.replace('-', 'minus'), c), type: immortal.type, immortal: true, literal: immortal.literal, line: this.line })
        this.immortals.set(immortal.key, obj)
      }
      return { k: 'immortal', obj }
    }
    return { k: 'var', name: this.requireVar(c, thread) }
  }

  private parseLockArg(c: Cursor, thread: number): LockArg {
    const t = c.peek()
    if (t?.kind === 'name' && t.text === 'G') {
      c.next()
      return { k: 'G' }
    }
    return { k: 'var', name: this.requireVar(c, thread) }
  }

  private requireVar(c: Cursor, thread: number): string {
    const t = c.identifier('a variable')
    this.checkName(t)
    this.requireBound(t, thread)
    return t.text
  }

  private checkName(t: Token) {
    if (RESERVED.has(t.text)) throw new ParseError(t.column, `"${t.text}" is a reserved word, not a variable`)
  }

  private requireBound(t: Token, thread: number) {
    const vars = this.threadVars(thread)
    if (vars.has(t.text)) return
    const name = this.threads[thread]!
    const others = this.vars.map((m, i) => (i !== thread && m.has(t.text) ? this.threads[i] : null)).filter(Boolean)
    if (others.length) {
      throw new ParseError(t.column, `"${t.text}" is not bound in ${name}: variables are per thread, and "${t.text}" belongs to ${others.join(', ')}. Pass the object through a global (G.${t.text} = ${t.text}) or a Queue.`)
    }
    throw new ParseError(t.column, `"${t.text}" is not bound in ${name} at this point.${suggest(t.text, vars.keys())} Bound here: ${list([...vars.keys()])}.`)
  }

  private requireBoundTarget(target: Target, thread: number, column: number) {
    if (target.k === 'var') this.requireBound({ kind: 'name', text: target.name, column }, thread)
  }

  // ------------------------------------------------------------ expectations

  private parseExpect(body: string, column: number, text: string): Expectation {
    const trimmed = body.trim()
    const col = column + (body.length - body.trimStart().length)
    if (trimmed === 'deadlock') return { line: this.line, column: col, text, kind: 'deadlock', target: -1, fields: [] }
    const colon = trimmed.indexOf(':')
    if (colon < 0) throw new ParseError(col, 'write an expectation as "expect LABEL: field=value, …", "expect thread NAME: field=value" or "expect deadlock"')
    const head = trimmed.slice(0, colon).trim()
    const fieldsText = trimmed.slice(colon + 1)
    const fieldsColumn = col + colon + 1
    let kind: 'object' | 'thread' = 'object'
    let target: number
    const threadMatch = /^thread\s+(\S+)$/.exec(head)
    if (threadMatch) {
      kind = 'thread'
      const name = threadMatch[1]!
      target = this.threads.indexOf(name)
      if (target < 0) throw new ParseError(col + head.indexOf(name), `unknown thread "${name}". Threads: ${list(this.threads)}.${suggest(name, this.threads)}`)
    } else {
      target = this.objects.findIndex((o) => o.label === head)
      if (target < 0) {
        throw new ParseError(col, `no object is labelled "${head}".${suggest(head, this.objects.map((o) => o.label))} Labels: ${list(this.objects.map((o) => o.label))}. (For a thread, write "expect thread ${head}: …".)`)
      }
    }
    const fields: ExpectField[] = []
    let offset = 0
    for (const part of fieldsText.split(',')) {
      const partColumn = fieldsColumn + offset + (part.length - part.trimStart().length)
      offset += part.length + 1
      const item = part.trim()
      if (!item) throw new ParseError(partColumn, 'an empty field: write field=value, separated by commas')
      const eq = item.indexOf('=')
      if (eq < 0) throw new ParseError(partColumn, `"${item}" needs a value: write ${item}=…`)
      const name = item.slice(0, eq).trim()
      const raw = item.slice(eq + 1).trim()
      const valueColumn = partColumn + eq + 1 + (item.slice(eq + 1).length - item.slice(eq + 1).trimStart().length)
      const allowed: readonly string[] = kind === 'object' ? OBJECT_FIELDS : THREAD_FIELDS
      if (!allowed.includes(name)) {
        throw new ParseError(partColumn, `unknown ${kind} field "${name}".${suggest(name, allowed)} Fields: ${allowed.join(', ')}`)
      }
      fields.push({ name, value: this.parseExpectValue(name, raw, valueColumn), column: partColumn })
    }
    return { line: this.line, column: col, text, kind, target, fields }
  }

  private parseExpectValue(field: string, raw: string, column: number): ExpectValue {
    const int = (): number => {
      if (!/^-?\d+$/.test(raw)) throw new ParseError(column, `${field} takes a whole number, not "${raw}"`)
      return Number(raw)
    }
    const bool = (): boolean => {
      if (raw !== 'true' && raw !== 'false') throw new ParseError(column, `${field} is true or false, not "${raw}"`)
      return raw === 'true'
    }
    const threadOrNone = (): string => {
      if (raw !== 'none' && !this.threads.includes(raw)) {
        throw new ParseError(column, `${field} is a thread name or none, not "${raw}". Threads: ${list(this.threads)}.${suggest(raw, [...this.threads, 'none'])}`)
      }
      return raw
    }
    switch (field) {
      case 'owner':
      case 'freed_by':
      case 'locked_by':
        return threadOrNone()
      case 'local':
      case 'refcount':
        return raw === 'immortal' ? raw : int()
      case 'shared':
      case 'waiters':
      case 'queue':
      case 'sections':
      case 'suspended':
      case 'gc_bits':
      case 'flags':
      case 'plain_writes':
      case 'atomic_ops':
      case 'transfers':
      case 'locks':
      case 'waits':
      case 'cycles':
        return int()
      case 'state':
        if (!(REF_STATE_NAMES as readonly string[]).includes(raw)) {
          throw new ParseError(column, `state is one of ${REF_STATE_NAMES.join(', ')}, not "${raw}".${suggest(raw, REF_STATE_NAMES)}`)
        }
        return raw
      case 'immortal':
      case 'deferred':
      case 'freed':
        return bool()
      case 'status':
        if (!THREAD_STATUSES.includes(raw)) throw new ParseError(column, `status is one of ${THREAD_STATUSES.join(', ')}, not "${raw}".${suggest(raw, THREAD_STATUSES)}`)
        return raw
    }
    return raw
  }
}

function isSmallInt(n: number): boolean {
  return Number.isInteger(n) && n >= -5 && n <= 256
}

export function describeType(type: ObjectType): string {
  switch (type) {
    case 'Queue':
      return 'Queue'
    case 'module-dict':
      return 'module dict'
    case 'NoneType':
      return 'None'
    default:
      return type
  }
}

class Cursor {
  private i = 0
  constructor(
    private readonly tokens: Token[],
    readonly endColumn: number,
  ) {}
  peek(): Token | undefined {
    return this.tokens[this.i]
  }
  next(): Token | undefined {
    return this.tokens[this.i++]
  }
  get lastColumn(): number {
    return this.tokens[Math.max(0, this.i - 1)]?.column ?? this.endColumn
  }
  punct(p: string) {
    const t = this.next()
    if (!t) throw new ParseError(this.endColumn, `"${p}" is missing at the end of the statement`)
    if (t.text !== p) throw new ParseError(t.column, `expected "${p}" here, found "${t.text}"`)
  }
  name(text: string): string | undefined {
    const t = this.peek()
    if (t?.kind === 'name' && t.text === text) {
      this.i++
      return text
    }
    return undefined
  }
  identifier(what: string): Token {
    const t = this.next()
    if (!t) throw new ParseError(this.endColumn, `${what} is missing`)
    if (t.kind !== 'name') throw new ParseError(t.column, `expected ${what}, found "${t.text}"`)
    return t
  }
  expectCall() {
    this.punct('(')
    const t = this.peek()
    if (t && t.text !== ')') throw new ParseError(t.column, 'this call takes no arguments')
    this.punct(')')
  }
  end() {
    const t = this.peek()
    if (t) throw new ParseError(t.column, `unexpected "${t.text}" after the end of the statement`)
  }
}

export function parseScenario(source: string, file = 'scenario'): ParseResult {
  try {
    return new Parser(file, typeof source === 'string' ? source : String(source)).parse()
  } catch (e) {
    // A parser bug must still give a clear diagnostic, never an exception.
    return { ok: false, errors: [{ file, line: 1, column: 1, message: `internal parser error: ${(e as Error).message}` }] }
  }
}
