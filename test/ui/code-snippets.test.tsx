// The code panel's data against the engine: every CPython name the engine can report has a
// snippet, and every micro-step kind maps to a line that exists. Two independent sources:
//  1. a static scan of src/engine/machine.ts: every `this.emit(op, cpython, …)` call, with the
//     string values each argument can take (conditionals, locals and parameters followed to their
//     call sites);
//  2. every scenario in stories/examples and test/scenarios, run in every mode.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { MODES, parseScenario, runScenario, type Mode, type StepRecord } from '../../src/engine'
import { CPYTHON_BLOB, SNIPPETS, codeView, lineKeys, snippetFor, type Snippet } from '../../src/ui/code/snippets'

const root = join(import.meta.dirname, '..', '..')

// ------------------------------------------------------------------ static scan

interface EmitSite {
  readonly line: number
  readonly ops: ReadonlySet<string>
  readonly cpythons: ReadonlySet<string>
  /** The exact (op, cpython) pairs, when the two arguments can be paired up; else null. */
  readonly pairs: readonly (readonly [string, string])[] | null
}

function scanEmits(): EmitSite[] {
  const file = join(root, 'src/engine/machine.ts')
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true)
  const calls: ts.CallExpression[] = []
  const walk = (n: ts.Node) => {
    if (ts.isCallExpression(n)) calls.push(n)
    ts.forEachChild(n, walk)
  }
  walk(sf)
  const thisCalls = (name: string) =>
    calls.filter((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.expression.kind === ts.SyntaxKind.ThisKeyword && c.expression.name.text === name)
  const enclosing = (n: ts.Node): ts.FunctionLikeDeclaration => {
    let p: ts.Node | undefined = n.parent
    while (p && !(ts.isMethodDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isConstructorDeclaration(p))) p = p.parent
    if (!p) throw new Error(`no enclosing function at ${n.getText()}`)
    return p as ts.FunctionLikeDeclaration
  }
  const localInit = (scope: ts.FunctionLikeDeclaration, name: string): ts.Expression | undefined => {
    let found: ts.Expression | undefined
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = n.initializer
      ts.forEachChild(n, visit)
    }
    if (scope.body) visit(scope.body)
    return found
  }
  const values = (e: ts.Expression, scope: ts.FunctionLikeDeclaration, depth = 0): Set<string> => {
    if (depth > 8) throw new Error(`too deep: ${e.getText()}`)
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return new Set([e.text])
    if (ts.isParenthesizedExpression(e)) return values(e.expression, scope, depth)
    if (ts.isConditionalExpression(e)) return new Set([...values(e.whenTrue, scope, depth), ...values(e.whenFalse, scope, depth)])
    if (ts.isIdentifier(e)) {
      const init = localInit(scope, e.text)
      if (init) return values(init, scope, depth + 1)
      const index = scope.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === e.text)
      if (index >= 0 && scope.name && ts.isIdentifier(scope.name)) {
        const out = new Set<string>()
        for (const call of thisCalls(scope.name.text)) {
          const arg = call.arguments[index]
          const source = arg ?? scope.parameters[index]!.initializer
          if (source) for (const v of values(source, arg ? enclosing(call) : scope, depth + 1)) out.add(v)
        }
        return out
      }
    }
    throw new Error(`cannot resolve emit argument ${e.getText()} (line ${sf.getLineAndCharacterOfPosition(e.getStart()).line + 1})`)
  }
  const pairUp = (a: ts.Expression, b: ts.Expression, scope: ts.FunctionLikeDeclaration): [string, string][] | null => {
    if (ts.isConditionalExpression(a) && ts.isConditionalExpression(b) && a.condition.getText() === b.condition.getText()) {
      const t = pairUp(a.whenTrue, b.whenTrue, scope)
      const f = pairUp(a.whenFalse, b.whenFalse, scope)
      return t && f ? [...t, ...f] : null
    }
    const ops = values(a, scope)
    const cps = values(b, scope)
    if (ops.size > 1 && cps.size > 1) return null
    return [...ops].flatMap((o) => [...cps].map((c): [string, string] => [o, c]))
  }
  return thisCalls('emit').map((call) => {
    const [a, b] = call.arguments
    const scope = enclosing(call)
    return {
      line: sf.getLineAndCharacterOfPosition(call.getStart()).line + 1,
      ops: values(a!, scope),
      cpythons: values(b!, scope),
      pairs: pairUp(a!, b!, scope),
    }
  })
}

// ------------------------------------------------------------------ every scenario, every mode

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry)
      if (statSync(full).isDirectory()) return scenarioFiles(full)
      return entry.endsWith('.scenario') ? [full] : []
    })
}

interface Seen {
  readonly step: StepRecord
  readonly mode: Mode
  readonly where: string
}

