// Runs a scenario through the engine for the UI. The engine never throws by contract; a throw
// here is still caught and shown, so a bug never leaves a blank page.

import { parseScenario, runScenario, type Diagnostic, type Scenario, type Trace } from '../engine'
import { isModeName, type ModeName } from './modes'

export type Simulation =
  | { readonly kind: 'parse-error'; readonly errors: readonly Diagnostic[] }
  | { readonly kind: 'crash'; readonly message: string }
  | {
      readonly kind: 'ok'
      readonly scenario: Scenario
      readonly trace: Trace
      /** The mode the trace was run in. */
      readonly mode: ModeName
      /** The mode the scenario's header asks for. */
      readonly headerMode: ModeName
    }

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

export function simulate(text: string, file: string, modeOverride: ModeName | null): Simulation {
  try {
    const parsed = parseScenario(text, file)
    if (!parsed.ok) return { kind: 'parse-error', errors: parsed.errors }
    const scenario = parsed.scenario
    const headerMode: ModeName = isModeName(scenario.mode) ? scenario.mode : 'free-threaded'
    const mode = modeOverride ?? headerMode
    const trace = runScenario(scenario, { mode })
    return { kind: 'ok', scenario, trace, mode, headerMode }
  } catch (error) {
    return { kind: 'crash', message: errorMessage(error) }
  }
}

/** The scenario's `title:` header, or null when it has none or does not parse. */
export function scenarioTitle(text: string, file: string): string | null {
  try {
    const parsed = parseScenario(text, file)
    return parsed.ok && parsed.scenario.title !== '' ? parsed.scenario.title : null
  } catch {
    return null
  }
}
