// The app's entry to the stories: src/story/bundled.ts bundles stories/*.md with import.meta.glob,
// which Vitest (like Vite) resolves, so the bundled course can be checked here too.
import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../src/engine'
import { playgroundSource } from '../../src/story'
import { registry, storyFiles } from '../../src/story/bundled'

describe('bundled stories', () => {
  it('bundles every story and nothing else', () => {
    expect(Object.keys(storyFiles).length).toBeGreaterThanOrEqual(19) // 17 stories, README.md, scenario-language.md
    expect(registry.errors).toEqual([])
    expect(registry.stories).toHaveLength(17)
    expect(registry.stories[0]!.file).toBe('stories/01-why-the-gil.md')
  })

  it("opens each story's scenario in the playground as a plain scenario with the story's title", () => {
    for (const story of registry.stories) {
      const source = playgroundSource(story)
      expect(source).not.toContain('#>')
      const parsed = parseScenario(source, 'playground')
      expect(parsed.ok).toBe(true)
      if (parsed.ok) {
        expect(parsed.scenario.title).toBe(story.meta.title)
        expect(parsed.scenario.statements).toHaveLength(story.scenario.statements.length)
        expect(parsed.scenario.expectations).toHaveLength(story.scenario.expectations.length)
      }
    }
  })
})
