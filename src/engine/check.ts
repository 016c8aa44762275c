// Parse + run + expectations: what `npm run scenario -- check` and the test suite use.

import type { Diagnostic } from './ast'
import { parseScenario } from './parser'
import { runScenario, type RunOptions } from './run'
import type { Trace } from './trace'

export interface CheckFailure {
  readonly line: number
  readonly column: number
  readonly message: string
}

export interface CheckReport {
  readonly file: string
  readonly ok: boolean
  readonly parseErrors: readonly Diagnostic[]
  readonly failures: readonly CheckFailure[]
  readonly expectations: number
  readonly steps: number
  readonly trace: Trace | null
}

export function checkScenarioText(text: string, file: string, options: RunOptions = {}): CheckReport {
  const parsed = parseScenario(text, file)
  if (!parsed.ok) {
    return { file, ok: false, parseErrors: parsed.errors, failures: [], expectations: 0, steps: 0, trace: null }
  }
  const trace = runScenario(parsed.scenario, options)
  const failures: CheckFailure[] = []
  for (const r of trace.expectations) for (const f of r.failures) failures.push({ line: r.line, column: f.column, message: f.message })
  if (trace.outcome.kind === 'error') {
    failures.push({ line: trace.outcome.line ?? 1, column: 1, message: `run-time error: ${trace.outcome.message}` })
  }
  if (trace.outcome.kind === 'deadlock' && !trace.deadlockAnnounced) {
    // The line where the last of the stuck threads waits.
    const line = trace.outcome.line ?? parsed.scenario.statements.at(-1)?.line ?? 1
    failures.push({ line, column: 1, message: `unannounced deadlock: ${trace.outcome.message} (add "expect deadlock" where it should happen)` })
  }
  failures.sort((a, b) => a.line - b.line || a.column - b.column)
  return { file, ok: failures.length === 0, parseErrors: [], failures, expectations: trace.expectations.length, steps: trace.length, trace }
}
