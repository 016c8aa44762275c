// The scenarios an embed can name with story="…": the examples (stories/examples/*.scenario,
// always bundled) and, loaded only when asked for, the Markdown stories (stories/*.md, by their
// front-matter id or file name), whose parser is a chunk of its own.

import { BUILTIN_SCENARIOS, type BuiltinScenario } from '../app/scenarios'

export function findExample(id: string | null): BuiltinScenario | undefined {
  return id === null ? undefined : BUILTIN_SCENARIOS.find((s) => s.id === id)
}

/** Every story's scenario block as a scenario source, under its id and its file name. */
export async function loadStories(): Promise<BuiltinScenario[]> {
  try {
    const { registry } = await import('../story/bundled')
    return registry.stories.flatMap((s) => {
      const stem = s.file.replace(/^.*\//, '').replace(/\.md$/i, '')
      const entry = { id: s.meta.id, file: s.file, text: s.source }
      return stem === s.meta.id ? [entry] : [entry, { ...entry, id: stem }]
    })
  } catch (error) {
    console.error('PEP 703 Explorer: the stories could not be loaded', error)
    return []
  }
}

/** The examples, plus the stories when `story` names none of the examples. */
export async function scenariosFor(story: string | null): Promise<readonly BuiltinScenario[]> {
  if (story === null || findExample(story)) return BUILTIN_SCENARIOS
  return [...BUILTIN_SCENARIOS, ...(await loadStories())]
}