function runEverything(): Seen[] {
  const files = [...scenarioFiles(join(root, 'stories/examples')), ...scenarioFiles(join(root, 'test/scenarios'))]
  const seen = new Map<string, Seen>()
  for (const file of files) {
    const parsed = parseScenario(readFileSync(file, 'utf8'), file)
    if (!parsed.ok) continue
    for (const mode of MODES) {
      const trace = runScenario(parsed.scenario, { mode })
      for (const step of trace.steps) {
        // One representative per (mode, cpython, op, refined keys).
        const snippet = snippetFor(step.cpython, mode)
        const refined = snippet?.refine?.(step) ?? ''
        const key = `${mode}|${step.cpython}|${step.op}|${refined}`
        if (!seen.has(key)) seen.set(key, { step, mode, where: `${file.slice(root.length + 1)} step ${step.index}` })
      }
    }
  }
  return [...seen.values()]
}

const sites = scanEmits()
const seen = runEverything()

function allSnippets(): { where: string; snippet: Snippet }[] {
  return Object.entries(SNIPPETS).flatMap(([name, entry]) => [
    { where: name, snippet: entry as Snippet },
    ...Object.entries(entry.variants ?? {}).map(([mode, v]) => ({ where: `${name} (${mode})`, snippet: v as Snippet })),
  ])
}

describe('code snippets against the engine', () => {
  it('finds the emit calls of the engine', () => {
    expect(sites.length).toBeGreaterThan(60)
    expect(seen.length).toBeGreaterThan(60)
  })

  it('has a snippet for every CPython name the engine can emit', () => {
    const names = new Set([...sites.flatMap((s) => [...s.cpythons]), ...seen.map((s) => s.step.cpython)])
    const missing = [...names].filter((n) => !SNIPPETS[n]).sort()
    expect(missing).toEqual([])
    // Spot-check that the scan is not trivially small.
    for (const n of ['Py_INCREF', '_Py_DecRefShared', '_Py_brc_queue_object', 'list_ass_item', '_PyCriticalSection_Resume', 'PyThreadState_Clear']) {
      expect(names.has(n), n).toBe(true)
    }
  })

  it('maps every op the engine can emit to lines of some snippet', () => {
    const ops = new Set(sites.flatMap((s) => [...s.ops]))
    const mapped = new Set(allSnippets().flatMap(({ snippet }) => Object.keys(snippet.ops)))
    expect([...ops].filter((o) => !mapped.has(o)).sort()).toEqual([])
  })

  it('maps every exact (op, cpython) pair of the engine source to a line', () => {
    const problems: string[] = []
    for (const site of sites) {
      for (const [op, cpython] of site.pairs ?? []) {
        const entry = SNIPPETS[cpython]
        if (!entry) continue // reported by the test above
        const candidates = [entry, ...Object.values(entry.variants ?? {})] as Snippet[]
        if (!candidates.some((s) => s.ops[op] !== undefined)) problems.push(`machine.ts:${site.line}: ${cpython} has no line for op ${op}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('highlights a mapped line for every step of every scenario in every mode', () => {
    const problems: string[] = []
    for (const { step, mode, where } of seen) {
      const view = codeView(step, mode)
      if (!view.known) problems.push(`${where} (${mode}): no snippet for ${step.cpython}`)
      else if (!view.exact) problems.push(`${where} (${mode}): ${view.snippet.name} has no line for op ${step.op}`)
      for (const i of view.active) if (!view.snippet.lines[i]) problems.push(`${where}: line ${i} does not exist`)
    }
    expect(problems).toEqual([])
  })

  it('uses only line keys that exist, in every snippet and variant', () => {
    const problems: string[] = []
    for (const { where, snippet } of allSnippets()) {
      const keys = new Set(snippet.lines.flatMap((l) => l.keys))
      for (const [op, value] of Object.entries(snippet.ops)) {
        for (const k of value.split(/\s+/)) if (!keys.has(k)) problems.push(`${where}: op ${op} → missing key ${k}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('refinements only name keys that exist', () => {
    const problems: string[] = []
    for (const { step, mode, where } of seen) {
      const snippet = snippetFor(step.cpython, mode)
      if (!snippet) continue
      const keys = lineKeys(snippet, step) ?? []
      const have = new Set(snippet.lines.flatMap((l) => l.keys))
      for (const k of keys) if (!have.has(k)) problems.push(`${where}: ${snippet.name} refines to missing key ${k}`)
    }
    expect(problems).toEqual([])
  })

  it('keeps every snippet short, and points at a CPython source file', () => {
    const problems: string[] = []
    for (const { where, snippet } of allSnippets()) {
      const n = snippet.lines.length
      if (n < 5 || n > 15) problems.push(`${where}: ${n} lines`)
      if (!/^(Include|Objects|Python|Modules|Lib)\/[\w/]+\.(c|h|py)$/.test(snippet.file)) problems.push(`${where}: file ${snippet.file}`)
      for (const line of snippet.lines) if (line.text.length > 84) problems.push(`${where}: ${line.text.length} columns: ${line.text}`)
      if (snippet.summary.length < 10) problems.push(`${where}: no summary`)
    }
    expect(problems).toEqual([])
    expect(CPYTHON_BLOB).toBe('https://github.com/python/cpython/blob/3.14/')
  })
})
