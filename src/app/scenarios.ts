// The built-in example scenarios: every stories/examples/*.scenario file, bundled as text.

import { parseScenario } from '../engine'

export interface BuiltinScenario {
  /** File name without directory and extension; the `?scenario=` value. */
  readonly id: string
  /** File name shown in diagnostics, e.g. `handoff.scenario`. */
  readonly file: string
  readonly text: string
}

/** `../../stories/examples/foo.scenario` -> `foo`. */
export function scenarioStem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1)
  return base.endsWith('.scenario') ? base.slice(0, -'.scenario'.length) : base
}

/** Turns a glob result (path -> text) into a list sorted by id. */
export function toScenarioList(files: Readonly<Record<string, string>>): BuiltinScenario[] {
  return Object.entries(files)
    .map(([path, text]) => {
      const id = scenarioStem(path)
      return { id, file: `${id}.scenario`, text }
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

const files = import.meta.glob<string>('../../stories/examples/*.scenario', {
  query: '?raw',
  import: 'default',
  eager: true,
})

export const BUILTIN_SCENARIOS: readonly BuiltinScenario[] = toScenarioList(files)

/** The scenario's `title:` header, or null when it has none or does not parse. */
export function scenarioTitle(text: string, file: string): string | null {
  try {
    const parsed = parseScenario(text, file)
    return parsed.ok && parsed.scenario.title !== '' ? parsed.scenario.title : null
  } catch {
    return null
  }
}
