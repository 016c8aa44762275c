// What the playground marks in the editor: the parser's errors (before anything runs) and, for a
// scenario that parses, what went wrong in its run: failed expectations, a run-time error, a
// deadlock no `expect deadlock` announced (these fail `npm run scenario -- check`), and the
// engine's findings (use-after-free, leak), which a teaching scenario may show on purpose.

import type { Diagnostic, Scenario, Trace } from '../engine'

export interface Problem {
  /** 1-based line and column. */
  readonly line: number
  readonly column: number
  readonly message: string
  readonly severity: 'error' | 'warning'
  readonly source: 'parse' | 'expect' | 'run' | 'finding'
}

export function parseProblems(errors: readonly Diagnostic[]): Problem[] {
  return errors.map((e) => ({ line: e.line, column: e.column, message: e.message, severity: 'error', source: 'parse' }))
}

const VIOLATION_WORDS: Record<string, string> = {
  'use-after-free': 'use-after-free',
  leak: 'leak',
  deadlock: 'deadlock',
}

/** Problems of a run of `scenario` (the trace the player shows). */
export function runProblems(scenario: Scenario, trace: Trace): Problem[] {
  const out: Problem[] = []
  for (const r of trace.expectations) {
    for (const f of r.failures) out.push({ line: r.line, column: f.column, message: `expectation failed: ${f.message}`, severity: 'error', source: 'expect' })
  }
  const lastLine = scenario.statements.at(-1)?.line ?? 1
  if (trace.outcome.kind === 'error') {
    out.push({ line: trace.outcome.line ?? lastLine, column: 1, message: `run-time error: ${trace.outcome.message}`, severity: 'error', source: 'run' })
  }
  if (trace.outcome.kind === 'deadlock' && !trace.deadlockAnnounced) {
    out.push({
      line: trace.outcome.line ?? lastLine,
      column: 1,
      message: `unannounced deadlock: ${trace.outcome.message} (add "expect deadlock" where it should happen)`,
      severity: 'error',
      source: 'run',
    })
  }
  for (const v of trace.violations) {
    // The deadlock is reported above (or was announced); leaks and frees point at their line.
    if (v.kind === 'deadlock') continue
    out.push({
      line: v.line > 0 ? v.line : lastLine,
      column: 1,
      message: `${VIOLATION_WORDS[v.kind] ?? v.kind} (step ${v.step}): ${v.message}`,
      severity: 'warning',
      source: 'finding',
    })
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column)
}
